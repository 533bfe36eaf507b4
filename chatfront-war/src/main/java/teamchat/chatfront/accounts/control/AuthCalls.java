package teamchat.chatfront.accounts.control;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import teamchat.contract.problems.Refused;

/**
 * A call to auth through its Rest Client, with what the client library throws turned into what it
 * means: auth's refusal ({@link Refused}), or auth unreachable, hung or not asked ({@link
 * AuthUnavailable}).
 */
public final class AuthCalls {

  private AuthCalls() {}

  /** One call to auth. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws Refused, AuthUnavailable;
  }

  /** Makes the call; a failure of the client library is auth's unavailability. */
  public static <T> T call(Call<T> call) throws Refused, AuthUnavailable {
    try {
      return call.run();
    } catch (WebApplicationException failed) {
      // Jersey's Rest Client hands over the checked exception of AuthAnswers wrapped in one.
      if (failed.getCause() instanceof Refused refused) {
        throw refused;
      }
      if (failed.getCause() instanceof AuthUnavailable unavailable) {
        throw unavailable;
      }
      throw new AuthUnavailable("auth answered " + failed.getMessage(), failed);
    } catch (ProcessingException unreachable) {
      throw new AuthUnavailable("auth did not answer: " + unreachable.getMessage(), unreachable);
    } catch (FaultToleranceException guarded) {
      // A client's circuit is open (auth stopped answering) or its bulkhead is full (auth hangs).
      throw new AuthUnavailable("auth not asked: " + guarded.getMessage(), guarded);
    }
  }
}
