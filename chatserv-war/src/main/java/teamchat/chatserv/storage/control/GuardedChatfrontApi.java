package teamchat.chatserv.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import teamchat.contract.messages.StoreBatch;

/**
 * chatfront's API behind MicroProfile Fault Tolerance, for {@link Chatfront}: a circuit breaker per
 * method, so that once chatfront stops answering (calls time out or cannot connect), callers are
 * answered at once for a moment instead of each waiting {@code chatserv.chatfront-timeout}; and a
 * bulkhead on {@code roomsOf}, the one call made on the threads that handle frames, so that a hung
 * chatfront holds only a few of them. Their settings are MicroProfile Config keys of this class
 * (microprofile-config.properties). What they throw when they refuse a call (a {@code
 * FaultToleranceException}) reaches {@link Chatfront} as any failed call does: it is unavailable,
 * and a store's outcome unknown.
 *
 * <p>A bean of its own because the Rest Client built by {@link RestClients} is no CDI bean: Fault
 * Tolerance annotations on its interface would never be applied. Only a call that got no answer
 * counts as a failure ({@code failOn}): an answer with an error status is chatfront answering.
 * Every method has its own circuit: its state is per method. The store of a batch, the call on the
 * path of every message, goes through a lean client of its own ({@link BatchPoster}), behind its
 * circuit all the same. The long polls of the membership and outside-stores feeds are not here:
 * each runs on a thread of its own and waits by design.
 */
@ApplicationScoped
@CircuitBreaker(failOn = ProcessingException.class)
public class GuardedChatfrontApi implements ChatfrontApi {

  @Inject
  @ConfigProperty(name = "chatfront.url")
  String url;

  @Inject
  @ConfigProperty(name = "chatserv.chatfront-timeout")
  Duration timeout;

  @Inject ServiceAssertion serviceAssertion;

  private ChatfrontApi calls;

  private BatchPoster batches;

  @PostConstruct
  void connect() {
    calls =
        RestClients.build(
            ChatfrontApi.class, url, timeout, timeout, true, serviceAssertion.bearer());
    batches = new BatchPoster(url, timeout, serviceAssertion::authorization);
  }

  @PreDestroy
  void close() {
    RestClients.close(calls);
  }

  /** Stores a batch ({@link BatchPoster}): chatfront's status, and its outcomes on a 200. */
  public BatchPoster.Answer store(StoreBatch batch) {
    return batches.post(batch);
  }

  @Override
  public Response messagesAfter(long room, String member, long after, int limit) {
    return calls.messagesAfter(room, member, after, limit);
  }

  @Override
  @Bulkhead
  public Response roomsOf(String subject) {
    return calls.roomsOf(subject);
  }

  @Override
  public Response knowUser(String subject, Chatfront.KnownUser user) {
    return calls.knowUser(subject, user);
  }

  /**
   * Part of the interface only: {@link Chatfront} makes its long polls with a client of its own,
   * with a longer read timeout and no circuit (a long poll waits by design).
   */
  @Override
  public Response membershipChanges(long after, long waitMs) {
    return calls.membershipChanges(after, waitMs);
  }

  /**
   * Part of the interface only, as {@link #membershipChanges}: a long poll of {@link Chatfront}.
   */
  @Override
  public Response outsideStores(long after, long waitMs) {
    return calls.outsideStores(after, waitMs);
  }
}
