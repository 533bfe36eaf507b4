package teamchat.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests an attacker sends to auth and chatfront, and what each may get back: a 4xx that the
 * service documents (auth: JSON {@code {"code", "message"}}, docs/tokens.md), or a page, a redirect
 * to a page of the service's own address; never a 5xx.
 */
final class HostileRequests {

  private HostileRequests() {}

  /** A request and whether its answer must be auth's JSON refusal. */
  record Hostile(String what, HttpRequest request, boolean authRefusal) {}

  /** JSON bodies auth must refuse with 4xx and its JSON refusal, field by field. */
  static List<String> authBodies() {
    List<String> bodies = new ArrayList<>();
    String deep = "[".repeat(30_000) + "]".repeat(30_000);
    bodies.addAll(
        List.of(
            "{",
            "",
            "[]",
            "null",
            "\"x\"",
            "42",
            "{\"username\":\"a\",}",
            "{\"username\" \"a\"}",
            deep,
            "{\"username\":" + deep + "}",
            "{\"username\":" + "9".repeat(20_000) + "}",
            "{\"password\":0." + "1".repeat(20_000) + "}",
            "{\"username\":5,\"password\":\"a fine long passphrase\"}",
            "{\"username\":[\"a\"],\"password\":\"a fine long passphrase\"}",
            "{\"username\":{},\"password\":{}}",
            "{\"username\":\"ada\",\"password\":true}",
            "{\"refresh_token\":5}",
            "{\"refresh_token\":null}",
            "{\"refresh_token\":[]}",
            "{\"username\":\"ada\",\"password\":\"" + "p".repeat(100_000) + "\"}",
            "{\"username\":\""
                + "u".repeat(100_000)
                + "\",\"password\":\"a fine long passphrase\"}",
            "{\"username\":\"ada\",\"display_name\":\""
                + "d".repeat(100_000)
                + "\",\"password\":\"x\"}",
            "{\"refresh_token\":\"" + "r".repeat(100_000) + "\"}"));
    for (String bad : HostileFrames.BAD_TEXT) {
      bodies.add("{\"username\":\"ad" + bad + "a\",\"password\":\"a fine long passphrase\"}");
      bodies.add("{\"username\":\"ada" + bad + "\",\"password\":\"pass" + bad + "word long\"}");
      bodies.add("{\"refresh_token\":\"" + bad + "\"}");
    }
    return bodies;
  }

  /**
   * Registrations that are fine but for one field, each with a new username and a good password:
   * only the display name's text may refuse them (docs/tokens.md: no control characters; the text
   * policy of issue 13: well-formed Unicode).
   */
  static List<String> registrationsWithABadDisplayName() {
    List<String> bodies = new ArrayList<>();
    for (String bad : HostileFrames.BAD_TEXT) {
      bodies.add(
          "{\"username\":\"d"
              + java.util.UUID.randomUUID().toString().substring(0, 18)
              + "\",\"display_name\":\"x"
              + bad
              + "\",\"password\":\"a fine long passphrase "
              + java.util.UUID.randomUUID()
              + "\"}");
    }
    return bodies;
  }

