package teamchat.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import teamchat.systemtestkit.Accounts.Person;
import teamchat.systemtestkit.ChatClient;
import teamchat.systemtestkit.Frame;

/**
 * A conversation that must not notice an attack on the system: one person sends a message every
 * {@code every} milliseconds into a room, another follows the room. {@link #problems} says what
 * went wrong: a message not acked, not received, received twice or out of order.
 */
final class Canary implements AutoCloseable {

  private final ChatClient sender;
  private final ChatClient receiver;
  private final long room;
  private final long every;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, Frame> acks = new ConcurrentHashMap<>();
  private final List<Frame> received = new CopyOnWriteArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final Thread sending;
  private final Thread readingAcks;
  private final Thread receiving;

  Canary(RunningSystem system, long everyMillis) throws Exception {
    Person speaker = system.person();
    Person listener = system.person();
    room = system.privateRoom("canary", List.of(speaker.subject(), listener.subject()));
    every = everyMillis;
    sender = ChatClient.connect(system.webSocket(), speaker.token());
    receiver = ChatClient.connect(system.webSocket(), listener.token());
    receiver.subscribe(room, 0);
    receiver.await(ChatClient.type("subscribed"));
    sending = new Thread(this::send, "canary-sender");
    readingAcks = new Thread(this::readAcks, "canary-acks");
    receiving = new Thread(this::receive, "canary-receiver");
    readingAcks.start();
    receiving.start();
    sending.start();
  }

  long room() {
    return room;
  }

  int sent() {
    return sent.size();
  }

  private void send() {
    int n = 0;
    while (running.get()) {
      String id = "canary-" + ++n;
      try {
        sentAt.put(id, System.nanoTime());
        sender.sendMessage(room, id, "canary " + n);
        sent.add(id);
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        refusals.add("could not send " + id + ": " + e);
        return;
      }
    }
  }

  private void readAcks() {
    while (running.get() || acks.size() < sent.size()) {
      try {
        Frame frame = sender.frames().poll(100, TimeUnit.MILLISECONDS);
        if (frame == null) {
          if (!running.get() && sender.closed().isDone()) {
            return;
          }
          continue;
        }
        switch (String.valueOf(frame.get("type"))) {
          case "ack" -> acks.put((String) frame.get("client_msg_id"), frame);
          case "error" -> refusals.add("sender got " + frame);
          default -> {}
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void receive() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Frame frame = receiver.frames().poll(100, TimeUnit.MILLISECONDS);
        if (frame != null && "message".equals(frame.get("type"))) {
          received.add(frame);
        } else if (frame != null && "error".equals(frame.get("type"))) {
          refusals.add("receiver got " + frame);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Stops sending, waits up to {@code grace} seconds for the last acks and messages, and returns
   * what went wrong (empty: every message acked and received once, in order).
   */
  List<String> stop(long grace) throws InterruptedException {
    running.set(false);
    sending.join(5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(grace);
    while (System.nanoTime() < deadline
        && (acks.size() < sent.size() || received.size() < sent.size())) {
      Thread.sleep(100);
    }
    receiving.interrupt();
    readingAcks.interrupt();
    return problems();
  }

  /** What went wrong so far (also while running: only what is certain by now). */
  List<String> problems() {
    List<String> problems = new ArrayList<>(refusals);
    List<String> unacked = sent.stream().filter(id -> !acks.containsKey(id)).toList();
    if (!unacked.isEmpty()) {
      problems.add(unacked.size() + " of " + sent.size() + " not acked, first " + unacked.get(0));
    }
    long previous = 0;
    List<Object> order = new ArrayList<>();
    for (Frame message : received) {
      long seq = ((Number) message.get("seq")).longValue();
      order.add(message.get("client_msg_id"));
      if (seq != previous + 1) {
        problems.add("the listener got seq " + seq + " after " + previous);
      }
      previous = seq;
    }
    if (!order.equals(new ArrayList<Object>(sent.subList(0, Math.min(order.size(), sent.size()))))
        || order.size() != sent.size()) {
      problems.add(
          "the listener got "
              + order.size()
              + " messages for "
              + sent.size()
              + " sent (in order: "
              + order.equals(sent.subList(0, Math.min(order.size(), sent.size())))
              + ")");
    }
    return problems;
  }

  @Override
  public void close() {
    running.set(false);
    sending.interrupt();
    receiving.interrupt();
    readingAcks.interrupt();
    sender.close();
    receiver.close();
  }
}
