package teamchat.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;

/**
 * Class data sharing (AppCDS) for one service's uber-jar: the classes a run loaded, parsed and
 * verified once and mapped from a file by every later start, so that Payara Micro and the
 * application start with fewer class loads on a small machine (issue 18's start-up bar; the test
 * suite boots the whole system several times).
 *
 * <p>The archive is the JDK's dynamic archive ({@code -XX:ArchiveClassesAtExit}, JDK 13 and later):
 * written by the JVM when it exits, here when {@code ./chat up} stops the service (SIGTERM), from
 * the classes that run loaded. It holds the classes of Payara Micro's own class loaders too, which
 * load its runtime from a temporary folder of each run: for classes of a class loader of its own,
 * the JVM takes the archived copy when the bytes it is given have the same size and checksum. So no
 * fixed {@code --rootdir} and no launcher jar are needed.
 *
 * <p>It lives beside the uber-jar ({@code <uber-jar name>.jsa}, in {@code target/}, so {@code mvn
 * clean} removes it with the jar). A start uses it when it is newer than the jar; otherwise the
 * first instance of the kind writes a new one when it stops: into a file of its own, moved into
 * place only after a clean exit (SIGTERM's 143 or 0) and only if the jar did not change meanwhile,
 * so a killed or crashed run, or two systems stopping at once, never leave a half-written or
 * mismatched archive. The JVM checks the archive against the jar it runs as well and starts without
 * it when they differ.
 */
final class ClassDataSharing {

  /** Exit statuses of a JVM that ran its shutdown, and so wrote its archive: SIGTERM's, or 0. */
  private static final List<Integer> CLEAN_EXITS = List.of(143, 0);

  private final Path uberJar;
  private final Path archive;
  private final boolean writer;

  /** The archive this run writes at exit (a file of its own), or null when it writes none. */
  private Path writing;

  /** The jar's modification time when that run started. */
  private FileTime jarAtStart;

  /**
   * @param uberJar the service's uber-jar
   * @param writer whether this instance writes the archive when there is none (the first of its
   *     kind: the others would only write the same again; not a run that records a flight, {@link
   *     #recordsFlight})
   */
  ClassDataSharing(Path uberJar, boolean writer) {
    this.uberJar = uberJar;
    this.archive = archiveOf(uberJar);
    this.writer = writer;
  }

  /**
   * Whether these JVM options start a flight recording. Such a run must not write the archive: the
   * JVM turns JFR off while it is to dump classes at exit ("JFR will be disabled during CDS
   * dumping"), so the profile asked for would never be written. It still starts from an archive
   * that is there.
   */
  static boolean recordsFlight(String javaOptions) {
    return javaOptions.contains("-XX:StartFlightRecording");
  }

  /** Where the archive of this uber-jar lives. */
  static Path archiveOf(Path uberJar) {
    String name = uberJar.getFileName().toString().replaceFirst("\\.jar$", "");
    return uberJar.resolveSibling(name + ".jsa");
  }

  /** Whether the archive exists and was written after the jar was built. */
  boolean current() {
    try {
      return Files.isRegularFile(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(uberJar)) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The JVM options for the next start: use the archive when it is current, else (the writer) write
   * one at exit, else nothing.
   */
  List<String> optionsForStart() throws IOException {
    writing = null;
    if (current()) {
      return List.of("-XX:SharedArchiveFile=" + archive);
    }
    if (!writer) {
      return List.of();
    }
    jarAtStart = Files.getLastModifiedTime(uberJar);
    writing = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
    // The JVM lists, as warnings, each class it leaves out (thousands of "Skipping ...: Not
    // linked", classes loaded but never used): not for the service's log.
    return List.of("-XX:ArchiveClassesAtExit=" + writing, "-Xlog:cds=off");
  }

  /**
   * Once the run ended with {@code exitCode}: moves the archive it wrote into place when it exited
   * cleanly and its jar is the same, else removes what it left. Returns the archive when one was
   * put in place.
   */
  Path finish(int exitCode) throws IOException {
    if (writing == null) {
      return null;
    }
    Path written = writing;
    writing = null;
    if (!Files.isRegularFile(written)) {
      return null; // the JVM did not write one (it could not, or it never got to its exit)
    }
    if (!CLEAN_EXITS.contains(exitCode)
        || Files.size(written) == 0
        || !Files.getLastModifiedTime(uberJar).equals(jarAtStart)) {
      Files.deleteIfExists(written);
      return null;
    }
    Files.move(
        written, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return archive;
  }
}
