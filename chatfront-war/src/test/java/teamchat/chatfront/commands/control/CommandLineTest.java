package teamchat.chatfront.commands.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
        .ofMinLength(1)
        .ofMaxLength(32)
        .filter(name -> name.charAt(0) != '-');
  }

  @Property(tries = 2_000)
  void aNameThenSpaceThenTextIsThatCallWithTheTextStripped(
      @ForAll("names") String name, @ForAll @StringLength(max = 200) String text) {
    Optional<CommandLine> call = CommandLine.parse("/" + name + " " + text);
    assertEquals(Optional.of(new CommandLine(name, text.strip())), call);
  }

  @Property(tries = 5_000)
  void anyTextIsEitherNoCallOrAValidNameWithStrippedArgumentsItEndsWith(
      @ForAll @StringLength(max = 80) String typed) {
    String text = "/" + typed;
    Optional<CommandLine> call = CommandLine.parse(text);
    if (call.isPresent()) {
      assertTrue(CommandLine.isName(call.get().name()), call.get().name());
      assertTrue(text.startsWith("/" + call.get().name()), text);
      assertEquals(call.get().arguments(), call.get().arguments().strip());
      assertTrue(text.strip().endsWith(call.get().arguments()), text);
      String rest = text.substring(1 + call.get().name().length());
      assertTrue(rest.isEmpty() || Character.isWhitespace(rest.charAt(0)), text);
    }
  }

  @Test
  void onlyALowercaseNameAtTheVeryStartFollowedBySpaceOrEndIsACall() {
    assertEquals(Optional.of(new CommandLine("deploy", "")), CommandLine.parse("/deploy"));
    assertEquals(
        Optional.of(new CommandLine("deploy", "prod now")),
        CommandLine.parse("/deploy \n prod now \n"));
    for (String text :
        new String[] {
          "deploy",
          " /deploy",
          "/Deploy",
          "/deploy/x",
          "/-x",
          "/",
          "//deploy",
          "/dé",
          "",
          "/" + "a".repeat(33)
        }) {
      assertEquals(Optional.empty(), CommandLine.parse(text), text);
    }
    assertEquals(Optional.empty(), CommandLine.parse(null));
  }
}
