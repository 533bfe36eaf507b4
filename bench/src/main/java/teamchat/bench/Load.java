package teamchat.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/** The traffic shapes of the scenarios, on a {@link Fleet}'s connections. */
final class Load {

  private Load() {}

  static final int BODY_SIZE = 100;
  private static final AtomicLong CLIENT_IDS = new AtomicLong();

  /** A new client id (unique in the run: many sender sockets belong to one user). */
  static String clientMsgId(String prefix) {
    return prefix + CLIENT_IDS.incrementAndGet();
  }

  static void sendStamped(ChatConnection sender, long sentNanos) {
    sender.send(
        Frames.send(
            sender.room,
            "m" + sentNanos + "-" + CLIENT_IDS.incrementAndGet(),
            Frames.body(sentNanos, sender.index, BODY_SIZE)));
  }

  /**
   * Closed loop: each sender keeps {@code window} messages in flight and sends the next one when it
   * receives one of its own back, i.e. once the message has been through the server's whole fan-out
   * path. Counts every delivery.
   */
  static final class ClosedLoopFanOut implements ChatConnection.Traffic {
    final LongAdder deliveries = new LongAdder();
    final Recorder latency = new Recorder(3);
    private volatile boolean running = true;

    void start(List<ChatConnection> senders, int window) {
      for (ChatConnection sender : senders) {
        for (int i = 0; i < window; i++) {
          sendStamped(sender, System.nanoTime());
        }
      }
    }

    void stop() {
      running = false;
    }

    @Override
    public void onMessage(ChatConnection connection, String frame, long nowNanos) {
      deliveries.increment();
      String body = Frames.field(frame, "body");
      if (Frames.sender(body) == connection.index) {
        if (running) {
          sendStamped(connection, System.nanoTime());
        }
      } else {
        latency.recordValue(Math.max(0, nowNanos - Frames.sentNanos(body)));
      }
    }
  }

  /**
   * Closed loop on acks: each sender sends its next message when the previous one is acknowledged
   * (stored). Counts acks.
   */
  static final class ClosedLoopAcks implements ChatConnection.Traffic {
    final LongAdder acks = new LongAdder();
    final LongAdder refused = new LongAdder();
    private volatile boolean running = true;

    void start(List<ChatConnection> senders) {
      senders.forEach(s -> sendStamped(s, System.nanoTime()));
    }

    void stop() {
      running = false;
    }

    @Override
    public void onMessage(ChatConnection connection, String frame, long nowNanos) {}

    @Override
    public void onAck(ChatConnection connection, String frame, long nowNanos) {
      acks.increment();
      if (running) {
        sendStamped(connection, System.nanoTime());
      }
    }

    @Override
    public void onError(ChatConnection connection, String frame) {
      refused.increment();
      if (running) {
        sendStamped(connection, System.nanoTime());
      }
    }
  }

  /**
   * Open loop at a fixed rate, round robin over the senders. Latency is measured from the time a
   * message was due, not when it went out, so that a stalled generator or server cannot hide its
   * queueing (coordinated omission): send to receipt on every other member, and send to ack.
   */
  static final class Paced implements ChatConnection.Traffic {
    final Recorder receipt = new Recorder(3);
    final Recorder ack = new Recorder(3);
    final LongAdder refused = new LongAdder();

    /** The code of the last error frame (overloaded, not_stored, ...), for the report. */
    volatile String lastRefusal;

    /** Messages due in the measured window, and the receipts and acks of those messages. */
    final LongAdder sentInWindow = new LongAdder();

    final LongAdder receiptsInWindow = new LongAdder();
    final LongAdder acksInWindow = new LongAdder();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile boolean running = true;
    private Thread pacer;

    /**
     * Only messages due from now on are measured: their receipts and acks, however late they come
     * (a saturated server's backlog counts in full, it is not cut off at the window's end).
     */
    void measureFromNow() {
      windowStart = System.nanoTime();
    }

    /** Messages due from now on are not measured; call before {@link #stop()}. */
    void measureUntilNow() {
      windowEnd = System.nanoTime();
    }

    private boolean measured(long due) {
      return due >= windowStart && due < windowEnd;
    }

    void start(List<ChatConnection> senders, double perSecond) {
      long period = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
      pacer =
          new Thread(
              () -> {
                long start = System.nanoTime();
                for (long k = 0; running; k++) {
                  long due = start + k * period;
                  long wait;
                  while ((wait = due - System.nanoTime()) > 0 && running) {
                    LockSupport.parkNanos(wait);
                  }
                  if (measured(due)) {
                    sentInWindow.increment();
                  }
                  sendStamped(senders.get((int) (k % senders.size())), due);
                }
              },
              "bench-pacer");
      pacer.setDaemon(true);
      pacer.start();
    }

    void stop() throws InterruptedException {
      running = false;
      pacer.join();
    }

    @Override
    public void onMessage(ChatConnection connection, String frame, long nowNanos) {
      String body = Frames.field(frame, "body");
      long due = Frames.sentNanos(body);
      if (Frames.sender(body) != connection.index && measured(due)) {
        receipt.recordValue(Math.max(0, nowNanos - due));
        receiptsInWindow.increment();
      }
    }

    @Override
    public void onAck(ChatConnection connection, String frame, long nowNanos) {
      String id = Frames.field(frame, "client_msg_id");
      long due = Long.parseLong(id, 1, id.indexOf('-'), 10);
      if (measured(due)) {
        ack.recordValue(Math.max(0, nowNanos - due));
        acksInWindow.increment();
      }
    }

    @Override
    public void onError(ChatConnection connection, String frame) {
      refused.increment();
      lastRefusal = Frames.field(frame, "code");
    }
  }
}
