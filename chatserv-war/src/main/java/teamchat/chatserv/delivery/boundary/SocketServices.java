package teamchat.chatserv.delivery.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import teamchat.chatserv.delivery.control.Memberships;
import teamchat.chatserv.delivery.control.Subscriptions;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.presence.control.Presence;
import teamchat.chatserv.sockets.control.Connections;
import teamchat.chatserv.sockets.control.Limits;
import teamchat.chatserv.storage.control.Batcher;
import teamchat.chatserv.storage.control.KnownPeople;

/**
 * What every socket's {@link ChatEndpoint} works with, injected once for all of them. The endpoint
 * itself is made without CDI ({@link EndpointConfigurator#getEndpointInstance}): Payara's WebSocket
 * container would otherwise build a new injection target for every socket (its interception model,
 * a copy of each injected field, an entry in a map until the socket closes), which is CPU at every
 * connect and memory for every socket held (BENCHMARKS.md, scenario 5).
 */
@ApplicationScoped
public class SocketServices {
  @Inject Connections connections;
  @Inject TokenVerifier verifier;
  @Inject Memberships memberships;
  @Inject Subscriptions subscriptions;
  @Inject Batcher batcher;
  @Inject Limits limits;
  @Inject Presence presence;
  @Inject KnownPeople people;
  @Inject Validator validator;

  /** Hands itself to the configurator once the application has started (before the port opens). */
  void started(@Observes @Initialized(ApplicationScoped.class) Object application) {
    EndpointConfigurator.started(this);
  }
}
