package teamchat.chatfront.webhooks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import teamchat.chatfront.webhooks.boundary.HookPosts.HookPayload;
import teamchat.contract.problems.ApiProblem;

/**
 * A webhook's payload from anyone on the internet: whatever its fields hold, the check either lets
 * it through unchanged or answers 400 with a code that names the field, never another failure; an
 * icon passes only as an https URL with a host, whatever else it looks like.
 */
class HookPayloadsFuzzTest {

  @Provide
  Arbitrary<String> anything() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(600),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(80),
        Arbitraries.of(
            "https://example.com/a.png",
            "http://example.com/a.png",
            "javascript:alert(1)",
            "https://user:pw@example.com/",
            "https:///nohost",
            "//example.com/a.png",
            "data:image/png;base64,AAAA",
            "https://example.com/" + "a".repeat(600),
            "\ud800",
            "a\nb"),
        Arbitraries.just(null));
  }

  @Property(tries = 2000)
  void aPayloadPassesUnchangedOrIsA400NamingItsField(
      @ForAll("anything") String text,
      @ForAll("anything") String username,
      @ForAll("anything") String icon,
      @ForAll("anything") String iconUrl) {
    HookPayload payload = new HookPayload(text, username, iconUrl, icon);
    try {
      assertSame(payload, HookPayloads.check(payload));
      assertTrue(text != null, "text is required");
      for (String url : new String[] {icon, iconUrl}) {
        assertTrue(url == null || url.regionMatches(true, 0, "https:", 0, 6), url);
        assertTrue(url == null || url.length() <= HookPayloads.MAX_ICON_URL_LENGTH, url);
      }
    } catch (ApiProblem refused) {
      assertEquals(400, refused.getResponse().getStatus());
      String code = ((ApiProblem.Body) refused.getResponse().getEntity()).code();
      assertTrue(
          code.equals("text_missing")
              || code.equals("username_invalid")
              || code.equals("icon_invalid"),
          code);
    }
  }

  @Example
  void onlyHttpsIconsWithAHostPass() {
    assertTrue(HookPayloads.isHttpsUrl("https://example.com/a.png"));
    assertTrue(HookPayloads.isHttpsUrl("HTTPS://example.com/a.png"));
    for (String refused :
        new String[] {
          "http://example.com/a.png",
          "javascript:alert(1)",
          "https://user:pw@example.com/a.png",
          "https:///a.png",
          "//example.com/a.png",
          "https://example.com/a\u0007.png",
          "https://example.com/" + "a".repeat(600)
        }) {
      assertFalse(HookPayloads.isHttpsUrl(refused), refused);
    }
  }
}
