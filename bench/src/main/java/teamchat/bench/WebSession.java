package teamchat.bench;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person signed in to chatfront's pages as a browser is (the sign-in form, its session cookie),
 * for the requests the page's script makes under {@code /session}.
 */
final class WebSession {

  private final URI site;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private WebSession(URI site) {
    this.site = site;
  }

  /** Signs in through {@code login.xhtml}'s form; fails unless it leads to the rooms. */
  static WebSession signIn(URI site, String username, String password)
      throws IOException, InterruptedException {
    WebSession session = new WebSession(site);
    HttpResponse<String> page = session.get("login.xhtml");
    Matcher form =
        Pattern.compile("(?s)<form id=\"login\"[^>]*action=\"([^\"]*)\"(.*?)</form>")
            .matcher(page.body());
    if (!form.find()) {
      throw new IOException("no sign-in form at " + site + "login.xhtml: " + page.statusCode());
    }
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher hidden =
        Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"")
            .matcher(form.group(2));
    while (hidden.find()) {
      fields.put(hidden.group(1), unescape(hidden.group(2)));
    }
    fields.put("login", "login");
    fields.put("login:username", username);
    fields.put("login:password", password);
    fields.put("login:submit", "submit");
    String body =
        fields.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpResponse<String> done =
        session.http.send(
            HttpRequest.newBuilder(site.resolve(unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 302
        || !done.headers().firstValue("Location").orElse("").endsWith("rooms.xhtml")) {
      throw new IOException("sign-in failed: " + done.statusCode());
    }
    return session;
  }

  /** {@code GET /session/search/messages?q=...}: the search field's request. */
  HttpResponse<String> searchMessages(String query) throws IOException, InterruptedException {
    return get("session/search/messages?tz=UTC&q=" + encode(query));
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(site.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String unescape(String html) {
    return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x3a;", ":");
  }
}
