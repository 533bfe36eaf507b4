package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
