package teamchat.systemtestkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for services that a test or benchmark starts, chosen outside the range from which the
 * kernel gives outgoing connections their local ports.
 *
 * <p>Why not any free port ({@code new ServerSocket(0)} hands out ports of that very range): a
 * service binds its port a minute or more after the port was chosen, and meanwhile every connection
 * the other services open (their database pools, the Data Grid, the launcher's health polls) takes
 * a local port from that range. When one takes the chosen port, Payara Micro logs its listener as
 * created and itself as ready, and listens nowhere: CI saw {@code ./chat up} wait 300 s for an
 * auth, and once for a chatserv, that had booted.
 */
public final class FreePorts {

  /** Below this lie the ports that well-known services use. */
  static final int LOWEST = 10_000;

  /**
   * The ports after a chosen one that a service may use too, and so the least distance between two
   * chosen ports: further instances take +10 and +20, nginx's internal port +1, and a Data Grid's
   * three blocks +0 to +41.
   */
  public static final int SPAN = 64;

  /** Linux's setting; where it is missing, the range IANA recommends (49152 to 65535). */
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private static final int IANA_EPHEMERAL_LOW = 49_152;

  private FreePorts() {}

  /**
   * {@code count} free ports, each with {@link #SPAN} ports after it that no other of them uses,
   * all below the kernel's range for outgoing connections. The sockets that prove each free stay
   * open until every port is picked: one closed before the next is asked for may be handed out
   * again (CI once started auth and chatserv on the same port that way).
   */
  public static List<Integer> distinct(int count) {
    int outgoingFrom = ephemeralLow();
    int highest = outgoingFrom - SPAN - 1;
    if (highest - LOWEST < count * SPAN * 4) {
      throw new IllegalStateException(
          "too few ports below the kernel's range for outgoing connections (it starts at "
              + outgoingFrom
              + ", "
              + EPHEMERAL_RANGE
              + ")");
    }
    List<ServerSocket> sockets = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int attempt = 0; ports.size() < count; attempt++) {
        if (attempt == 1000) {
          throw new IllegalStateException("no free port found in 1000 tries");
        }
        int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
        if (ports.stream().anyMatch(other -> Math.abs(other - port) <= SPAN)) {
          continue;
        }
        ServerSocket socket = bound(port);
        if (socket != null) {
          sockets.add(socket);
          ports.add(port);
        }
      }
      return List.copyOf(ports);
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

  /** A socket bound to the port on every address, as Payara binds it; null when it is in use. */
  private static ServerSocket bound(int port) {
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(port), 1);
      return socket;
    } catch (IOException e) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // It was never bound.
        }
      }
      return null;
    }
  }

  /** The first port of the kernel's range for the local ports of outgoing connections. */
  static int ephemeralLow() {
    try {
      // Not Files.readString: a file of /proc/sys says its size is 0, and that read returns its
      // first byte only.
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return IANA_EPHEMERAL_LOW;
    }
  }
}
