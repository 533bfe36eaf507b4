package teamchat.chatserv.delivery.boundary;

import jakarta.validation.Validator;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatserv.delivery.control.Memberships;
import teamchat.chatserv.delivery.control.Subscriptions;
import teamchat.chatserv.identity.control.TokenVerifier;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;
import teamchat.chatserv.presence.control.Presence;
import teamchat.chatserv.protocol.boundary.ClientFrameDecoder;
import teamchat.chatserv.protocol.boundary.EntryCheck;
import teamchat.chatserv.protocol.entity.ClientFrame;
import teamchat.chatserv.protocol.entity.ServerFrame;
import teamchat.chatserv.sockets.control.Connection;
import teamchat.chatserv.sockets.control.Connections;
import teamchat.chatserv.sockets.control.Limits;
import teamchat.chatserv.storage.control.Batcher;
import teamchat.chatserv.storage.control.Chatfront;
import teamchat.chatserv.storage.control.KnownPeople;
import teamchat.contract.messages.NewMessage;

/**
 * The browsers' WebSocket, at {@code /ws}: the socket's life (open, frames, pongs, close) and what
 * each kind of client frame does. The frames and close codes are described in docs/protocol.md and
 * typed in {@code teamchat.chatserv.protocol}. The access token travels in the first frame, never
 * in the URL, where proxy logs would keep it.
 *
 * <p>There is one instance per socket, so {@link #connection} is this socket's. {@link
 * EndpointConfigurator} makes it, with the services every socket shares ({@link SocketServices}).
 */
@ServerEndpoint(value = "/ws", configurator = EndpointConfigurator.class)
public class ChatEndpoint implements ClientFrame.Handler {

  /** Frames above this close the socket with 1009. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

  private final Connections connections;
  private final TokenVerifier verifier;
  private final Memberships memberships;
  private final Subscriptions subscriptions;
  private final Batcher batcher;
  private final Limits limits;
  private final Presence presence;
  private final KnownPeople people;
  private final Validator validator;

  /** This socket; null when it was refused at open (server full) and is closing. */
  private Connection connection;

  ChatEndpoint(SocketServices services) {
    connections = services.connections;
    verifier = services.verifier;
    memberships = services.memberships;
    subscriptions = services.subscriptions;
    batcher = services.batcher;
    limits = services.limits;
    presence = services.presence;
    people = services.people;
    validator = services.validator;
  }

  @OnOpen
  public void open(Session session) {
    connection = connections.opened(session).orElse(null);
  }

  /**
   * Every text frame, read here rather than by a Tyrus decoder, which Tyrus would make anew for
   * each socket ({@link ClientFrameDecoder}).
   */
  @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
  public void frame(Session session, String text) {
    if (connection == null) {
      return; // refused at open and closing: nothing more to answer
    }
    ClientFrame frame = ClientFrameDecoder.read(text);
    connection.heard();
    if (connection.identity() == null
        && !(frame instanceof ClientFrame.Auth)
        && !(frame instanceof ClientFrame.Malformed)) {
      close(CloseCodes.VIOLATED_POLICY, "auth_required");
      return;
    }
    frame.handleBy(this);
  }

  /** The first auth frame signs the socket in; a later one refreshes the token in-band. */
  @Override
  public void auth(ClientFrame.Auth frame) {
    Identity identity;
    try {
      identity = verifier.verify(frame.token());
    } catch (TokenVerifier.Refused refused) {
      close(CloseCodes.VIOLATED_POLICY, refused.code);
      return;
    }
    switch (connections.signIn(connection, identity)) {
      case USER_CHANGED -> close(CloseCodes.VIOLATED_POLICY, "user_changed");
      case TOO_MANY_CONNECTIONS -> close(CloseCodes.VIOLATED_POLICY, "too_many_connections");
      case FIRST -> {
        people.signedIn(identity);
        connection.send(new ServerFrame.SignedIn(true, connection.user(), expires(identity)));
      }
      case REFRESHED ->
          connection.send(new ServerFrame.SignedIn(false, connection.user(), expires(identity)));
    }
  }

  /** A message of the room, or with {@code parent} a reply in a thread: see {@link #store}. */
  @Override
  public void send(ClientFrame.Send frame) {
    store(frame);
  }

  /** A new body for the sender's own message (chatfront checks that it is theirs). */
  @Override
  public void edit(ClientFrame.Edit frame) {
    store(frame);
  }

  /** A tombstone for a message (chatfront checks the author or an owner of the room). */
  @Override
  public void delete(ClientFrame.Delete frame) {
    store(frame);
  }

  /** The sender's reaction added or taken away. */
  @Override
  public void react(ClientFrame.React frame) {
    store(frame);
  }

