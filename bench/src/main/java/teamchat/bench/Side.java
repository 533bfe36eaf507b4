package teamchat.bench;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * One side of a comparison: chatserv, or the Node {@code ws} reference it is measured against. A
 * scenario that compares does the same to both sides, one after the other.
 */
interface Side {

  /** As the results name it: {@code chatserv} or {@code Node ws}. */
  String name();

  URI webSocket();

  /** One sign-in token per socket owner, fresh; the reference takes any. */
  List<String> tokens() throws IOException, InterruptedException;

  /** The server process, whose CPU and memory are measured. */
  long pid();

  /** Whether the server is a JVM (its heap can be read with jcmd). */
  boolean isJava();

  static Side chatserv(ChatSystem system) {
    return new Side() {
      @Override
      public String name() {
        return "chatserv";
      }

      @Override
      public URI webSocket() {
        return system.webSocket();
      }

      @Override
      public List<String> tokens() throws IOException, InterruptedException {
        return system.tokens();
      }

      @Override
      public long pid() {
        return system.pid("chatserv");
      }

      @Override
      public boolean isJava() {
        return true;
      }
    };
  }

  /**
   * The Node reference; its sockets sign in with the system's tokens when it checks them (a system
   * runs), with any token otherwise.
   */
  static Side node(NodeBroadcastServer node, ChatSystem system) {
    return new Side() {
      @Override
      public String name() {
        return "Node ws";
      }

      @Override
      public URI webSocket() {
        return node.webSocket();
      }

      @Override
      public List<String> tokens() throws IOException, InterruptedException {
        return system == null ? List.of("no-token") : system.tokens();
      }

      @Override
      public long pid() {
        return node.pid();
      }

      @Override
      public boolean isJava() {
        return false;
      }
    };
  }
}
