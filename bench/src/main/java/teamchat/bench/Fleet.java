package teamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * The connections of one scenario against one server, opened with a bounded number of handshakes in
 * flight (a connect storm would measure the accept queue, not the server), and the counters they
 * share.
 */
final class Fleet implements AutoCloseable {

  private static final int HANDSHAKES_IN_FLIGHT = 64;

  final List<ChatConnection> connections = new ArrayList<>();
  final LongAdder drops = new LongAdder();
  final LongAdder errors = new LongAdder();
  volatile String lastDrop;

  /**
   * Opens {@code count} connections to {@code uri}; connection i follows room {@code rooms(i)} (0:
   * none) signed in with {@code tokens.get(i % size)}. Returns once all are ready.
   */
  static Fleet open(URI uri, int count, IntToLongFunction rooms, List<String> tokens)
      throws IOException, InterruptedException {
    return open(i -> uri, count, rooms, tokens);
  }

  /** As above, connection i to server {@code uris(i)} (one of several chatserv instances). */
  static Fleet open(IntFunction<URI> uris, int count, IntToLongFunction rooms, List<String> tokens)
      throws IOException, InterruptedException {
    Fleet fleet = new Fleet();
    Semaphore inFlight = new Semaphore(HANDSHAKES_IN_FLIGHT);
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      ChatConnection connection =
          ChatConnection.open(
              uris.apply(i), i, rooms.applyAsLong(i), tokens.get(i % tokens.size()), fleet);
      connection.ready.whenComplete((c, failure) -> inFlight.release());
      fleet.connections.add(connection);
    }
    for (ChatConnection connection : fleet.connections) {
      try {
        connection.ready.get(120, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        fleet.close();
        throw new IOException(
            "connection "
                + connection.index
                + " to "
                + uris.apply(connection.index)
                + " failed: "
                + e.getMessage(),
            e);
      }
    }
    return fleet;
  }

  void setTraffic(ChatConnection.Traffic traffic) {
    connections.forEach(c -> c.traffic = traffic);
  }

  @Override
  public void close() {
    connections.forEach(ChatConnection::close);
  }
}
