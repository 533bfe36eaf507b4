package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

  @TempDir Path folder;

  @Test
  void aSecondInstanceIsToldWhoHoldsTheLock() throws Exception {
    try (InstanceLock first = InstanceLock.tryAcquire(folder).orElseThrow()) {
      // FileChannel locks are per process: a second channel in this JVM is refused like another
      // process.
      Optional<InstanceLock> second = InstanceLock.tryAcquire(folder);
      assertTrue(second.isEmpty(), "second lock refused");
      assertEquals(
          Optional.of(Long.toString(ProcessHandle.current().pid())), InstanceLock.holder(folder));
    }
  }

  @Test
  void theLockCanBeTakenAgainOnceReleased() throws Exception {
    InstanceLock.tryAcquire(folder).orElseThrow().close();
    try (InstanceLock again = InstanceLock.tryAcquire(folder).orElseThrow()) {
      assertTrue(InstanceLock.holder(folder).isPresent());
    }
  }
}
