package teamchat.chatfront.commands.control;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A message read as a command call: {@code /name} at its very start, followed by the end of the
 * text or white space, and the rest of the text (stripped) as its arguments. Anything else ({@code
 * /Deploy}, {@code /deploy/x}, {@code /deploy}) is an ordinary message.
 */
public record CommandLine(String name, String arguments) {

  /** A command's name: lowercase letters, digits and dashes, 1 to 32, not starting with a dash. */
  public static final String NAME = "[a-z0-9][a-z0-9-]{0,31}";

  private static final Pattern NAME_PATTERN = Pattern.compile(NAME);

  private static final Pattern CALL =
      Pattern.compile("/(" + NAME + ")(?:\\s+(.*))?", Pattern.DOTALL);

  /** The call in {@code text}, or empty when the text is no call. Cheap for ordinary text. */
  public static Optional<CommandLine> parse(String text) {
    if (text == null || text.isEmpty() || text.charAt(0) != '/') {
      return Optional.empty();
    }
    Matcher call = CALL.matcher(text);
    if (!call.matches()) {
      return Optional.empty();
    }
    String arguments = call.group(2) == null ? "" : call.group(2).strip();
    return Optional.of(new CommandLine(call.group(1), arguments));
  }

  /** Whether {@code name} is a valid command name (without its slash). */
  public static boolean isName(String name) {
    return name != null && NAME_PATTERN.matcher(name).matches();
  }
}
