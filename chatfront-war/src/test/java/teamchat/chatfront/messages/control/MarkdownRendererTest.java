package teamchat.chatfront.messages.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

  /** Every tag the page's allowlist keeps; the renderer must never make another. */
  private static final Set<String> ALLOWED_TAGS =
      Set.of(
          "p",
          "br",
          "strong",
          "em",
          "del",
          "code",
          "pre",
          "blockquote",
          "ul",
          "ol",
          "li",
          "a",
          "span");

  private static final Pattern TAG = Pattern.compile("<\\s*/?\\s*([a-zA-Z0-9]+)([^>]*)>");

  private static String html(String body) {
    String html = MarkdownRenderer.html(body);
    assertOnlyAllowedMarkup(html);
    return html.strip();
  }

  /** The tags are on the list, and no attribute is an event handler or a script address. */
  private static void assertOnlyAllowedMarkup(String html) {
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      assertTrue(
          ALLOWED_TAGS.contains(tag.group(1).toLowerCase()), "tag " + tag.group() + " in " + html);
      String attributes = tag.group(2).toLowerCase();
      assertFalse(attributes.matches("(?s).*\\son[a-z]+\\s*=.*"), "handler in " + tag.group());
      assertFalse(attributes.contains("javascript:"), tag.group());
      assertFalse(attributes.contains("data:"), tag.group());
      assertFalse(attributes.contains("src="), tag.group());
    }
  }

  @Test
  void theChatSubjectIsFormatted() {
    assertEquals(
        "<p><strong>bold</strong> <em>it</em> <del>gone</del> <code>x &lt; y</code></p>",
        html("**bold** *it* ~~gone~~ `x < y`"));
    assertEquals("<pre><code>if (a &lt; b) {}\n</code></pre>", html("```java\nif (a < b) {}\n```"));
    assertEquals("<blockquote>\n<p>quoted</p>\n</blockquote>", html("> quoted"));
    assertEquals("<ul>\n<li>one</li>\n<li>two</li>\n</ul>", html("- one\n- two"));
    assertEquals("<p>line one<br />line two</p>", html("line one\nline two"));
    assertEquals("<p><strong>Title</strong></p>", html("# Title"), "headings are bold paragraphs");
    assertEquals(
        "<p>    indented stays text</p>".replace("    ", ""), html("    indented stays text"));
  }

  @Test
  void linksAreWebAddressesOnlyAndOpenApart() {
    assertEquals(
        "<p><a href=\"https://example.org/a?b=1&amp;c=2\" rel=\"noopener noreferrer nofollow\""
            + " target=\"_blank\">site</a></p>",
        html("[site](https://example.org/a?b=1&c=2)"));
    assertEquals(
        "<p>see <a href=\"https://example.org/x\" rel=\"noopener noreferrer nofollow\""
            + " target=\"_blank\">https://example.org/x</a> now</p>",
        html("see https://example.org/x now"),
        "bare URLs become links");
    assertTrue(html("write to bob@example.org").contains("href=\"mailto:bob@example.org\""));
    assertEquals("<p>x</p>", html("[x](javascript:alert(1))"));
    assertEquals("<p>x</p>", html("[x](JaVaScRiPt:alert(1))"));
    assertEquals(
        "<p>x</p>", html("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"));
    assertEquals("<p>x</p>", html("[x](vbscript:msgbox)"));
    assertEquals("<p>x</p>", html("[x](/relative/path)"));
    assertEquals("<p>x</p>", html("[x](<javascript:alert(1)>)"));
  }

  @Test
  void imagesAreNeverLoaded() {
    assertEquals("<p>![](x onerror=alert(1))</p>", html("![](x onerror=alert(1))"));
    assertEquals(
        "<p><a href=\"https://example.org/cat.png\" rel=\"noopener noreferrer nofollow\""
            + " target=\"_blank\">a cat</a></p>",
        html("![a cat](https://example.org/cat.png)"));
    assertEquals("<p>pic</p>", html("![pic](data:image/png;base64,AAAA)"));
    assertEquals("<p>javascript:alert(1)</p>", html("![](javascript:alert(1))"));
  }

  @Test
  void rawHtmlIsText() {
    assertEquals("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", html("<script>alert(1)</script>"));
    assertEquals("<p>&lt;img src=x onerror=alert(1)&gt;</p>", html("<img src=x onerror=alert(1)>"));
    assertEquals(
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>",
        html("```\n<script>alert(1)</script>\n```"));
    assertEquals(
        "<pre><code>x\n</code></pre>",
        html("```html\" onmouseover=\"alert(1)\nx\n```"),
        "the info string makes no attribute");
    assertEquals("<p><code>&lt;b&gt;</code></p>", html("`<b>`"));
    assertEquals(
        "<p>&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;</p>",
        html("<a href=\"javascript:x\">y</a>"));
  }

  @Test
  void mentionsOfKnownPeopleBecomeSpansInText() {
    MarkdownRenderer.ParsedBody body =
        MarkdownRenderer.parse(
            "hi @Bob and @carol. ask @room, not `@bob` or x@bob.org or [@bob](https://e.org)");
    assertEquals(Set.of("bob", "carol.", "carol", "room"), body.mentionedNames());
    String html = body.html(Map.of("bob", "sub-b", "carol", "sub-c"));
    assertOnlyAllowedMarkup(html);
    assertTrue(
        html.startsWith(
            "<p>hi <span class=\"mention\" data-user=\"sub-b\">@Bob</span> and"
                + " <span class=\"mention\" data-user=\"sub-c\">@carol</span>. ask @room, not"
                + " <code>@bob</code>"),
        html);
    assertEquals(2, html.split("class=\"mention\"").length - 1, html);
  }

  @Test
  void aMentionCannotBeForgedByText() {
    String html =
        MarkdownRenderer.parse("@bob\" onclick=\"x <span class=\"mention\" data-user=\"admin\">")
            .html(Map.of("bob", "s\"><script>"));
    assertOnlyAllowedMarkup(html);
    assertTrue(html.contains("data-user=\"s&quot;&gt;&lt;script&gt;\""), html);
    assertFalse(html.contains("data-user=\"admin\""), html);
  }

  /** Pathological input renders in linear time, escaped: nothing hangs the server. */
  @Test
  void pathologicalInputIsRenderedQuicklyAndEscaped() {
    for (String bomb :
        new String[] {
          "*[".repeat(2000),
          "`".repeat(4000),
          ">".repeat(4000),
          "[".repeat(4000),
          "*a **b ".repeat(570),
          "- ".repeat(2000),
          "<".repeat(4000),
          "![".repeat(2000),
          "_*".repeat(2000) + "x",
          "[a](".repeat(1000),
        }) {
      long start = System.nanoTime();
      String html = MarkdownRenderer.html(bomb);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 2000, bomb.substring(0, 4) + "... took " + millis + " ms");
      assertOnlyAllowedMarkup(html);
      assertFalse(html.contains("<<"), "escaped");
    }
  }
}
