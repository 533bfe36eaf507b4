package teamchat.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    List<Double> batchSizes = new ArrayList<>();
    // CPU per stored message, of the warm-up and measured parts of each window together: less
    // disturbed by a busy machine than the rate, which waits for the cores it is given.
    List<Double> chatfrontPerMessage = new ArrayList<>();
    List<Double> chatservPerMessage = new ArrayList<>();
    // Issue 18: chatserv's own count of the batches it formed, and how many were in flight.
    List<Double> chatservBatchSizes = new ArrayList<>();
    List<Double> inFlight = new ArrayList<>();
    long chatfront = system.pid("chatfront");
    long chatserv = system.pid("chatserv");
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
        long before = lastMessageId(system);
        double chatfrontCpu = ProcessStats.cpuSeconds(chatfront);
        double chatservCpu = ProcessStats.cpuSeconds(chatserv);
        StoreCounters countersBefore = StoreCounters.read(system.webSocket());
        double chainRate =
            bench.window(() -> loop.start(fleet.connections), loop.acks::sum, bench.measureMillis);
        loop.stop();
        StoreCounters counters = StoreCounters.read(system.webSocket());
        double chatservBatchSize = counters.entriesPerBatchSince(countersBefore);
        double meanInFlight = counters.meanInFlightSince(countersBefore);
        chatservBatchSizes.add(chatservBatchSize);
        inFlight.add(meanInFlight);
        double acked = Math.max(1, loop.acks.sum());
        double chatfrontMillis = (ProcessStats.cpuSeconds(chatfront) - chatfrontCpu) * 1e3 / acked;
        double chatservMillis = (ProcessStats.cpuSeconds(chatserv) - chatservCpu) * 1e3 / acked;
        chatfrontPerMessage.add(chatfrontMillis);
        chatservPerMessage.add(chatservMillis);
        double batchSize = messagesPerTransaction(system, before);
        batchSizes.add(batchSize);
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
            "  round %d: chain %.0f msg/s (%.1f per batch, %.1f as chatserv counts them, %.2f"
                + " batches in flight on average; CPU per message: chatfront %.2f ms, chatserv %.2f"
                + " ms), raw single-row %.0f rows/s, raw %d-row batches %.0f rows/s%n",
            round,
            chainRate,
            batchSize,
            chatservBatchSize,
            meanInFlight,
            chatfrontMillis,
            chatservMillis,
            singleRate,
            RawJdbc.BATCH,
            batchRate);
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
            + refused.sum()
            + "; messages per batch (per chatfront transaction), median of the rounds: "
            + String.format(
                "%.1f (%.1f as chatserv counts them); batches in flight to chatfront on average,"
                    + " median of the rounds: %.2f; CPU per stored message, median of the rounds:"
                    + " chatfront %.2f ms, chatserv %.2f ms",
                Figure.median(batchSizes),
                Figure.median(chatservBatchSizes),
                Figure.median(inFlight),
                Figure.median(chatfrontPerMessage),
                Figure.median(chatservPerMessage)));
  }

  static long lastMessageId(ChatSystem system) throws SQLException {
    try (Connection db = system.database();
        ResultSet row =
            db.createStatement().executeQuery("SELECT coalesce(max(id), 0) FROM chat.message")) {
      row.next();
      return row.getLong(1);
    }
  }

  /**
   * The chain's batch size, as the database saw it: messages stored after {@code after} per
   * transaction that stored them. chatfront stores a batch in one transaction, and each row's
   * {@code created_at} is its transaction's start ({@code now()}), the same for a whole batch and
   * different (to the microsecond) between batches.
   */
  static double messagesPerTransaction(ChatSystem system, long after) throws SQLException {
    try (Connection db = system.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*), count(DISTINCT created_at) FROM chat.message WHERE id > ?")) {
      query.setLong(1, after);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(2) == 0 ? 0 : (double) row.getLong(1) / row.getLong(2);
      }
    }
  }
}
