package teamchat.chatserv.sockets.control;

import jakarta.websocket.Session;
import teamchat.chatserv.identity.control.TokenVerifier.Identity;
import teamchat.chatserv.protocol.entity.ServerFrame;

/**
 * One open socket and everything chatserv knows of it: the session, who signed in on it (null until
 * the auth frame was accepted), its outbound queue, and when the client was last heard. The
 * socket's share of the limits is taken and given back by {@link Connections}.
 */
public final class Connection {

  public final Session session;

  /** Every frame to this socket goes through its bounded queue. */
  public final Outbound outbound;

  private volatile Identity identity;

  /** When the client last sent anything (System.nanoTime): a frame or a pong. */
  private volatile long heardAt = System.nanoTime();

  Connection(Session session, Outbound outbound) {
    this.session = session;
    this.outbound = outbound;
  }

  /** Who signed in on this socket, or null before the first accepted auth frame. */
  public Identity identity() {
    return identity;
  }

  void signedIn(Identity identity) {
    this.identity = identity;
  }

  /** The client sent something: it is alive. */
  public void heard() {
    heardAt = System.nanoTime();
  }

  long heardAt() {
    return heardAt;
  }

  /** Queues a frame for this socket. */
  public void send(ServerFrame frame) {
    outbound.send(frame);
  }

  /** The user as frames show them, once signed in. */
  public ServerFrame.User user() {
    return new ServerFrame.User(identity.subject(), identity.name());
  }
}
