package teamchat.chatfront.webhooks.boundary;

/** Where a webhook takes posts, below the public API's base ({@code /api/v1/}). */
final class HookPaths {

  private HookPaths() {}

  static String of(long webhook, String secret) {
    return "hooks/" + webhook + "/" + secret;
  }
}
