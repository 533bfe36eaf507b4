package teamchat.chatfront.webhooks.boundary;

import java.net.URI;
import java.net.URISyntaxException;
import teamchat.chatfront.webhooks.boundary.HookPosts.HookPayload;
import teamchat.contract.problems.ApiProblem;
import teamchat.contract.text.PlainText;

/**
 * The checks of a webhook's payload before its text goes to the store's own rules (which check the
 * text as they check every message). A payload without text is refused here; {@code username} is
 * one line of at most {@value #MAX_USERNAME_CHARACTERS} characters, an icon an https URL of at most
 * {@value #MAX_ICON_URL_LENGTH} characters, never fetched by the server.
 */
final class HookPayloads {

  static final int MAX_USERNAME_CHARACTERS = 64;
  static final int MAX_ICON_URL_LENGTH = 512;

  private HookPayloads() {}

  /** {@code payload} if it may be stored; a 400 problem naming the first field that is wrong. */
  static HookPayload check(HookPayload payload) {
    if (payload == null || payload.text() == null) {
      throw ApiProblem.badRequest("text_missing", "Send JSON with a \"text\".");
    }
    if (payload.username() != null
        && !PlainText.isAcceptable(payload.username(), 1, MAX_USERNAME_CHARACTERS, false)) {
      throw ApiProblem.badRequest(
          "username_invalid",
          "username: 1 to " + MAX_USERNAME_CHARACTERS + " characters on one line.");
    }
    for (String icon : new String[] {payload.icon(), payload.iconUrl()}) {
      if (icon != null && !isHttpsUrl(icon)) {
        throw ApiProblem.badRequest(
            "icon_invalid",
            "icon: an https URL of at most " + MAX_ICON_URL_LENGTH + " characters.");
      }
    }
    return payload;
  }

  static boolean isHttpsUrl(String text) {
    if (text.length() > MAX_ICON_URL_LENGTH
        || !PlainText.isAcceptable(text, 1, MAX_ICON_URL_LENGTH, false)) {
      return false;
    }
    try {
      URI uri = new URI(text);
      return "https".equalsIgnoreCase(uri.getScheme())
          && uri.getHost() != null
          && uri.getUserInfo() == null;
    } catch (URISyntaxException notAUri) {
      return false;
    }
  }
}
