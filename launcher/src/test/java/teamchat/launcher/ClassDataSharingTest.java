package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataSharingTest {

  @TempDir Path folder;

  /** A stand-in for a service: prints that it runs, then waits to be stopped. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("running");
      Thread.sleep(120_000);
    }
  }

  private Path jar(String name) throws IOException {
    Path jar = folder.resolve(name);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Sleeper.class.getName());
    String entry = Sleeper.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream bytes = Sleeper.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      bytes.transferTo(out);
    }
    return jar;
  }

  /** Runs the jar with the options until it says it runs, then stops it as chat up does. */
  private int runAndStop(Path jar, List<String> options, List<String> output) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-Xlog:class+load=info");
    command.addAll(List.of("-jar", jar.toString()));
    Path log = Files.createTempFile(folder.getParent(), "run", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readAllLines(log).contains("running") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    process.destroy(); // SIGTERM, as ServiceProcess.stop
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
    output.addAll(Files.readAllLines(log));
    Files.delete(log);
    return process.exitValue();
  }

  @Test
  void theFirstStopWritesTheArchiveAndTheNextStartLoadsItsClassesFromIt() throws Exception {
    Path jar = jar("service-micro.jar");
    ClassDataSharing cut = new ClassDataSharing(jar, true);
    assertEquals(folder.resolve("service-micro.jsa"), ClassDataSharing.archiveOf(jar));
    assertFalse(cut.current());

    List<String> first = cut.optionsForStart();
    assertTrue(first.get(0).startsWith("-XX:ArchiveClassesAtExit="), first.toString());
    List<String> firstOutput = new ArrayList<>();
    int exit = runAndStop(jar, first, firstOutput);
    assertEquals(143, exit, "stopped by SIGTERM");
    assertEquals(ClassDataSharing.archiveOf(jar), cut.finish(exit));
    assertTrue(cut.current());
    try (Stream<Path> left = Files.list(folder)) {
      assertEquals(
          List.of("service-micro.jar", "service-micro.jsa"),
          left.map(path -> path.getFileName().toString()).sorted().toList(),
          "no temporary file left");
    }

    List<String> second = cut.optionsForStart();
    assertEquals(List.of("-XX:SharedArchiveFile=" + ClassDataSharing.archiveOf(jar)), second);
    List<String> secondOutput = new ArrayList<>();
    runAndStop(jar, second, secondOutput);
    String loaded =
        secondOutput.stream()
            .filter(line -> line.contains(Sleeper.class.getName() + " source:"))
            .findFirst()
            .orElseThrow();
    assertTrue(loaded.contains("shared objects file (top)"), loaded);
    assertNull(cut.finish(143), "a start that used the archive writes none");
  }

  @Test
  void onlyTheFirstInstanceOfAKindWritesOne() throws Exception {
    Path jar = jar("service-micro.jar");
    assertEquals(List.of(), new ClassDataSharing(jar, false).optionsForStart());
  }

  @Test
  void aRunThatRecordsAFlightWritesNoArchive() {
    // The JVM would turn the recording off to dump the archive: the profile comes first.
    assertTrue(
        ClassDataSharing.recordsFlight(
            "-Xmx1g -XX:StartFlightRecording=dumponexit=true,filename=/tmp/jfr/"));
    assertFalse(ClassDataSharing.recordsFlight("-Xmx1g -XX:+UseSerialGC"));
  }

  @Test
  void aRunThatWasKilledOrWhoseJarWasRebuiltLeavesNoArchive() throws Exception {
    Path jar = jar("service-micro.jar");
    ClassDataSharing cut = new ClassDataSharing(jar, true);

    Path killed = writtenBy(cut.optionsForStart());
    Files.writeString(killed, "half an archive");
    assertNull(cut.finish(137), "SIGKILL: the JVM may not have finished writing");
    assertFalse(Files.exists(killed));
    assertFalse(cut.current());

    Path rebuilt = writtenBy(cut.optionsForStart());
    Files.writeString(rebuilt, "an archive of the jar before");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
    assertNull(cut.finish(143), "the jar changed while it ran");
    assertFalse(Files.exists(rebuilt));
    assertFalse(cut.current());
  }

  @Test
  void anArchiveOlderThanTheJarIsNotUsedButWrittenAgain() throws Exception {
    Path jar = jar("service-micro.jar");
    Path archive = ClassDataSharing.archiveOf(jar);
    Files.writeString(archive, "an archive of an older build");
    Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60)));
    ClassDataSharing cut = new ClassDataSharing(jar, true);
    assertFalse(cut.current());
    assertTrue(cut.optionsForStart().get(0).startsWith("-XX:ArchiveClassesAtExit="));
  }

  private static Path writtenBy(List<String> options) {
    return Path.of(options.get(0).substring("-XX:ArchiveClassesAtExit=".length()));
  }
}
