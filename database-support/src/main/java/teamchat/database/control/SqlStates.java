package teamchat.database.control;

import java.sql.SQLException;
import java.util.Optional;

/**
 * What PostgreSQL said went wrong, read from the SQLSTATE of a failure however deeply JPA, JTA or
 * the connection pool wrapped it; and the retry that a unique violation of a concurrent insert
 * calls for. The one home of these codes for every WAR.
 */
public final class SqlStates {

  /** A unique constraint was violated (often: a concurrent transaction inserted the same key). */
  public static final String UNIQUE_VIOLATION = "23505";

  private static final int DEEPEST_CAUSE = 20;

  private SqlStates() {}

  /** The SQLSTATE of the first {@link SQLException} among the causes (and their next ones). */
  public static Optional<String> of(Throwable failure) {
    int depth = 0;
    for (Throwable cause = failure;
        cause != null && depth < DEEPEST_CAUSE;
        cause = cause.getCause(), depth++) {
      if (cause instanceof SQLException sql) {
        for (SQLException next = sql; next != null; next = next.getNextException()) {
          if (next.getSQLState() != null) {
            return Optional.of(next.getSQLState());
          }
        }
      }
    }
    return Optional.empty();
  }

  public static boolean isUniqueViolation(Throwable failure) {
    return of(failure).filter(UNIQUE_VIOLATION::equals).isPresent();
  }

  /**
   * Whether the database refused the data of a statement (class 22, data exception, such as a NUL
   * in text; or class 23, a broken constraint, other than a unique violation, which a retry
   * resolves), as opposed to failing itself (connection lost, disk full).
   */
  public static boolean isRefusedData(Throwable failure) {
    return of(failure)
        .filter(
            state ->
                state.startsWith("22")
                    || (state.startsWith("23") && !UNIQUE_VIOLATION.equals(state)))
        .isPresent();
  }

  /** Work in its own transaction, which may fail and be tried again. */
  @FunctionalInterface
  public interface Transaction<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code work} and, when it fails with a unique violation (a concurrent transaction inserted
   * the same key first and committed), runs it again, at most {@code attempts} times in all: the
   * next attempt finds the row that the other one committed. Each attempt must be a transaction of
   * its own (a call through a transactional bean), as PostgreSQL aborts the failed one.
   */
  public static <T, E extends Exception> T retryingUniqueViolations(
      int attempts, Transaction<T, E> work) throws E {
    if (attempts < 1) {
      throw new IllegalArgumentException("at least one attempt, not " + attempts);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run();
      } catch (Exception e) {
        if (attempt >= attempts || !isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }
}
