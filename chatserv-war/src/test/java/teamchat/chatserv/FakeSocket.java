package teamchat.chatserv;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket session without a container, for unit tests of what writes to sockets. Its writes
 * complete at once (inline, as Payara's do), or wait until the test completes them, or block the
 * writing thread until the test opens the gate (as a write to a stalled peer may).
 */
public final class FakeSocket {
  private final List<String> written = new ArrayList<>();

  private final String id;
  private final List<SendHandler> waiting = new CopyOnWriteArrayList<>();
  private final CountDownLatch writing = new CountDownLatch(1);
  private final CountDownLatch gate = new CountDownLatch(1);
  private volatile boolean completeInline = true;
  private volatile boolean blockWrites;
  private volatile CloseReason closed;
  private int inFlight;
  private int maxInFlight;

  public FakeSocket(String id) {
    this.id = id;
  }

  /** From now on a write stays in flight until {@link #completeOne()}. */
  public FakeSocket completingOnlyWhenTold() {
    completeInline = false;
    return this;
  }

  /** From now on a write blocks its thread until {@link #openGate()}. */
  public void blockWrites() {
    blockWrites = true;
  }

  /** Lets blocked writes through, and later ones too. */
  public void openGate() {
    blockWrites = false;
    gate.countDown();
  }

  /** Waits until a thread is blocked in a write. */
  public boolean awaitBlockedWriter(long seconds) throws InterruptedException {
    return writing.await(seconds, TimeUnit.SECONDS);
  }

  public Session session() {
    RemoteEndpoint.Async remote =
        (RemoteEndpoint.Async)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("sendText") && args.length == 2) {
                    sendText((String) args[0], (SendHandler) args[1]);
                    return null;
                  }
                  if (method.getName().equals("sendPing")) {
                    record("(ping)");
                    maxInFlight = Math.max(maxInFlight, inFlight + 1);
                    return null;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return (Session)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Session.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getAsyncRemote" -> remote;
                  case "getId" -> id;
                  case "isOpen" -> closed == null;
                  case "close" -> {
                    closed = (CloseReason) args[0];
                    yield null;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private void sendText(String text, SendHandler handler) throws InterruptedException {
    // Like Tyrus' TextFrame.encode: text that is not well-formed UTF-16 cannot become UTF-8, and
    // Tyrus reports that with an Error, not an exception.
    try {
      java.nio.charset.StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(text));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new Error(e);
    }
    if (blockWrites) {
      writing.countDown();
      gate.await(10, TimeUnit.SECONDS);
    }
    record(text);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if (completeInline) {
      inFlight--;
      handler.onResult(new SendResult());
    } else {
      waiting.add(handler);
    }
  }

  private synchronized void record(String frame) {
    written.add(frame);
  }

  /** Text frames in the order they were handed to the socket; a ping shows as "(ping)". */
  public synchronized List<String> written() {
    return List.copyOf(written);
  }

  /** Completes the oldest write in flight. */
  public void completeOne() {
    SendHandler handler = waiting.remove(0);
    inFlight--;
    handler.onResult(new SendResult());
  }

  public boolean hasWritesInFlight() {
    return !waiting.isEmpty();
  }

  /** The most writes (pings included) that were in flight at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** How the socket was closed, or null while it is open. */
  public CloseReason closed() {
    return closed;
  }

  /** Waits up to 5 s for the socket to be closed (a close may come from another thread). */
  public CloseReason awaitClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (closed == null && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    return closed;
  }
}
