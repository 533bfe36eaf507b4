package teamchat.contract.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class UsernamesTest {

  @Test
  void caseIsTheOnlyDifferenceTheCanonicalFormForgets() {
    assertEquals(Optional.of("vicki.b"), Usernames.canonical("Vicki.B"));
    assertEquals(Optional.of("vicki.b"), Usernames.canonical("vicki.b"));
  }

  @Test
  void unicodeLookalikesHaveNoCanonicalForm() {
    // The throttle bypass: İ lower-cases to i + U+0307 in Java and to i in PostgreSQL.
    assertEquals(Optional.empty(), Usernames.canonical("vİcki"));
    assertEquals(Optional.empty(), Usernames.canonical("vıcki"));
    assertEquals(Optional.empty(), Usernames.canonical("ｖicki"));
    assertEquals(Optional.empty(), Usernames.canonical("vicki\u0000"));
    assertEquals(Optional.empty(), Usernames.canonical(" vicki"));
    assertEquals(Optional.empty(), Usernames.canonical("ab"));
    assertEquals(Optional.empty(), Usernames.canonical("a".repeat(33)));
    assertEquals(Optional.empty(), Usernames.canonical(null));
  }

  /** Any text at all: either no canonical form, or one that is its own canonical form. */
  @Property(tries = 10_000)
  void theCanonicalFormIsAFixedPointAndPlainAscii(@ForAll String raw) {
    Usernames.canonical(raw)
        .ifPresent(
            canonical -> {
              assertEquals(Optional.of(canonical), Usernames.canonical(canonical));
              assertTrue(canonical.chars().allMatch(c -> c < 0x80 && !Character.isUpperCase(c)));
            });
  }
}