  /**
   * Every entry of a room's stream takes the same way: checked at the door ({@link EntryCheck}, the
   * rules chatfront applies too), within the sender's one send rate, by a member of the room, then
   * stored with others in a batch and acked once committed; what chatfront refuses (not the author,
   * a deleted target…) is answered with its code by the batcher.
   */
  private void store(ClientFrame.EntryRequest frame) {
    String subject = connection.identity().subject();
    EntryCheck.Verdict verdict = EntryCheck.check(frame, subject, validator);
    if (verdict instanceof EntryCheck.Refused refused) {
      refuse(refused.error());
      return;
    }
    NewMessage entry = ((EntryCheck.Admitted) verdict).entry();
    long wait = limits.sendDelayMillis(subject);
    if (wait > 0) {
      refuse(ServerFrame.Error.rateLimited(entry.clientMsgId(), entry.room(), wait));
      return;
    }
    if (member(entry.room(), entry.clientMsgId()) && !batcher.submit(connection.outbound, entry)) {
      refuse(
          ServerFrame.Error.of(
              "overloaded",
              "Too busy; send it again shortly.",
              true,
              entry.clientMsgId(),
              entry.room()));
    }
  }

  /** What came after seq {@code after}, then live; and who of the room is online. */
  @Override
  public void subscribe(ClientFrame.Subscribe frame) {
    if (!validator.validate(frame).isEmpty()) {
      refuse(
          ServerFrame.Error.of(
              "invalid_frame", "subscribe needs room and after >= 0.", false, null, frame.room()));
      return;
    }
    if (member(frame.room(), null)) {
      String subject = connection.identity().subject();
      subscriptions.subscribe(connection.outbound, subject, frame.room(), frame.after());
      presence.enter(frame.room(), connection.outbound, connection.user());
    }
  }

  /** Stops following the room; a frame without a valid room has nothing to stop. */
  @Override
  public void unsubscribe(ClientFrame.Unsubscribe frame) {
    if (validator.validate(frame).isEmpty()) {
      subscriptions.unsubscribe(connection.session, frame.room());
      presence.leave(frame.room(), connection.session);
    }
  }

  /**
   * Relayed to the room's other users, at most once per {@code chatserv.typing-interval}; more
   * often is dropped without an answer (typing is a hint).
   */
  @Override
  public void typing(ClientFrame.Typing frame) {
    if (!validator.validate(frame).isEmpty()) {
      refuse(
          ServerFrame.Error.of(
              "invalid_frame",
              "typing needs a room, and a thread only as a message id.",
              false,
              null,
              frame.room()));
      return;
    }
    if (!presence.typing(frame.room(), frame.thread(), connection.session)) {
      refuse(
          ServerFrame.Error.of(
              "not_subscribed", "Subscribe to the room first.", false, null, frame.room()));
    }
  }

  @Override
  public void unknown(ClientFrame.Unknown frame) {
    refuse(ServerFrame.Error.of("unknown_type", "Unknown frame type.", false, null, null));
  }

  @Override
  public void malformed(ClientFrame.Malformed frame) {
    close(CloseCodes.NOT_CONSISTENT, frame.reason());
  }

  /** The answer to chatserv's ping (browsers send it by themselves): the client is alive. */
  @OnMessage
  public void pong(Session session, PongMessage pong) {
    if (connection != null) {
      connection.heard();
    }
  }

  @OnMessage
  public void binary(Session session, ByteBuffer data) {
    Connections.close(session, CloseCodes.CANNOT_ACCEPT, "binary_not_supported");
  }

  @OnClose
  public void closed(Session session) {
    if (connection != null) {
      connections.closed(connection);
    }
    subscriptions.forget(session);
    presence.leaveAll(session);
  }

  @OnError
  public void failed(Session session, Throwable error) {
    // Abrupt disconnects land here; they are the client's business, not a server fault.
    LOG.log(Level.FINE, "socket error", error);
  }

  private boolean member(long room, String clientMsgId) {
    try {
      if (memberships.isMember(connection.identity().subject(), room)) {
        return true;
      }
      refuse(
          ServerFrame.Error.of(
              "not_a_member", "You are not a member of this room.", false, clientMsgId, room));
    } catch (Chatfront.Unavailable e) {
      refuse(ServerFrame.Error.of("unavailable", "Try again shortly.", true, clientMsgId, room));
    }
    return false;
  }

  private static long expires(Identity identity) {
    return identity.expires().toEpochMilli();
  }

  private void refuse(ServerFrame.Error error) {
    connection.send(error);
  }

  private void close(CloseCodes code, String reason) {
    Connections.close(connection.session, code, reason);
  }
}
