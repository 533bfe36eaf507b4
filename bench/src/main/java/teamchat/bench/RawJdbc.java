package teamchat.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The persistence reference: plain JDBC inserts into a copy of {@code chat.message} (same columns,
 * indexes and constraints, no foreign keys) in the same PostgreSQL, either one row per commit or
 * {@link #BATCH} rows per commit.
 */
final class RawJdbc implements AutoCloseable {

  static final int BATCH = 100;
  private final String url;
  private final String password;
  private final List<Connection> connections = new ArrayList<>();
  private final AtomicLong nextSeq = new AtomicLong();

  RawJdbc(String url, String password, int clients) throws SQLException {
    this.url = url;
    this.password = password;
    try (Connection db = DriverManager.getConnection(url, "postgres", password);
        Statement ddl = db.createStatement()) {
      ddl.execute("CREATE SCHEMA IF NOT EXISTS bench");
      ddl.execute("CREATE TABLE IF NOT EXISTS bench.message (LIKE chat.message INCLUDING ALL)");
      // Each reference starts empty: seq restarts at 1 and (room_id, seq) is unique.
      ddl.execute("TRUNCATE bench.message");
    }
    for (int i = 0; i < clients; i++) {
      connections.add(open());
    }
  }

  private Connection open() throws SQLException {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", "postgres");
    props.setProperty("password", password);
    // What a JDBC user does to batch inserts: the driver sends multi-row INSERTs.
    props.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(url, props);
  }

  int clients() {
    return connections.size();
  }

  /** Client {@code client} inserts and commits one row; returns nothing, throws on failure. */
  void insertOne(int client) throws SQLException {
    Connection db = connections.get(client);
    db.setAutoCommit(true);
    try (PreparedStatement insert = prepare(db)) {
      bind(insert, client);
      insert.executeUpdate();
    }
  }

  /** Client {@code client} inserts {@link #BATCH} rows in one transaction. */
  void insertBatch(int client) throws SQLException {
    Connection db = connections.get(client);
    db.setAutoCommit(false);
    try (PreparedStatement insert = prepare(db)) {
      for (int i = 0; i < BATCH; i++) {
        bind(insert, client);
        insert.addBatch();
      }
      insert.executeBatch();
      db.commit();
    }
  }

  private static PreparedStatement prepare(Connection db) throws SQLException {
    return db.prepareStatement(
        "INSERT INTO bench.message (room_id, seq, sender_id, client_msg_id, body) VALUES (?, ?, ?, ?, ?)");
  }

  private void bind(PreparedStatement insert, int client) throws SQLException {
    insert.setLong(1, client + 1);
    insert.setLong(2, nextSeq.incrementAndGet());
    insert.setLong(3, client + 1);
    insert.setString(4, UUID.randomUUID().toString());
    insert.setString(5, Frames.body(System.nanoTime(), client, 100));
  }

  /**
   * Every client inserts in a loop (one row per commit, or batches) until {@link Running#stop};
   * {@code rows} counts what was committed.
   */
  Running closedLoop(boolean batched, LongAdder rows, LongAdder failures) {
    Running running = new Running();
    for (int c = 0; c < clients(); c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                while (!running.stopped) {
                  try {
                    if (batched) {
                      insertBatch(client);
                      rows.add(BATCH);
                    } else {
                      insertOne(client);
                      rows.increment();
                    }
                  } catch (SQLException e) {
                    failures.increment();
                  }
                }
              },
              "raw-jdbc-" + c);
      thread.start();
      running.threads.add(thread);
    }
    return running;
  }

  /** Client loops in progress. */
  static final class Running {
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stopped;

    void stop() throws InterruptedException {
      stopped = true;
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }

  @Override
  public void close() {
    for (Connection db : connections) {
      try {
        db.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }
}
