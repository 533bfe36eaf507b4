package teamchat.chatserv.delivery.control;

import teamchat.chatserv.health.control.Workers;
import teamchat.chatserv.storage.control.Chatfront;

/** A started {@link Subscriptions} outside the container, for tests of the features that use it. */
public final class SubscriptionsForTests {

  private SubscriptionsForTests() {}

  public static Subscriptions started(Chatfront chatfront, Workers workers) {
    Subscriptions subscriptions = new Subscriptions();
    subscriptions.chatfront = chatfront;
    subscriptions.workers = workers;
    subscriptions.start();
    return subscriptions;
  }

  public static void stop(Subscriptions subscriptions) {
    subscriptions.stop();
  }
}
