package teamchat.chatserv.sockets.control;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.protocol.entity.ServerFrame;

/**
 * Everything chatserv sends to one socket goes through here: a bounded queue with at most one
 * asynchronous write in flight, so that no sender (the batcher, a replay, another user's socket)
 * ever waits for a slow client, and a slow client cannot fill the heap. When the queue would exceed
 * its bound the client is too slow to keep up: the queue is dropped and the socket closed with 1013
 * {@code too_slow}; the client reconnects and subscribes with the last seq it saw.
 *
 * <p>Payara's "async" send writes on the calling thread and may call the completion handler before
 * it returns, hence the loop in {@link #pump()} instead of a recursion per frame.
 */
public final class Outbound {

  private static final Logger LOG = Logger.getLogger(Outbound.class.getName());

  /** Close code and reason of a client that cannot keep up (docs/protocol.md). */
  public static final CloseReason TOO_SLOW =
      new CloseReason(CloseCodes.TRY_AGAIN_LATER, "too_slow");

  private final Session session;
  private final int maxFrames;
  private final long maxChars;

  /** Frames waiting to be written, oldest first. */
  private final ArrayDeque<ServerFrame.Encoded> queue = new ArrayDeque<>();

  /** This socket's writer of framed messages; null when it sends text (see {@link RawFrames}). */
  private final RawFrames raw;

  /** Set by {@link #closeAfterQueued}: the socket is closed once the queue is written. */
  private CloseReason closeWhenWritten;

  private long queuedChars;
  private boolean writing;
  private boolean finished;

  public Outbound(Session session, int maxFrames, long maxChars) {
    this(session, RawFrames.of(session).orElse(null), maxFrames, maxChars);
  }

  Outbound(Session session, RawFrames raw, int maxFrames, long maxChars) {
    this.session = session;
    this.raw = raw;
    this.maxFrames = maxFrames;
    this.maxChars = maxChars;
  }

  public Session session() {
    return session;
  }

  /** Encodes and queues a frame for this socket alone; see {@link #send(ServerFrame.Encoded)}. */
  public boolean send(ServerFrame frame) {
    return send(frame.encode());
  }

  /**
   * Queues an encoded frame (one text may go to many sockets); false when it is dropped: the socket
   * is closing, or the client was too slow and is being closed now.
   */
  public boolean send(ServerFrame.Encoded frame) {
    int length = frame.text().length();
    boolean tooSlow;
    synchronized (this) {
      if (finished) {
        return false;
      }
      tooSlow = queue.size() + 1 > maxFrames || queuedChars + length > maxChars;
      if (tooSlow) {
        finished = true;
        queue.clear();
        queuedChars = 0;
      } else {
        queue.add(frame);
        queuedChars += length;
        if (writing) {
          return true;
        }
        writing = true;
      }
    }
    if (tooSlow) {
      LOG.log(Level.FINE, "socket {0} too slow, closing", session.getId());
      // Not on this thread: the caller may hold a room's lock, and closing runs @OnClose, which
      // takes the locks of the rooms the socket followed.
      CompletableFuture.runAsync(
          () -> Connections.close(session, TOO_SLOW.getCloseCode(), TOO_SLOW.getReasonPhrase()));
      return false;
    }
    pump();
    return true;
  }

  /** Writes what is queued, then closes the socket with this reason; later frames are dropped. */
  public void closeAfterQueued(CloseReason reason) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      closeWhenWritten = reason;
      if (writing) {
        return;
      }
      writing = true;
    }
    pump();
  }

  /**
   * Sends a WebSocket ping when the socket is idle: only when nothing is queued or being written,
   * so that it never runs alongside a text write. A busy socket needs none, frames are flowing.
   * Tyrus sends it without waiting for the network.
   */
  public void ping() {
    synchronized (this) {
      if (finished || writing) {
        return;
      }
      writing = true;
    }
    boolean written =
        write(
            () -> {
              try {
                session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    if (!written) {
      return;
    }
    pump(); // frames queued while the ping went out
  }

  /** How many frames and characters are waiting, for a replay that must not flood the queue. */
  public synchronized int freeFrames() {
    return finished ? 0 : maxFrames - queue.size();
  }

  public synchronized long freeChars() {
    return finished ? 0 : maxChars - queuedChars;
  }

  public synchronized boolean finished() {
    return finished;
  }

  /** True when nothing is queued or being written. */
  public synchronized boolean drained() {
    return !writing;
  }

  private void pump() {
    while (true) {
      ServerFrame.Encoded next;
      CloseReason close = null;
      synchronized (this) {
        next = queue.poll();
        if (next == null) {
          writing = false;
          close = closeWhenWritten;
          closeWhenWritten = null;
        } else {
          queuedChars -= next.text().length();
        }
      }
      if (next == null) {
        if (close != null) {
          Connections.close(session, close.getCloseCode(), close.getReasonPhrase());
        }
        return;
      }
      Completion completion = new Completion();
      if (!write(() -> writeFrame(next, completion))) {
        return;
      }
      if (!completion.continueHere()) {
        return; // the completion handler carries on when the write is done
      }
    }
  }

  /** Framed once for all its recipients when the socket takes that, else as text. */
  private void writeFrame(ServerFrame.Encoded frame, Completion completion) {
    if (raw == null) {
      session.getAsyncRemote().sendText(frame.text(), completion);
      return;
    }
    raw.send(frame.wireFrame())
        .whenComplete(
            (written, failure) -> {
              // Whatever this throws would stay in a future nobody reads: said and handled here.
              try {
                completion.onResult(failure == null ? new SendResult() : new SendResult(failure));
              } catch (Throwable e) {
                broken(e);
              }
            });
  }

  /**
   * Hands one frame or ping to Tyrus; false when nothing more can be written to this socket. A
   * RuntimeException means it was closed under our feet. Anything else is a bug: Tyrus throws an
   * Error for text that is not well-formed Unicode when it encodes it (a socket sent text, not
   * framed messages), which the door refuses, so it should not happen; it costs this one socket,
   * closed with 1011 (the client resumes with its last seq), never the caller's thread.
   */
  private boolean write(Runnable write) {
    try {
      write.run();
      return true;
    } catch (RuntimeException e) {
      gone(e);
      return false;
    } catch (Throwable e) {
      broken(e);
      return false;
    }
  }

  private void gone(Throwable cause) {
    LOG.log(Level.FINE, "write to a closed socket", cause);
    synchronized (this) {
      finished = true;
      queue.clear();
      queuedChars = 0;
      closeWhenWritten = null;
      writing = false;
    }
  }

  /** A write failed in a way a closed socket does not explain: close this socket with 1011. */
  private void broken(Throwable cause) {
    Workers.failed("writing to socket " + session.getId(), cause);
    gone(cause);
    CompletableFuture.runAsync(
        () -> Connections.close(session, CloseCodes.UNEXPECTED_CONDITION, "internal_error"));
  }

  /** Knows whether the write completed before sendText returned (then the caller loops on). */
  private final class Completion implements SendHandler {
    private boolean returned;
    private boolean done;

    @Override
    public void onResult(SendResult result) {
      if (!result.isOK()) {
        gone(result.getException());
        return;
      }
      boolean pumpHere;
      synchronized (this) {
        done = true;
        pumpHere = returned;
      }
      if (pumpHere) {
        pump();
      }
    }

    synchronized boolean continueHere() {
      returned = true;
      return done;
    }
  }
}
