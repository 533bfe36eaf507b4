package teamchat.chatfront.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ConversationScoped;
import jakarta.enterprise.context.SessionScoped;
import jakarta.faces.flow.FlowScoped;
import jakarta.faces.view.ViewScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import teamchat.chatfront.web.SessionChanges;

/**
 * What chatfront keeps in a web session survives being written to the Data Grid and read back on
 * another instance: the beans of a session-like scope are exactly the ones checked here, and each
 * comes back with its state. (Their injected beans are Weld's client proxies, which Weld serialises
 * by reference; here they are left out, and given again where the copy is used, as the other
 * instance's Weld does.) Mojarra's own view state is Serializable by design; the kill test in
 * docs/scaling.md covers it.
 */
class SessionContentsTest {

  private static final List<Class<? extends Annotation>> SESSION_LIKE_SCOPES =
      List.of(SessionScoped.class, ViewScoped.class, ConversationScoped.class, FlowScoped.class);

  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void everyBeanKeptInTheSessionIsOneThisClassRoundTrips() throws Exception {
    Path classes =
        Path.of(SignedInUser.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<Class<?>> sessionBeans;
    try (Stream<Path> files = Files.walk(classes)) {
      sessionBeans =
          files
              .filter(file -> file.toString().endsWith(".class"))
              .map(file -> className(classes, file))
              .map(SessionContentsTest::load)
              .filter(type -> SESSION_LIKE_SCOPES.stream().anyMatch(type::isAnnotationPresent))
              .collect(Collectors.toSet());
    }
    assertEquals(
        Set.of(SignedInUser.class),
        sessionBeans,
        "a new session-scoped or view-scoped bean needs a round trip in this class");
  }

  @Test
  void aSignedInUserComesBackWithItsTokens() throws Exception {
    SignedInUser user = signedIn(Duration.ofMinutes(10));

    SignedInUser copy = roundTrip(user);

    assertTrue(copy.isSignedIn());
    assertEquals("ada", copy.username());
    assertEquals("Ada", copy.displayName());
    assertEquals("sub-1", copy.subject());
    assertEquals("sid-1", copy.session());
    copy.auth = new AuthAccounts();
    Tokens kept = copy.freshTokens().orElseThrow(); // valid long enough: auth is not asked
    assertEquals("access-1", kept.accessToken());
    assertEquals("refresh-1", kept.refreshToken());
    assertEquals(user.freshTokens().orElseThrow().accessExpires(), kept.accessExpires());
  }

  @Test
  void aSignedOutSessionComesBackSignedOut() throws Exception {
    SignedInUser user = signedIn(Duration.ofMinutes(10));
    user.ended();

    assertFalse(roundTrip(user).isSignedIn());
  }

  /**
   * A session saved while one of its requests waits on auth: the copy on the other instance is not
   * held by a call that belongs to the first instance (which may be dead by now).
   */
  @Test
  void aSessionSavedWhileItsRefreshIsRunningComesBackFreeToRefresh() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    SignedInUser user = signedIn(Duration.ofSeconds(30)); // due for renewal
    user.auth =
        new AuthAccounts() {
          @Override
          public Tokens refresh(String refreshToken) {
            asked.countDown();
            try {
              answer.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return tokens("access-2", "refresh-2", Duration.ofMinutes(10));
          }
        };
    Future<?> renewing = pool.submit(user::freshTokens);
    assertTrue(asked.await(5, TimeUnit.SECONDS));
    user.auth = null; // as Weld's proxy would be written: by reference, not as the object

    SignedInUser copy = roundTrip(user);
    answer.countDown();
    renewing.get(5, TimeUnit.SECONDS);

    copy.auth =
        new AuthAccounts() {
          @Override
          public Tokens refresh(String refreshToken) {
            assertEquals("refresh-1", refreshToken);
            return tokens("access-3", "refresh-3", Duration.ofMinutes(10));
          }
        };
    copy.changes = noChanges();
    assertEquals("access-3", copy.freshTokens().orElseThrow().accessToken());
  }

  private static SignedInUser signedIn(Duration valid) {
    SignedInUser user = new SignedInUser();
    user.changes = noChanges();
    user.signIn(tokens("access-1", "refresh-1", valid));
    return user;
  }

  /** Written as Payara writes a session to the grid, and read back as the other instance does. */
  private static SignedInUser roundTrip(SignedInUser user)
      throws IOException, ClassNotFoundException {
    SessionChanges changes = user.changes;
    user.changes = null; // a Weld proxy too
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(user);
    } finally {
      user.changes = changes;
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (SignedInUser) in.readObject();
    }
  }

  private static SessionChanges noChanges() {
    return new SessionChanges() {
      @Override
      public void changed() {}
    };
  }

  private static Tokens tokens(String access, String refresh, Duration valid) {
    return new Tokens(access, Instant.now().plus(valid), refresh, "sub-1", "ada", "Ada", "sid-1");
  }

  private static String className(Path root, Path file) {
    String relative = root.relativize(file).toString();
    return relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, SessionContentsTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
