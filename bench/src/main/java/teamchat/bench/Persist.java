package teamchat.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 4, {@code persist}: stored messages per second, 8 sockets in their own rooms each
 * sending its next message on the ack of the previous one, against raw JDBC (single-row commits and
 * batches) into the same PostgreSQL.
 */
final class Persist implements Scenario {

  private static final int CLIENTS = 8;

  @Override
  public String name() {
    return "persist";
  }

  @Override
  public boolean usesNode() {
    return false;
  }

  @Override
  public void run(Bench bench) throws Exception {
    ChatSystem system = bench.system;
    List<Long> rooms = system.createRooms(CLIENTS);
    List<Double> chain = new ArrayList<>();
    List<Double> single = new ArrayList<>();
    List<Double> batched = new ArrayList<>();
    LongAdder refused = new LongAdder();
    try (Fleet fleet = Fleet.open(system.webSocket(), CLIENTS, i -> rooms.get(i), system.tokens());
        RawJdbc raw = new RawJdbc(system.jdbcUrl(), system.superuserPassword(), CLIENTS)) {
      bench.jitWarmUp(
          millis -> {
            Load.ClosedLoopAcks loop = new Load.ClosedLoopAcks();
            fleet.setTraffic(loop);
            bench.window(() -> loop.start(fleet.connections), loop.acks::sum, millis);
            loop.stop();
          });
      for (int round = 1; round <= bench.rounds; round++) {
        Load.ClosedLoopAcks loop = new Load.ClosedLoopAcks();
        fleet.setTraffic(loop);
        double chainRate =
            bench.window(() -> loop.start(fleet.connections), loop.acks::sum, bench.measureMillis);
        loop.stop();
        refused.add(loop.refused.sum());
        bench.pause();
        LongAdder rows = new LongAdder();
        LongAdder failures = new LongAdder();
        RawJdbc.Running running = raw.closedLoop(false, rows, failures);
        double singleRate = bench.window(() -> {}, rows::sum, bench.measureMillis);
        running.stop();
        LongAdder batchRows = new LongAdder();
        RawJdbc.Running batching = raw.closedLoop(true, batchRows, failures);
        double batchRate = bench.window(() -> {}, batchRows::sum, bench.measureMillis);
        batching.stop();
        chain.add(chainRate);
        single.add(singleRate);
        batched.add(batchRate);
        bench.out.printf(
            "  round %d: chain %.0f msg/s, raw single-row %.0f rows/s, raw %d-row batches %.0f rows/s%n",
            round, chainRate, singleRate, RawJdbc.BATCH, batchRate);
        bench.pause();
      }
    }
    bench.results.add(
        new Figure(
            name(),
            "stored messages/s, 8 clients",
            "msg/s",
            "raw JDBC single-row commits, 8 clients",
            true,
            chain,
            single));
    bench.results.add(
        new Figure(
            name(),
            "stored messages/s, 8 clients",
            "msg/s",
            "raw JDBC " + RawJdbc.BATCH + "-row batches, 8 clients",
            true,
            chain,
            batched));
    bench.results.note(
        name()
            + ": each of 8 sockets (own room) sends its next message on the ack of the previous one;"
            + " refused sends (not_stored/overloaded): "
            + refused.sum());
  }
}
