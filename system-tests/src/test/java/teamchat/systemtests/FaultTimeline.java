package teamchat.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The faults of one {@link FaultIT} run, when each began and ended, and what the clients saw around
 * each: how soon after its end every client had an ack again, and (for faults that must not stop
 * messaging) the longest a client went without an ack while it lasted.
 */
final class FaultTimeline {

  /**
   * One fault.
   *
   * @param name what was done, as the table shows it
   * @param began when it began (System.nanoTime)
   * @param ended when it was over: the frozen process continued, or the killed one ready again
   * @param servedThroughout whether messaging must go on while it lasts (auth's outages: auth is
   *     not in the message path)
   * @param endsSockets whether it is chatserv's own outage: then, and only then, the clients'
   *     sockets end and connecting fails until it is back
   */
  record Fault(String name, long began, long ended, boolean servedThroughout, boolean endsSockets) {

    Duration lasted() {
      return Duration.ofNanos(ended - began);
    }
  }

  private final long start;
  final List<Fault> faults = new ArrayList<>();

  /**
   * @param start the run's start (System.nanoTime), time 0 of the table
   */
  FaultTimeline(long start) {
    this.start = start;
  }

  Fault add(String name, long began, long ended, boolean servedThroughout, boolean endsSockets) {
    Fault fault = new Fault(name, began, ended, servedThroughout, endsSockets);
    faults.add(fault);
    return fault;
  }

  /**
   * How long after the fault ended every client had been acked a message it first sent after the
   * end (fresh traffic served, not only a backlog drained); empty if some client never was.
   */
  static Optional<Duration> recovery(Fault fault, List<FaultClient> clients) {
    long slowest = 0;
    for (FaultClient client : clients) {
      OptionalLong took = ackedAgainAfter(fault, client);
      if (took.isEmpty()) {
        return Optional.empty();
      }
      slowest = Math.max(slowest, took.getAsLong());
    }
    return Optional.of(Duration.ofNanos(slowest));
  }

  /**
   * How long (nanoseconds) after the fault's end the client's first ack of an entry it first sent
   * after the end came; empty if none did.
   */
  private static OptionalLong ackedAgainAfter(Fault fault, FaultClient client) {
    OptionalLong first =
        client.sent.values().stream()
            .filter(s -> s.firstSentAt >= fault.ended() && s.ackedAt != 0)
            .mapToLong(s -> s.ackedAt)
            .min();
    return first.isEmpty()
        ? OptionalLong.empty()
        : OptionalLong.of(first.getAsLong() - fault.ended());
  }

  /**
   * The client that took longest to be acked after the fault (as {@link #recovery} measures it):
   * its index, and the history of its first entry sent after the end, each step in seconds after
   * the end. What a failed recovery bound prints, so that a run on a machine nobody can look at
   * again says whether the entry went unanswered, was refused, or waited for a new socket.
   */
  static String slowest(Fault fault, List<FaultClient> clients) {
    FaultClient slowest = null;
    FaultClient.Sent entry = null;
    long slowestTook = -1;
    for (FaultClient client : clients) {
      FaultClient.Sent first =
          client.sent.values().stream()
              .filter(s -> s.firstSentAt >= fault.ended())
              .min(Comparator.comparingLong(s -> s.firstSentAt))
              .orElse(null);
      long took = ackedAgainAfter(fault, client).orElse(Long.MAX_VALUE);
      if (took > slowestTook) {
        slowestTook = took;
        slowest = client;
        entry = first;
      }
    }
    if (slowest == null) {
      return "no clients";
    }
    StringBuilder said = new StringBuilder("slowest: client " + slowest.index);
    if (entry == null) {
      return said.append(" sent nothing after the end").toString();
    }
    said.append(", its first ").append(entry.kind).append(" after the end in room ");
    said.append(entry.room).append(':');
    for (FaultClient.Happened step : new ArrayList<>(entry.history)) {
      said.append(String.format(" %s at %+.1f s;", step.what(), (step.at() - fault.ended()) / 1e9));
    }
    for (FaultClient.Close close : slowest.closes) {
      if (close.at() >= fault.began()) {
        said.append(
            String.format(
                " socket: %s at %+.1f s;", close.why(), (close.at() - fault.ended()) / 1e9));
      }
    }
    return said.toString();
  }

