package teamchat.chatserv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chatserv WAR as built, on Payara Micro with the project's domain config. */
@ExtendWith(ArquillianExtension.class)
class ChatservServiceIT {

  @Deployment(testable = false)
  static WebArchive builtWar() {
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("teamchat.test.war")));
  }

  @ArquillianResource URL base;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthIsUp() throws Exception {
    for (String check : new String[] {"/health/live", "/health/ready"}) {
      URI uri = URI.create(base.getProtocol() + "://" + base.getAuthority() + check);
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), check + ": " + health.body());
    }
  }

  @Test
  void websocketAtWsGreetsWithTheProtocolVersion() throws Exception {
    URI ws = URI.create(base.toString().replaceFirst("^http", "ws") + "ws");
    CompletableFuture<String> firstFrame = new CompletableFuture<>();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    firstFrame.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    String hello = firstFrame.get(10, TimeUnit.SECONDS);
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    assertTrue(hello.contains("\"type\":\"hello\""), hello);
    assertTrue(hello.contains("\"protocol\":1"), hello);
  }
}
