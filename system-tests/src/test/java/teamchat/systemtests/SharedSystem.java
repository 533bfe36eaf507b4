package teamchat.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One running system for the test classes that ask nothing special of it: a boot of {@code ./chat
 * up} takes a minute or more, and the suite has a time budget. A class asks for it with
 * {@code @ExtendWith(SharedSystem.class)} and a {@link RunningSystem} parameter of its
 * {@code @BeforeAll} method; the system starts with the first such class and gets SIGINT when the
 * whole run ends, as a developer's Ctrl-C would stop it.
 *
 * <p>A class that changes a setting, stops, kills or freezes a service, checks what stopping says,
 * or uses up an allowance of the address every test comes from (HostileInputIT) starts a system of
 * its own instead. Classes sharing this one register their own people (unique names) and rooms, so
 * they cannot see each other's data.
 */
final class SharedSystem implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(SharedSystem.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningSystem.class;
  }

  @Override
  public RunningSystem resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // The root store lives as long as the run, and closes what it holds at the end. A failed
    // boot is remembered there too: the next class fails at once instead of booting again.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Started.class, key -> Started.boot(), Started.class)
        .system();
  }

  private record Started(RunningSystem system, Path dataDirectory) implements AutoCloseable {

    static Started boot() {
      Path dataDirectory = null;
      try {
        dataDirectory = Files.createTempDirectory("teamchat-shared-system");
        return new Started(RunningSystem.start(dataDirectory), dataDirectory);
      } catch (Exception e) {
        throw new IllegalStateException("the shared system did not start", e);
      }
    }

    @Override
    public void close() throws Exception {
      boolean stopped = system.stop();
      try (Stream<Path> files = Files.walk(dataDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(SharedSystem::delete);
      }
      if (!stopped) {
        throw new AssertionError("the shared system did not stop on SIGINT in time");
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
