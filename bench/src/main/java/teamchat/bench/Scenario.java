package teamchat.bench;

import java.util.List;
import java.util.Optional;

/**
 * One measurement of {@code ./chat bench}. Its {@link #name} is the one it goes by everywhere: on
 * the command line, in the results and in BENCHMARKS.md; its class is that name in Java's spelling.
 * A new scenario is one more class and one more entry in {@link #ALL}.
 */
interface Scenario {

  /** Every scenario, in the order {@code ./chat bench} (all) runs them. */
  List<Scenario> ALL =
      List.of(
          new Persist(),
          new Fanout(),
          new AckLatency(),
          new Latency(),
          new LargestRoom(),
          new Idle(),
          new Cluster(),
          new Search(),
          new Startup());

  /** e.g. {@code fanout}. */
  String name();

  /** Whether it compares chatserv with the Node {@code ws} reference (which is then started). */
  boolean usesNode();

  /**
   * Whether it runs on the system {@code ./chat bench} starts for all (one chatserv instance); a
   * scenario that starts its own says false.
   */
  default boolean usesSharedSystem() {
    return true;
  }

  /** Runs its rounds against the started system and adds its figures and notes to the results. */
  void run(Bench bench) throws Exception;

  static Optional<Scenario> named(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<String> names() {
    return ALL.stream().map(Scenario::name).toList();
  }
}
