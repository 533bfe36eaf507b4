package teamchat.bench;

import java.util.List;

/**
 * The topology of {@code fanout} and {@code latency}: {@code BENCH_FANOUT_CONNECTIONS} sockets in
 * rooms of {@link #ROOM_SIZE}, opened alike to chatserv and to the Node reference, one sender per
 * room.
 */
final class FanOutRooms implements AutoCloseable {

  static final int ROOM_SIZE = 50;

  final List<Long> rooms;
  final Fleet chatserv;
  final Fleet node;

  private FanOutRooms(List<Long> rooms, Fleet chatserv, Fleet node) {
    this.rooms = rooms;
    this.chatserv = chatserv;
    this.node = node;
  }

  static FanOutRooms open(Bench bench) throws Exception {
    int connections = bench.number("BENCH_FANOUT_CONNECTIONS", 1000);
    List<Long> rooms = bench.system.createRooms(Math.max(1, connections / ROOM_SIZE));
    bench.out.printf(
        "  opening %d connections (rooms of %d) to chatserv and to Node ws%n",
        connections, ROOM_SIZE);
    Fleet chatserv = open(bench.chatserv, connections, rooms);
    return new FanOutRooms(rooms, chatserv, open(bench.node, connections, rooms));
  }

  private static Fleet open(Side side, int connections, List<Long> rooms) throws Exception {
    return Fleet.open(side.webSocket(), connections, i -> rooms.get(i / ROOM_SIZE), side.tokens());
  }

  /** The first socket of each room: the one that sends. */
  static List<ChatConnection> senders(Fleet fleet) {
    return fleet.connections.stream().filter(c -> c.index % ROOM_SIZE == 0).toList();
  }

  @Override
  public void close() {
    chatserv.close();
    node.close();
  }
}
