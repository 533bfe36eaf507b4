package teamchat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadyFileTest {

  @TempDir Path data;

  private final ReadyFile cut =
      new ReadyFile(
          4711,
          "https://chat.example.org",
          "wss://chat.example.org/ws",
          Path.of("/srv/chat/.chat/logs"),
          "jdbc:postgresql://127.0.0.1:41234/teamchat",
          41234,
          List.of(
              new ReadyFile.RunningService("auth", 8081, "http://127.0.0.1:8081/auth/", 4712),
              new ReadyFile.RunningService("chatserv", 8082, "ws://127.0.0.1:8082/ws", 4714)));

  @Test
  void whatIsWrittenIsReadBackAndIsPlainJsonWithTheDocumentedNames() throws Exception {
    cut.write(data);

    assertEquals(cut, ReadyFile.read(data).orElseThrow());
    assertEquals(4714, ReadyFile.read(data).orElseThrow().service("chatserv").pid());
    JsonObject json;
    try (Reader in = Files.newBufferedReader(ReadyFile.in(data))) {
      json = Json.createReader(in).readObject();
    }
    assertEquals(4711, json.getInt("pid"));
    assertEquals("https://chat.example.org", json.getString("page_url"));
    assertEquals(41234, json.getInt("postgres_port"));
    assertEquals(
        "http://127.0.0.1:8081/auth/",
        json.getJsonArray("services").getJsonObject(0).getString("url"));
    assertFalse(Files.exists(data.resolve(ReadyFile.NAME + ".new")), "no half-written file left");
  }

  @Test
  void anExternalDatabaseIsNotNamedAndNoFileMeansNotReady() throws Exception {
    assertTrue(ReadyFile.read(data).isEmpty(), "no file: not ready");
    ReadyFile external =
        new ReadyFile(
            1, "http://localhost:8080/", "ws://localhost:8082/ws", data, null, 0, List.of());
    external.write(data);
    assertEquals(external, ReadyFile.read(data).orElseThrow());
    assertFalse(
        Files.readString(ReadyFile.in(data)).contains("jdbc"), "DB_URL may hold a password");

    ReadyFile.remove(data);
    assertTrue(ReadyFile.read(data).isEmpty(), "removed: not ready");
  }
}
