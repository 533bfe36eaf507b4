package teamchat.chatfront.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import teamchat.chatfront.security.control.WebSettings;

/** Where redirects go and which form posts count as this site's, with and without a public URL. */
class RedirectsAndOriginsTest {

  private static WebSettings settings(String publicUrl) {
    return WebSettings.of("ws://localhost:8082/ws", publicUrl);
  }

  private static PublicRedirects redirects(String publicUrl) {
    PublicRedirects cut = new PublicRedirects();
    cut.settings = settings(publicUrl);
    return cut;
  }

  @Test
  void redirectsGoToThePublicAddress() {
    PublicRedirects cut = redirects("https://chat.example.org/");
    assertEquals(
        "https://chat.example.org/login.xhtml", cut.target("/rooms.xhtml", "/login.xhtml"));
    assertEquals(
        "https://chat.example.org/room.xhtml?id=3", cut.target("/rooms.xhtml", "room.xhtml?id=3"));
  }

  @Test
  void withoutAPublicAddressRedirectsAreRelative() {
    PublicRedirects cut = redirects(null);
    assertEquals("/login.xhtml", cut.target("/rooms.xhtml", "/login.xhtml"));
    assertEquals("/room.xhtml?id=3", cut.target("/rooms.xhtml", "room.xhtml?id=3"));
    assertEquals("/x", redirects("  ").target("/a", "/x"));
  }

  @Test
  void crossSitePostsAreRecognised() {
    SameOriginPosts cut = new SameOriginPosts();
    cut.settings = settings("https://chat.example.org");
    assertFalse(cut.isCrossSite(null, null, "anything"), "not a browser");
    assertFalse(cut.isCrossSite("same-origin", "https://chat.example.org", "backend:8080"));
    assertTrue(cut.isCrossSite("cross-site", null, "chat.example.org"));
    assertTrue(cut.isCrossSite("same-site", null, "chat.example.org"));
    assertTrue(cut.isCrossSite(null, "https://evil.example", "chat.example.org"));
    assertTrue(cut.isCrossSite(null, "null", "chat.example.org"));
    assertTrue(cut.isCrossSite(null, "http://chat.example.org", "backend:8080"), "scheme");
    assertFalse(cut.isCrossSite(null, "http://localhost:8080", "localhost:8080"), "local address");

    cut.settings = settings(null);
    assertFalse(cut.isCrossSite(null, "http://localhost:8080", "localhost:8080"));
    assertTrue(cut.isCrossSite(null, "http://localhost:9999", "localhost:8080"));
    assertTrue(cut.isCrossSite(null, "null", "localhost:8080"));
    assertTrue(cut.isCrossSite(null, "::not a uri", "localhost:8080"));
  }
}
