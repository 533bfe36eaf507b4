package teamchat.chatfront.commands.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** How commands are called (microprofile-config.properties, {@code chatfront.commands.*}). */
@ApplicationScoped
public class CommandSettings {

  @Inject
  @ConfigProperty(name = "chatfront.commands.allow-private-targets")
  Optional<String> allowPrivateTargets;

  @Inject
  @ConfigProperty(name = "chatfront.commands.connect-timeout")
  Duration connectTimeout;

  @Inject
  @ConfigProperty(name = "chatfront.commands.read-timeout")
  Duration readTimeout;

  private TargetGuard guard;

  /** The guard of the allowed private ranges; a malformed range fails the first use, loudly. */
  public synchronized TargetGuard guard() {
    if (guard == null) {
      guard = TargetGuard.of(allowPrivateTargets.orElse(""));
    }
    return guard;
  }

  public PinnedPost poster() {
    return new PinnedPost(connectTimeout, readTimeout);
  }
}
