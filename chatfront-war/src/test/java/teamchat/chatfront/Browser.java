package teamchat.chatfront;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person at the web app's pages, as far as the ITs need one: keeps cookies, reads a Faces form
 * from a page and posts it with its view state, and never follows redirects (tests look at them).
 */
final class Browser {

  private final String root;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient http;

  Browser(String root) {
    this.root = root;
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(root + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts to the page script's JSON API, as the script does (with its CSRF header). */
  HttpResponse<String> postJson(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(root + path))
            .header("X-Chat-Request", "1")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts JSON to the page script's JSON API, as the dialogs' script does. */
  HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(root + path))
            .header("X-Chat-Request", "1")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Posts raw bytes as the page's file upload does (with its CSRF header); {@code chunked} sends
   * them without a Content-Length, so the server counts them as they come.
   */
  HttpResponse<String> postBytes(String path, byte[] body, boolean chunked)
      throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher =
        chunked
            ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
            : HttpRequest.BodyPublishers.ofByteArray(body);
    return http.send(
        HttpRequest.newBuilder(URI.create(root + path))
            .header("X-Chat-Request", "1")
            .header("Content-Type", "application/octet-stream")
            .POST(publisher)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Gets bytes (a file download). */
  HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(root + path)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Puts a JSON body to the page script's JSON API, with or without its CSRF header. */
  HttpResponse<String> putJson(String path, String json, boolean marked)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(root + path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (marked) {
      request.header("X-Chat-Request", "1");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Posts the form {@code formId} of {@code page} (its view state and hidden fields), with {@code
   * fields} (names without the form's prefix) and its button {@code button}.
   */
  HttpResponse<String> submit(
      HttpResponse<String> page, String formId, Map<String, String> fields, String button)
      throws IOException, InterruptedException {
    return submit(page, formId, fields, button, Map.of());
  }

  HttpResponse<String> submit(
      HttpResponse<String> page,
      String formId,
      Map<String, String> fields,
      String button,
      Map<String, String> headers)
      throws IOException, InterruptedException {
    Matcher form =
        Pattern.compile("(?s)<form id=\"" + formId + "\"[^>]*action=\"([^\"]*)\"(.*?)</form>")
            .matcher(page.body());
    if (!form.find()) {
      throw new AssertionError("no form " + formId + " on the page:\n" + page.body());
    }
    Map<String, String> post = new LinkedHashMap<>();
    Matcher hidden =
        Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")
            .matcher(form.group(2));
    while (hidden.find()) {
      post.put(hidden.group(1), unescape(hidden.group(2)));
    }
    post.put(formId, formId);
    fields.forEach((name, value) -> post.put(formId + ":" + name, value));
    post.put(formId + ":" + button, button);
    String body =
        post.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(root + unescape(form.group(1))))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs in through the sign-in page; fails unless it redirects to the rooms. */
  void signIn(String username, String password) throws IOException, InterruptedException {
    HttpResponse<String> done =
        submit(
            get("/login.xhtml"),
            "login",
            Map.of("username", username, "password", password),
            "submit");
    String location = done.headers().firstValue("Location").orElse("");
    if (done.statusCode() != 302 || !location.endsWith("/rooms.xhtml")) {
      throw new AssertionError("sign-in failed: " + done.statusCode() + " " + done.body());
    }
  }

  /** Creates a room through the rooms page; returns its id. */
  long createRoom(String name, boolean isPublic) throws IOException, InterruptedException {
    HttpResponse<String> done =
        submit(
            get("/rooms.xhtml"),
            "create",
            Map.of("name", name, "topic", "", "visibility", Boolean.toString(isPublic)),
            "submit");
    Matcher id =
        Pattern.compile("room\\.xhtml\\?id=(\\d+)")
            .matcher(done.headers().firstValue("Location").orElse(""));
    if (done.statusCode() != 302 || !id.find()) {
      throw new AssertionError("room not created: " + done.statusCode() + " " + done.body());
    }
    return Long.parseLong(id.group(1));
  }

  private static String unescape(String html) {
    return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x3a;", ":");
  }
}
