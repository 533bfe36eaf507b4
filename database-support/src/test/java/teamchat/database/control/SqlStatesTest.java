package teamchat.database.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SqlStatesTest {

  private static final SQLException DUPLICATE = new SQLException("duplicate key", "23505");
  private static final SQLException NUL_IN_TEXT = new SQLException("invalid byte", "22021");
  private static final SQLException CONNECTION_LOST = new SQLException("gone", "08006");

  @Test
  void theStateIsFoundThroughTheWrappersOfJpaAndJta() {
    RuntimeException wrapped =
        new IllegalStateException("rollback", new RuntimeException("persistence", DUPLICATE));

    assertEquals(Optional.of("23505"), SqlStates.of(wrapped));
    assertTrue(SqlStates.isUniqueViolation(wrapped));
    assertEquals(Optional.empty(), SqlStates.of(new IllegalStateException("no SQL here")));
  }

  @Test
  void theStateOfABatchIsInTheNextException() {
    SQLException batch = new SQLException("batch entry 0 failed");
    batch.setNextException(NUL_IN_TEXT);

    assertEquals(Optional.of("22021"), SqlStates.of(batch));
  }

  @Test
  void refusedDataIsTheClientsFaultAndALostConnectionOrADuplicateIsNot() {
    assertTrue(SqlStates.isRefusedData(NUL_IN_TEXT));
    assertTrue(SqlStates.isRefusedData(new SQLException("fk", "23503")));
    assertFalse(SqlStates.isRefusedData(DUPLICATE));
    assertFalse(SqlStates.isRefusedData(CONNECTION_LOST));
  }

  @Test
  void aUniqueViolationIsTriedAgainAndTheSecondAttemptAnswers() throws SQLException {
    AtomicInteger attempts = new AtomicInteger();

    String answer =
        SqlStates.retryingUniqueViolations(
            3,
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw DUPLICATE;
              }
              return "found the row the other transaction stored";
            });

    assertEquals("found the row the other transaction stored", answer);
    assertEquals(2, attempts.get());
  }

  @Test
  void otherFailuresAreNotRetriedAndTheLastViolationIsThrownWhenAttemptsRunOut() {
    AtomicInteger attempts = new AtomicInteger();
    SQLException lost =
        assertThrows(
            SQLException.class,
            () ->
                SqlStates.retryingUniqueViolations(
                    3,
                    () -> {
                      attempts.incrementAndGet();
                      throw CONNECTION_LOST;
                    }));
    assertSame(CONNECTION_LOST, lost);
    assertEquals(1, attempts.get());

    attempts.set(0);
    assertThrows(
        SQLException.class,
        () ->
            SqlStates.retryingUniqueViolations(
                3,
                () -> {
                  attempts.incrementAndGet();
                  throw DUPLICATE;
                }));
    assertEquals(3, attempts.get());
  }
}
