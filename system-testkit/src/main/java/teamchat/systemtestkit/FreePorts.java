package teamchat.systemtestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for services that a test or benchmark starts. */
public final class FreePorts {

  private FreePorts() {}

  /**
   * {@code count} free ports, all different. The sockets stay open until every port is picked: one
   * closed before the next is asked for may be handed out again (CI once started auth and chatserv
   * on the same port that way).
   */
  public static List<Integer> distinct(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing a listening socket that never accepted anything does not fail in practice.
        }
      }
    }
  }
}
