package teamchat.systemtestkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void portsLieBelowTheKernelsRangeForOutgoingConnectionsWithRoomAfterEach() throws IOException {
    // Read here, not through FreePorts, so that a wrong reading there fails this test.
    Path setting = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int outgoingFrom =
        Files.exists(setting)
            ? Integer.parseInt(Files.readAllLines(setting).get(0).trim().split("\\s+")[0])
            : 49_152;
    for (int round = 0; round < 20; round++) {
      List<Integer> ports = FreePorts.distinct(5);
      assertEquals(5, ports.size());
      for (int port : ports) {
        assertTrue(
            port >= FreePorts.LOWEST && port + FreePorts.SPAN < outgoingFrom,
            port + " and the ports after it lie below " + outgoingFrom);
        for (int other : ports) {
          assertTrue(
              other == port || Math.abs(other - port) > FreePorts.SPAN,
              ports + ": " + port + " and " + other + " too close");
        }
      }
      // Free when handed out: a service can bind each.
      for (int port : ports) {
        try (ServerSocket socket = new ServerSocket()) {
          socket.bind(new InetSocketAddress(port));
        }
      }
    }
  }
}
