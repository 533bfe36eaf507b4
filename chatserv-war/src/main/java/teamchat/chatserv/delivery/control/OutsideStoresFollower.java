package teamchat.chatserv.delivery.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.contract.messages.OutsideStore;
import teamchat.contract.messages.OutsideStores;

/**
 * Follows chatfront's feed of entries stored outside chatserv (posted through the public API, by
 * webhooks, bots) with a long poll, so that they reach open chat screens live on every chatserv
 * instance: each instance follows the feed itself, with its own position, and hands each notice
 * ("room R has entries up to seq N") to {@link Subscriptions#catchUpTo}, which reads the entries
 * from chatfront for the room's followers that are behind; what a follower was sent already is
 * dropped by seq, so an entry that also came by another way (a later message revealed the gap, a
 * reconnect replayed it) is still sent once.
 *
 * <p>The feed is read from its start: it holds one notice per room, so that costs a few pages once,
 * and a notice for a room no socket follows costs a map lookup; a post made while chatserv starts
 * is not skipped. When chatfront cannot be reached the follower waits and asks again after the same
 * position: notices wait in chatfront's table, and a socket that subscribes or reconnects meanwhile
 * reads its room from chatfront anyway. Nothing ends the loop but chatserv's shutdown.
 */
@ApplicationScoped
public class OutsideStoresFollower {

  private static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  @Inject Chatfront chatfront;
  @Inject Subscriptions subscriptions;
  @Inject Workers workers;

  private volatile boolean running = true;
  private Thread follower;

  void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    follower = workers.startCritical("chatserv-outside-stores", this::follow);
  }

  @PreDestroy
  void stop() {
    running = false;
    if (follower != null) {
      follower.interrupt();
    }
  }

  private void follow() {
    long last = 0;
    while (running) {
      try {
        OutsideStores answer = chatfront.outsideStores(last, Chatfront.FEED_WAIT);
        for (OutsideStore store : answer.stores()) {
          Workers.guarded(
                  "a store made outside chatserv",
                  () -> subscriptions.catchUpTo(store.room(), store.seq()))
              .run();
        }
        last = answer.last(); // lower only after a restore of chatfront's database
      } catch (Chatfront.Unavailable e) {
        pause();
      } catch (Throwable e) {
        Workers.failed("following stores made outside chatserv", e);
        pause();
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_AFTER.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
