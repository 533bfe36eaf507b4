package teamchat.chatfront.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The limits of file sharing (microprofile-config.properties, {@code chatfront.files.*}). */
@ApplicationScoped
public class FileSettings {

  @Inject
  @ConfigProperty(name = "chatfront.files.max-bytes")
  long maxBytes;

  @Inject
  @ConfigProperty(name = "chatfront.files.daily-bytes")
  long dailyBytes;

  @Inject
  @ConfigProperty(name = "chatfront.files.allowed-types")
  String allowedTypes;

  private FileTypes types;

  /** The largest file, in bytes. */
  public long maxBytes() {
    return maxBytes;
  }

  /** What one person may upload in 24 hours, in bytes. */
  public long dailyBytes() {
    return dailyBytes;
  }

  /** The allowed types. */
  public synchronized FileTypes types() {
    if (types == null) {
      types =
          new FileTypes(
              Arrays.stream(allowedTypes.split(","))
                  .map(type -> type.strip().toLowerCase(Locale.ROOT))
                  .filter(type -> !type.isEmpty())
                  .collect(Collectors.toSet()));
    }
    return types;
  }
}
