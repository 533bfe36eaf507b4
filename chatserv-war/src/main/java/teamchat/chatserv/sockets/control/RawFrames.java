package teamchat.chatserv.sockets.control;

import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes an already framed text message ({@code ServerFrame.Encoded.wireFrame()}) to one Tyrus
 * socket, the way Tyrus's own broadcast does ({@code TyrusWebSocket.sendRawFrame}).
 *
 * <p>Why: sent as text, a message is encoded to UTF-8 and framed once for every socket it goes to,
 * and each send reschedules the socket's idle timer; sent framed, it is encoded once for all of
 * them, and no timer moves (chatserv sets no idle timeout: pings find dead peers). Those were a
 * quarter of chatserv's samples while fanning out (BENCHMARKS.md, issue 18).
 *
 * <p>Tyrus 2.1.5 has {@code sendRawFrame} on its {@code TyrusWebSocket}, which a session's remote
 * endpoint holds in its package-private field {@value #WEB_SOCKET_FIELD}; the JSR 356 API has no
 * way to it. When a Tyrus version no longer has them, or a socket negotiated an extension (which
 * would have to transform each frame: chatserv offers none), the socket sends text as before, and
 * the log says so once (WARNING).
 */
final class RawFrames {

  private static final Logger LOG = Logger.getLogger(RawFrames.class.getName());

  /** The field of Tyrus's {@code TyrusRemoteEndpoint} that holds the socket. */
  static final String WEB_SOCKET_FIELD = "webSocket";

  /** Whether the way frames go was logged (once, at the first socket). */
  private static final AtomicBoolean LOGGED = new AtomicBoolean();

  /** The log line that says sockets take framed messages (the system tests look for it). */
  static final String FRAMED = "sockets are sent framed messages (Tyrus's sendRawFrame)";

  /** The field that holds the socket, by the remote endpoint's class; null: none. */
  private static final ClassValue<Field> WEB_SOCKET_FIELDS =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> remoteClass) {
          return webSocketFieldOf(remoteClass);
        }
      };

  /** The socket's {@code sendRawFrame}, by the socket's class; null: none that can be used. */
  private static final ClassValue<MethodHandle> SENDS =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> socketClass) {
          return sendOf(socketClass);
        }
      };

  private final Object webSocket;
  private final MethodHandle sendRawFrame;

  private RawFrames(Object webSocket, MethodHandle sendRawFrame) {
    this.webSocket = webSocket;
    this.sendRawFrame = sendRawFrame;
  }

  /** The framed-message writer of this session's socket; empty when it must send text. */
  static Optional<RawFrames> of(Session session) {
    Object remote = session.getAsyncRemote();
    Optional<RawFrames> raw = ofRemote(remote);
    if (raw.isPresent() && !session.getNegotiatedExtensions().isEmpty()) {
      return Optional.empty(); // an extension transforms each frame: Tyrus's own send must
    }
    if (LOGGED.compareAndSet(false, true)) {
      if (raw.isPresent()) {
        LOG.info(FRAMED);
      } else {
        LOG.warning(
            "sockets are sent text (no sendRawFrame through a field "
                + WEB_SOCKET_FIELD
                + " in "
                + remote.getClass().getName()
                + "): each message is encoded once per recipient");
      }
    }
    return raw;
  }

  /** The same from the remote endpoint alone, for tests. */
  static Optional<RawFrames> ofRemote(Object remote) {
    Field field = WEB_SOCKET_FIELDS.get(remote.getClass());
    if (field == null) {
      return Optional.empty();
    }
    try {
      Object webSocket = field.get(remote);
      MethodHandle send = SENDS.get(webSocket.getClass());
      return send == null ? Optional.empty() : Optional.of(new RawFrames(webSocket, send));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "reaching Tyrus's socket", e);
      return Optional.empty();
    }
  }

  /**
   * Hands one whole frame to the socket; the future completes when it is written, or fails. Throws
   * as Tyrus does when the socket is closed (a RuntimeException).
   */
  CompletableFuture<?> send(ByteBuffer frame) {
    Object written;
    try {
      written = sendRawFrame.invoke(webSocket, frame);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    return (CompletableFuture<?>) written;
  }

  /** The field {@value #WEB_SOCKET_FIELD} of the class or of one it extends, opened; or null. */
  private static Field webSocketFieldOf(Class<?> remoteClass) {
    for (Class<?> type = remoteClass; type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(WEB_SOCKET_FIELD);
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException notHere) {
        // a class it extends may have it
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "opening " + WEB_SOCKET_FIELD, e);
        return null;
      }
    }
    return null;
  }

  /**
   * {@code sendRawFrame(ByteBuffer)}, public, whose futures can tell when they complete: Tyrus
   * declares a {@code Future} and returns its {@code TyrusFuture}, a {@code CompletableFuture}.
   */
  private static MethodHandle sendOf(Class<?> socketClass) {
    try {
      Method method = socketClass.getMethod("sendRawFrame", ByteBuffer.class);
      if (!completable(method.getReturnType(), socketClass)) {
        return null;
      }
      return MethodHandles.publicLookup()
          .unreflect(method)
          .asType(MethodType.methodType(Object.class, Object.class, ByteBuffer.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "finding sendRawFrame", e);
      return null;
    }
  }

  private static boolean completable(Class<?> returned, Class<?> socketClass) {
    if (CompletableFuture.class.isAssignableFrom(returned)) {
      return true;
    }
    if (returned != Future.class) {
      return false;
    }
    try {
      return CompletableFuture.class.isAssignableFrom(
          Class.forName(
              "org.glassfish.tyrus.core.TyrusFuture", false, socketClass.getClassLoader()));
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
