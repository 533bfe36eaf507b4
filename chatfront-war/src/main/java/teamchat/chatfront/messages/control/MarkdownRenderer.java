package teamchat.chatfront.messages.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.CustomNode;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.ListBlock;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * The one Markdown renderer of the chat: a message's body as typed becomes the html that every
 * client shows (live frames and history alike carry it), made once when the message is stored or
 * edited. A small chat subset of CommonMark (commonmark-java, linear in the input by design): bold,
 * italic, strike, inline code, fenced code blocks, block quotes, lists, links and bare URLs.
 *
 * <p>Safe by construction, not by filtering the output: raw HTML is escaped as text, links are made
 * only for http, https and mailto addresses (any other address leaves the link's text alone) and
 * open with {@code rel="noopener noreferrer nofollow" target="_blank"}, images are shown as links
 * to them (never loaded), headings are bold paragraphs, and no tag outside the list the page allows
 * (p, br, strong, em, del, code, pre, blockquote, ul, ol, li, a, span.mention) is made. Mentions
 * become {@code <span class="mention" data-user="subject">@name</span>}, placed in the syntax
 * tree's text (never in code or in a link), so no typed text can forge one.
 */
public final class MarkdownRenderer {

  /** {@code @name}, as the contract spells usernames, after the start or a non-word character. */
  private static final Pattern MENTION =
      Pattern.compile("(?<![A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9._-]{2,31})");

  /** The whole room, for its owners: never a person, even one whose username is "room". */
  public static final String ROOM = "room";

  /** Block quotes in block quotes, lists in lists: deeper nesting than this stays text. */
  private static final int MAX_OPEN_BLOCKS = 16;

  private static final int MAX_INLINE_NESTING = 16;

  private static final List<Extension> EXTENSIONS =
      List.of(AutolinkExtension.create(), StrikethroughExtension.create());

  private static final Parser PARSER =
      Parser.builder()
          .extensions(EXTENSIONS)
          // No raw HTML blocks (they would be escaped anyway), no indented code (chat text often
          // starts with spaces), no thematic breaks (no <hr> on the page's list).
          .enabledBlockTypes(
              Set.of(Heading.class, FencedCodeBlock.class, BlockQuote.class, ListBlock.class))
          .maxOpenBlockParsers(MAX_OPEN_BLOCKS)
          .maxInlineNesting(MAX_INLINE_NESTING)
          .build();

  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder()
          .extensions(EXTENSIONS)
          .escapeHtml(true)
          .sanitizeUrls(true)
          .urlSanitizer(new WebAddresses())
          // A line break typed in a message is a line break on the page.
          .softbreak("<br />")
          .nodeRendererFactory(ChatNodes::new)
          .build();

  private MarkdownRenderer() {}

  /** The body parsed once: its mentions looked up, then rendered with them. */
  public static ParsedBody parse(String body) {
    return new ParsedBody(PARSER.parse(body));
  }

  /** The html of a body without mentions (rows stored before mentions and html existed). */
  public static String html(String body) {
    return parse(body).html(Map.of());
  }

  /** A parsed body. Not thread-safe; rendered at most once. */
  public static final class ParsedBody {

    private final Node document;

    private ParsedBody(Node document) {
      this.document = document;
    }

    /**
     * The names after {@code @} in the body's text (not in code or links), lower-cased, each also
     * without trailing dots, dashes and underscores ("thanks @bob." means bob); {@link #ROOM} among
     * them if the room is mentioned.
     */
    public Set<String> mentionedNames() {
      Set<String> names = new LinkedHashSet<>();
      forEachMentionableText(
          text -> {
            Matcher mention = MENTION.matcher(text.getLiteral());
            while (mention.find()) {
              names.addAll(spellings(mention.group(1)));
            }
          });
      return names;
    }

    /**
     * The html, with a mention span for each {@code @name} whose lower-cased name (or its form
     * without trailing punctuation) is a key of {@code subjects}; other names stay text.
     */
    public String html(Map<String, String> subjects) {
      if (!subjects.isEmpty()) {
        List<Text> texts = new ArrayList<>();
        forEachMentionableText(texts::add);
        texts.forEach(text -> placeMentions(text, subjects));
      }
      // Without the renderer's last line break: nothing in a message ends with one.
      return RENDERER.render(document).stripTrailing();
    }

    private void forEachMentionableText(java.util.function.Consumer<Text> action) {
      document.accept(
          new AbstractVisitor() {
            @Override
            public void visit(Text text) {
              if (text.getLiteral().indexOf('@') >= 0) {
                action.accept(text);
              }
            }

            @Override
            public void visit(Link link) {
              // A link's text is the link's: a mention inside it is not rendered as one.
            }

            @Override
            public void visit(Image image) {}
          });
    }
  }

  private static List<String> spellings(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String trimmed = lower.replaceAll("[._-]+$", "");
    return trimmed.equals(lower) || trimmed.length() < 3 ? List.of(lower) : List.of(lower, trimmed);
  }

  /** Splits a text node around the mentions of known people. */
  private static void placeMentions(Text text, Map<String, String> subjects) {
    String literal = text.getLiteral();
    Matcher mention = MENTION.matcher(literal);
    List<Node> parts = new ArrayList<>();
    int done = 0;
    while (mention.find()) {
      String subject = null;
      String shown = null;
      for (String spelling : spellings(mention.group(1))) {
        if (subjects.containsKey(spelling)) {
          subject = subjects.get(spelling);
          shown = mention.group(1).substring(0, spelling.length());
          break;
        }
      }
      if (subject == null) {
        continue;
      }
      if (mention.start() > done) {
        parts.add(new Text(literal.substring(done, mention.start())));
      }
      parts.add(new Mention(subject, "@" + shown));
      done = mention.start() + 1 + shown.length();
    }
    if (parts.isEmpty()) {
      return;
    }
    if (done < literal.length()) {
      parts.add(new Text(literal.substring(done)));
    }
    for (Node part : parts) {
      text.insertBefore(part);
    }
    text.unlink();
  }

  /** A mention of a member, placed in the tree by {@link #placeMentions}. */
  private static final class Mention extends CustomNode {
    final String subject;
    final String shown;

    Mention(String subject, String shown) {
      this.subject = subject;
      this.shown = shown;
    }
  }

  /** Whether an address may be a link: http, https or mailto, nothing else. */
  static boolean isWebAddress(String url) {
    String lower = url.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith("http://")
        || lower.startsWith("https://")
        || lower.startsWith("mailto:");
  }

  /** The renderer's own guard: an address that is no web address becomes empty. */
  private static final class WebAddresses implements UrlSanitizer {
    @Override
    public String sanitizeLinkUrl(String url) {
      return isWebAddress(url) ? url : "";
    }

    @Override
    public String sanitizeImageUrl(String url) {
      return sanitizeLinkUrl(url);
    }
  }

  /** Links, images, headings and mentions the chat way; everything else as CommonMark does. */
  private static final class ChatNodes implements NodeRenderer {

    private final HtmlNodeRendererContext context;
    private final HtmlWriter html;

    ChatNodes(HtmlNodeRendererContext context) {
      this.context = context;
      this.html = context.getWriter();
    }

    @Override
    public Set<Class<? extends Node>> getNodeTypes() {
      return Set.of(Link.class, Image.class, Heading.class, Mention.class, FencedCodeBlock.class);
    }

    @Override
    public void render(Node node) {
      if (node instanceof Link link) {
        link(link.getDestination(), link);
      } else if (node instanceof Image image) {
        // Shown as a link to the picture (or its text), never loaded by the page.
        link(image.getDestination(), image);
      } else if (node instanceof Heading heading) {
        html.line();
        html.tag("p");
        html.tag("strong");
        children(heading);
        html.tag("/strong");
        html.tag("/p");
        html.line();
      } else if (node instanceof Mention mention) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("class", "mention");
        attributes.put("data-user", mention.subject);
        html.tag("span", attributes);
        html.text(mention.shown);
        html.tag("/span");
      } else if (node instanceof FencedCodeBlock code) {
        // Without the language class CommonMark would add: the page keeps no attribute on code.
        html.line();
        html.tag("pre");
        html.tag("code");
        html.text(code.getLiteral());
        html.tag("/code");
        html.tag("/pre");
        html.line();
      }
    }

    private void link(String destination, Node text) {
      if (!isWebAddress(destination)) {
        if (isEmpty(text)) {
          html.text(destination);
        } else {
          children(text);
        }
        return;
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("href", context.encodeUrl(destination));
      attributes.put("rel", "noopener noreferrer nofollow");
      attributes.put("target", "_blank");
      html.tag("a", attributes);
      if (isEmpty(text)) {
        html.text(destination);
      } else {
        children(text);
      }
      html.tag("/a");
    }

    /**
     * Whether a link or image has no text of its own to show ({@code [](...)}, {@code ![](...)}).
     */
    private static boolean isEmpty(Node link) {
      Node first = link.getFirstChild();
      return first == null
          || (first.getNext() == null && first instanceof Text text && text.getLiteral().isEmpty());
    }

    private void children(Node parent) {
      Node child = parent.getFirstChild();
      while (child != null) {
        Node next = child.getNext();
        context.render(child);
        child = next;
      }
    }
  }
}