  static List<Hostile> atAuth(int authPort) {
    List<Hostile> requests = new ArrayList<>();
    String base = "http://127.0.0.1:" + authPort + "/auth/";
    for (String body : registrationsWithABadDisplayName()) {
      requests.add(
          new Hostile(
              "POST /auth/accounts " + HostileFrames.abbreviate(body),
              post(base + "accounts", "application/json", body),
              true));
    }
    for (String path : List.of("accounts", "tokens", "tokens/refresh", "tokens/revoke")) {
      for (String body : authBodies()) {
        requests.add(
            new Hostile(
                "POST /auth/" + path + " " + HostileFrames.abbreviate(body),
                post(base + path, "application/json", body),
                true));
      }
      for (String type :
          List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
        requests.add(
            new Hostile(
                "POST /auth/" + path + " as " + type,
                post(base + path, type, "username=ada&password=x"),
                true));
      }
      requests.add(
          new Hostile(
              "POST /auth/" + path + " invalid UTF-8",
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          new byte[] {
                            '{',
                            '"',
                            'u',
                            '"',
                            ':',
                            '"',
                            (byte) 0xED,
                            (byte) 0xA0,
                            (byte) 0x80,
                            (byte) 0xC3,
                            '(',
                            '"',
                            '}'
                          }))
                  .build(),
              true));
    }
    return requests;
  }

  static List<Hostile> atChatfront(int chatfrontPort) {
    List<Hostile> requests = new ArrayList<>();
    String base = "http://127.0.0.1:" + chatfrontPort;
    List<String> parameters =
        List.of(
            "",
            "?id=abc",
            "?id=%00",
            "?id=%ED%A0%80",
            "?id=99999999999999999999999",
            "?id=-1",
            "?id=1e400",
            "?x=%F0%28%8C%28",
            "?id=%3Cscript%3Ealert(1)%3C/script%3E",
            "?id=" + "9".repeat(6_000),
            "?jakarta.faces.ViewState=junk%00",
            "?id=1&id=2");
    List<Map.Entry<String, String>> headers =
        List.of(
            Map.entry("Authorization", "Bearer junk"),
            Map.entry("Authorization", "Bearer " + "x".repeat(6_000)),
            Map.entry("Authorization", "Basic !!!"),
            Map.entry("Cookie", "JSESSIONID=junk%00"),
            Map.entry("X-Forwarded-For", "junk, ::zz, 999.1.1.1"),
            Map.entry("X-Forwarded-Host", "evil.example"),
            Map.entry("Accept-Language", "x".repeat(4_000)));
    int i = 0;
    for (String page :
        List.of(
            "/",
            "/index.xhtml",
            "/login.xhtml",
            "/register.xhtml",
            "/rooms.xhtml",
            "/room.xhtml",
            "/expired.xhtml")) {
      for (String query : parameters) {
        Map.Entry<String, String> header = headers.get(i++ % headers.size());
        requests.add(
            new Hostile(
                "GET " + page + HostileFrames.abbreviate(query) + " with " + header.getKey(),
                HttpRequest.newBuilder(URI.create(base + page + query))
                    .header(header.getKey(), header.getValue())
                    .GET()
                    .build(),
                false));
      }
    }
    for (String token : List.of("junk", "a.b.c", "x".repeat(9_000), "eyJhbGciOiJub25lIn0.e30.")) {
      for (String api :
          List.of(
              "/api/rooms/1/messages",
              "/api/rooms/abc/messages?after=x",
              "/api/users/%00/rooms",
              "/api/me")) {
        requests.add(
            new Hostile(
                "GET " + api + " with a junk token",
                HttpRequest.newBuilder(URI.create(base + api))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build(),
                false));
      }
      requests.add(
          new Hostile(
              "POST /api/messages/batch with a junk token",
              HttpRequest.newBuilder(URI.create(base + "/api/messages/batch"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("[{\"body\":\"\\u0000\"}]"))
                  .build(),
              false));
    }
    for (String path :
        List.of(
            "/session/token", "/session/rooms/1/read?seq=%00", "/session/rooms/abc/read?seq=1")) {
      requests.add(
          new Hostile(
              "POST " + path + " without a session",
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("X-Chat-Request", "1")
                  .POST(HttpRequest.BodyPublishers.ofString("\u0000"))
                  .build(),
              false));
    }
    for (String path :
        List.of(
            "/session/rooms/1/messages?before=x&limit=-5",
            "/session/rooms/1/members",
            "/openapi",
            "/application.wadl",
            "/api/application.wadl",
            "/resources/%2e%2e/WEB-INF/web.xml",
            "/WEB-INF/web.xml",
            "/login.xhtml;jsessionid=junk")) {
      requests.add(
          new Hostile(
              "GET " + path, HttpRequest.newBuilder(URI.create(base + path)).GET().build(), false));
    }
    requests.add(
        new Hostile(
            "POST /login.xhtml with NUL fields and no view",
            post(
                base + "/login.xhtml",
                "application/x-www-form-urlencoded",
                "login=login&login%3Ausername=a%00b&login%3Apassword=%00&jakarta.faces.ViewState=x"),
            false));
    return requests;
  }

  private static HttpRequest post(String uri, String type, String body) {
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
  }

  /**
   * A raw HTTP/1.1 request, for what the JDK client will not send (a forged {@code Host}): the
   * status line and headers of the answer.
   */
  static String raw(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          break;
        }
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
