package teamchat.chatserv.protocol.entity;

import jakarta.json.spi.JsonProvider;

/** The one JSON provider through which every frame is read and written. */
public final class FrameJson {

  /**
   * Looked up once. The static {@code Json.create*} methods look the provider up anew on each call,
   * a {@code ServiceLoader} scan of the application's class path: 14% of chatserv's CPU in a
   * fan-out profile (BENCHMARKS.md).
   */
  public static final JsonProvider PROVIDER = JsonProvider.provider();

  private FrameJson() {}
}