  /**
   * The longest any client went without a new ack while the fault lasted, counted from its
   * beginning and to its end, and when (System.nanoTime) that silence began.
   */
  record AckGap(Duration length, long from) {}

  static AckGap longestAckGap(Fault fault, List<FaultClient> clients) {
    AckGap longest = new AckGap(Duration.ZERO, fault.began());
    for (FaultClient client : clients) {
      long[] acks =
          client.sent.values().stream()
              .mapToLong(s -> s.ackedAt)
              .filter(at -> at > fault.began() && at < fault.ended())
              .sorted()
              .toArray();
      long previous = fault.began();
      for (long at : acks) {
        longest = longer(longest, previous, at);
        previous = at;
      }
      longest = longer(longest, previous, fault.ended());
    }
    return longest;
  }

  private static AckGap longer(AckGap longest, long from, long to) {
    return to - from > longest.length().toNanos()
        ? new AckGap(Duration.ofNanos(to - from), from)
        : longest;
  }

  /** The refusals clients heard while the fault lasted and until 10 s after, by code. */
  static Map<String, Integer> refusals(Fault fault, List<FaultClient> clients) {
    long until = fault.ended() + TimeUnit.SECONDS.toNanos(10);
    Map<String, Integer> counts = new TreeMap<>();
    for (FaultClient client : clients) {
      client.refusals.forEach(
          (code, times) -> {
            long n = times.stream().filter(t -> t >= fault.began() && t <= until).count();
            if (n > 0) {
              counts.merge(code, (int) n, Integer::sum);
            }
          });
    }
    return counts;
  }

  /**
   * Whether a socket that ended (or a connection that failed) at {@code at} is the fault's doing:
   * while chatserv was away, and until the recovery bound after it was back.
   */
  static boolean within(Fault fault, long at, Duration after) {
    return fault.endsSockets() && at >= fault.began() && at <= fault.ended() + after.toNanos();
  }

  /** The sockets that ended and connections that failed while the fault lasted and 10 s after. */
  static Map<String, Integer> closes(Fault fault, List<FaultClient> clients) {
    long until = fault.ended() + TimeUnit.SECONDS.toNanos(10);
    Map<String, Integer> counts = new TreeMap<>();
    for (FaultClient client : clients) {
      for (FaultClient.Close close : client.closes) {
        if (close.at() >= fault.began() && close.at() <= until) {
          counts.merge(close.why(), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  /** The table printed at the end of the run. */
  String table(List<FaultClient> clients) {
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "[fault test] %-28s %7s %7s %24s %12s  %s%n",
            "fault",
            "began",
            "lasted",
            "longest ack gap (from)",
            "recovered",
            "refusals while it lasted and 10 s after"));
    for (Fault fault : faults) {
      AckGap gap = longestAckGap(fault, clients);
      table.append(
          String.format(
              "[fault test] %-28s %6.1fs %6.1fs %24s %12s  %s%n",
              fault.name(),
              seconds(fault.began() - start),
              seconds(fault.ended() - fault.began()),
              String.format(
                  "%.1f s (+%.1f s)",
                  seconds(gap.length().toNanos()), seconds(gap.from() - fault.began())),
              recovery(fault, clients)
                  .map(d -> String.format("%.1f s", seconds(d.toNanos())))
                  .orElse("never"),
              refusals(fault, clients)
                  + (fault.endsSockets()
                      ? " sockets ended, connects failed " + closes(fault, clients)
                      : "")));
    }
    table.append(
        "[fault test] (recovered: after the fault's end, every client acked a message sent after"
            + " it; longest ack gap: the longest any client went without an ack in it, beginning"
            + " that long after the fault began)\n");
    return table.toString();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
