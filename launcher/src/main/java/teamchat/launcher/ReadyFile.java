package teamchat.launcher;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * {@code <data folder>/ready.json}: what {@code ./chat up} is running, for programs (the system
 * tests, the bench) rather than people. Written once every service is ready, removed when one dies
 * (and written again when it is back) and on stop; so a program that started {@code ./chat up}
 * waits until the file exists and names that process ({@link #pid}).
 *
 * <pre>{@code
 * {"pid": 4711, "page_url": "http://localhost:8080/", "web_socket_url": "ws://localhost:8082/ws",
 *  "logs": "/…/.chat/logs", "jdbc_url": "jdbc:postgresql://127.0.0.1:41234/teamchat",
 *  "postgres_port": 41234,
 *  "services": [{"name": "auth", "port": 8081, "url": "http://127.0.0.1:8081/auth/", "pid": 4712},
 *               …]}
 * }</pre>
 *
 * @param pid the {@code ./chat up} process ({@code ./chat} execs it, so also the script's pid)
 * @param pageUrl where people open the chat (the public address behind a proxy)
 * @param webSocketUrl chatserv's WebSocket as the pages reach it
 * @param logs the folder of the services' logs
 * @param jdbcUrl the embedded PostgreSQL the services use; null when {@code DB_URL} names another
 *     server (its URL may carry credentials, and this file is no place for them)
 * @param postgresPort the embedded PostgreSQL's port; 0 when {@code DB_URL} names another server
 * @param services each service instance as it runs now, and nginx when it runs
 */
public record ReadyFile(
    long pid,
    String pageUrl,
    String webSocketUrl,
    Path logs,
    String jdbcUrl,
    int postgresPort,
    List<RunningService> services) {

  /** The file's name in the data folder. */
  public static final String NAME = "ready.json";

  /**
   * One running service.
   *
   * @param name an instance: auth, chatfront or chatserv, then {@code chatserv-2} and so on when
   *     several run; or {@code nginx} when it is in front of them
   * @param port its HTTP port
   * @param url where it answers on this machine (chatserv: its WebSocket)
   * @param pid its JVM (nginx: its master process)
   */
  public record RunningService(String name, int port, String url, long pid) {}

  public ReadyFile {
    services = List.copyOf(services);
  }

  /** The service of that name; fails if there is none. */
  public RunningService service(String name) {
    return services.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no service " + name + " in " + NAME));
  }

  /** The file in a data folder. */
  public static Path in(Path dataDirectory) {
    return dataDirectory.resolve(NAME);
  }

  /** The file of a data folder, if {@code ./chat up} has written one. */
  public static Optional<ReadyFile> read(Path dataDirectory) throws IOException {
    JsonObject json;
    try (Reader in = Files.newBufferedReader(in(dataDirectory), StandardCharsets.UTF_8);
        JsonReader reader = Json.createReader(in)) {
      json = reader.readObject();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    List<RunningService> services =
        json.getJsonArray("services").getValuesAs(JsonObject.class).stream()
            .map(
                s ->
                    new RunningService(
                        s.getString("name"),
                        s.getInt("port"),
                        s.getString("url"),
                        s.getJsonNumber("pid").longValue()))
            .toList();
    return Optional.of(
        new ReadyFile(
            json.getJsonNumber("pid").longValue(),
            json.getString("page_url"),
            json.getString("web_socket_url"),
            Path.of(json.getString("logs")),
            json.getString("jdbc_url", null),
            json.getInt("postgres_port", 0),
            services));
  }

  /**
   * Writes the file into a data folder, whole or not at all: written beside it, then moved over it,
   * so that a reader never sees half of it.
   */
  void write(Path dataDirectory) throws IOException {
    JsonArrayBuilder running = Json.createArrayBuilder();
    for (RunningService service : services) {
      running.add(
          Json.createObjectBuilder()
              .add("name", service.name())
              .add("port", service.port())
              .add("url", service.url())
              .add("pid", service.pid()));
    }
    JsonObjectBuilder json =
        Json.createObjectBuilder()
            .add("pid", pid)
            .add("page_url", pageUrl)
            .add("web_socket_url", webSocketUrl)
            .add("logs", logs.toString());
    if (jdbcUrl != null) {
      json.add("jdbc_url", jdbcUrl).add("postgres_port", postgresPort);
    }
    json.add("services", running);
    Path file = in(dataDirectory);
    Path written = file.resolveSibling(NAME + ".new");
    try (Writer out = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
      Json.createWriter(out).writeObject(json.build());
    }
    Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the file of a data folder: the system is not (or no longer wholly) ready. */
  static void remove(Path dataDirectory) throws IOException {
    Files.deleteIfExists(in(dataDirectory));
  }
}
