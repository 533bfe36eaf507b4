package teamchat.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
   */
  record Fault(String name, long began, long ended, boolean servedThroughout) {

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

  Fault add(String name, long began, long ended, boolean servedThroughout) {
    Fault fault = new Fault(name, began, ended, servedThroughout);
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
      OptionalLong first =
          client.sent.values().stream()
              .filter(s -> s.firstSentAt >= fault.ended() && s.ackedAt != 0)
              .mapToLong(s -> s.ackedAt)
              .min();
      if (first.isEmpty()) {
        return Optional.empty();
      }
      slowest = Math.max(slowest, first.getAsLong() - fault.ended());
    }
    return Optional.of(Duration.ofNanos(slowest));
  }

  /**
   * The longest any client went without a new ack while the fault lasted, counted from its
   * beginning and to its end.
   */
  static Duration longestAckGap(Fault fault, List<FaultClient> clients) {
    long longest = 0;
    for (FaultClient client : clients) {
      long[] acks =
          client.sent.values().stream()
              .mapToLong(s -> s.ackedAt)
              .filter(at -> at > fault.began() && at < fault.ended())
              .sorted()
              .toArray();
      long previous = fault.began();
      for (long at : acks) {
        longest = Math.max(longest, at - previous);
        previous = at;
      }
      longest = Math.max(longest, fault.ended() - previous);
    }
    return Duration.ofNanos(longest);
  }

  /** The table printed at the end of the run. */
  String table(List<FaultClient> clients) {
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "[fault test] %-28s %8s %8s %22s %28s%n",
            "fault", "began", "lasted", "longest ack gap in it", "all clients acked again after"));
    for (Fault fault : faults) {
      table.append(
          String.format(
              "[fault test] %-28s %7.1fs %7.1fs %22s %28s%n",
              fault.name(),
              (fault.began() - start) / 1e9,
              fault.lasted().toMillis() / 1e3,
              String.format("%.1f s", longestAckGap(fault, clients).toMillis() / 1e3),
              recovery(fault, clients)
                  .map(d -> String.format("%.1f s", d.toMillis() / 1e3))
                  .orElse("never")));
    }
    return table.toString();
  }
}
