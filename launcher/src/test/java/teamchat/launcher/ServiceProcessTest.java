package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ServiceProcessTest {

  @Test
  void aPayaraMicroThatFailedToBootIsToldFromOneThatRunsOrWasStopped() {
    // The end of chatfront's log when its Payara Micro gave up 10 s after it was started.
    assertTrue(
        ServiceProcess.payaraFailedToBoot(
            Stream.of(
                "SEVERE: null",
                "java.lang.reflect.InvocationTargetException",
                "Caused by: fish.payara.micro.BootstrapException:"
                    + " org.glassfish.embeddable.GlassFishException: Server failed to start",
                "FINE: Already shut down")));
    assertFalse(
        ServiceProcess.payaraFailedToBoot(
            Stream.of(
                "INFO: Payara Micro 6.2025.10 (build 42) ready in 37,942 (ms)",
                "INFO: chatfront answers again")),
        "a running service");
    assertFalse(
        ServiceProcess.payaraFailedToBoot(
            Stream.of(
                "SEVERE: Exception while deploying the app [ROOT]", "FINE: Already shut down")),
        "a failed deployment is told apart by deploymentFailed, not this");
  }

  @Test
  void aPayaraMicroThatSaysItIsReadyIsToldFromOneStillBooting() {
    assertTrue(
        ServiceProcess.payaraSaysReady(
            Stream.of(
                "INFO: Created HTTP listener http-listener on host/port 0.0.0.0:37555",
                "INFO: Payara Micro 6.2025.10 (build 42) ready in 86,921 (ms)",
                "INFO: chatfront answers again")));
    assertFalse(
        ServiceProcess.payaraSaysReady(
            Stream.of(
                "INFO: Created HTTP listener http-listener on host/port 0.0.0.0:37555",
                "INFO: Deployed 1 archive(s)")),
        "still booting");
  }

  @Test
  void aPortHeldByAnOutgoingConnectionRefusesConnectionsAndAListeningOneDoesNot() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Socket outgoing = new Socket()) {
      assertFalse(
          ServiceProcess.refusesConnections(listening.getLocalPort()), "something listens there");
      // What CI met: the kernel gave an outgoing connection the local port a service was to bind.
      outgoing.connect(listening.getLocalSocketAddress());
      try (Socket accepted = listening.accept()) {
        assertTrue(accepted.isConnected());
        assertTrue(
            ServiceProcess.refusesConnections(outgoing.getLocalPort()),
            "port " + outgoing.getLocalPort() + " is held, but nothing listens on it");
      }
    }
  }
}
