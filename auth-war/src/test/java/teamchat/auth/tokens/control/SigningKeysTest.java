package teamchat.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up half of the keys; making and publishing them is AuthServiceIT's, on PostgreSQL. */
class SigningKeysTest {

  private final Logger log = Logger.getLogger(SigningKeys.class.getName());
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord entry) {
          logged.add(entry);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private final SigningKeys cut = new SigningKeys();

  @BeforeEach
  void wire() {
    log.addHandler(recorder);
    cut.cipher = new SigningKeyCipher();
    cut.rotateAfter = Duration.ofDays(30);
    cut.publishAhead = Duration.ofMinutes(10);
    cut.accessTokenLifetime = Duration.ofMinutes(10);
    cut.jdbi =
        Jdbi.create(
            () -> {
              throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
            });
  }

  @AfterEach
  void unwire() {
    log.removeHandler(recorder);
  }

  @Test
  void aDatabaseOutOfReachAtStartIsOneLogLineAndNoFailedDeployment() {
    cut.readyAtStart(new Object());

    assertEquals(1, logged.size(), "one line");
    assertEquals(Level.WARNING, logged.get(0).getLevel());
    String line = logged.get(0).getMessage();
    assertTrue(line.startsWith("No signing key at start"), line);
    assertTrue(line.contains("refused"), "says why: " + line);
    assertEquals(null, logged.get(0).getThrown(), "no stack trace");
    // Later requests try again, and fail rather than publish an empty set that verifiers cache.
    assertThrows(RuntimeException.class, cut::publicKeys);
  }
}
