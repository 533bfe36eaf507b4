package teamchat.chatfront.feeds.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Long polls answered when the feed moves past them, with nothing at their time, never lost. */
class WaitingRequestsTest {

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final AtomicLong newest = new AtomicLong(5);
  private final AtomicBoolean broken = new AtomicBoolean();

  /** A feed whose answer says how far it went: "after 5 up to 7", or "none after 5". */
  private final WaitingRequests.Feed<String> feed =
      new WaitingRequests.Feed<>() {
        @Override
        public long newest() throws SQLException {
          if (broken.get()) {
            throw new SQLException("the database is away");
          }
          return newest.get();
        }

        @Override
        public String after(long after) {
          return "after " + after + " up to " + newest.get();
        }

        @Override
        public String nothingAfter(long after) {
          return "none after " + after;
        }
      };

  private final WaitingRequests<String> cut =
      new WaitingRequests<>("test entries", feed, scheduler, Duration.ofMillis(20));

  @AfterEach
  void stop() {
    cut.stop();
    scheduler.shutdownNow();
  }

  @Test
  void aWaitingRequestIsAnsweredOnceTheFeedMovesPastIt() throws Exception {
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    cut.add(5, Duration.ofSeconds(10), answers::add);
    assertNull(answers.poll(150, TimeUnit.MILLISECONDS), "nothing new: it waits");

    newest.set(7);
    assertEquals("after 5 up to 7", answers.poll(2, TimeUnit.SECONDS));
    assertNull(answers.poll(150, TimeUnit.MILLISECONDS), "answered once");
  }

  @Test
  void aRequestWhoseTimeIsUpGetsNothingAndAnUnreadableFeedLosesNoRequest() throws Exception {
    BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    cut.add(5, Duration.ofMillis(100), answers::add);
    assertEquals("none after 5", answers.poll(2, TimeUnit.SECONDS));

    broken.set(true);
    cut.add(5, Duration.ofSeconds(10), answers::add);
    assertNull(answers.poll(200, TimeUnit.MILLISECONDS), "waits while the feed cannot be read");
    broken.set(false);
    newest.set(6);
    assertEquals("after 5 up to 6", answers.poll(2, TimeUnit.SECONDS), "and is answered after");
  }
}
