package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What chatserv's log says while chatfront is away: once that it is, once that it is back. */
class ChatfrontTest {

  private final Logger log = Logger.getLogger(Chatfront.class.getName());
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler recorder =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            synchronized (records) {
              records.add(record);
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private volatile boolean down = true;
  private final Chatfront cut = new Chatfront();

  {
    cut.calls =
        new ChatfrontApi() {
          @Override
          public Response messagesAfter(long room, String member, long after, int limit) {
            return answer();
          }

          @Override
          public Response roomsOf(String subject) {
            return answer();
          }

          @Override
          public Response knowUser(String subject, Chatfront.KnownUser user) {
            return answer();
          }

          @Override
          public Response membershipChanges(long after, long waitMs) {
            return answer();
          }

          @Override
          public Response outsideStores(long after, long waitMs) {
            return answer();
          }

          private Response answer() {
            if (down) {
              throw new ProcessingException("java.net.ConnectException: Connection refused");
            }
            return Response.noContent().build();
          }
        };
    log.addHandler(recorder);
  }

  @AfterEach
  void detach() {
    log.removeHandler(recorder);
  }

  @Test
  void anOutageIsLoggedOnceAndTheReturnOnce() throws Exception {
    for (int i = 0; i < 100; i++) {
      assertThrows(Chatfront.Unavailable.class, () -> cut.knowUser("s", "ada", "Ada"));
    }
    down = false;
    cut.knowUser("s", "ada", "Ada");
    cut.knowUser("s", "ada", "Ada");
    down = true;
    assertThrows(Chatfront.Unavailable.class, () -> cut.knowUser("s", "ada", "Ada"));

    List<String> lines;
    synchronized (records) {
      lines = records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }
    assertEquals(
        List.of(
            "WARNING chatfront unavailable: {0}",
            "INFO chatfront answers again", "WARNING chatfront unavailable: {0}"),
        lines);
  }
}
