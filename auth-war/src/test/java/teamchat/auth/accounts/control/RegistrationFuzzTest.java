package teamchat.auth.accounts.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.time.Duration;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import teamchat.auth.accounts.boundary.AccountsResource.NewAccount;
import teamchat.auth.accounts.entity.Account;
import teamchat.auth.throttling.control.InMemoryThrottleCounts;
import teamchat.contract.accounts.Usernames;
import teamchat.contract.problems.Refused;
import teamchat.contract.text.PlainText;

/**
 * Registration's door, fuzzed: hostile JSON bodies bound by JSON-B as the resource binds them, then
 * the rules. Every body ends in one of two ways: an account whose every field meets the rules, or a
 * refusal with a documented code. Nothing else may escape (it would be a 500).
 */
class RegistrationFuzzTest {

  private static final Set<String> DOCUMENTED =
      Set.of(
          "username_missing",
          "username_invalid",
          "display_name_invalid",
          "password_missing",
          "password_too_short",
          "password_too_long",
          "password_common",
          "password_contains_username",
          "username_taken",
          "too_many_registrations");

  private final Jsonb jsonb = JsonbBuilder.create();
  private final Registration cut = new Registration();

  RegistrationFuzzTest() {
    cut.passwordPolicy = new PasswordPolicy();
    cut.hasher =
        new PasswordHasher() {
          @Override
          public String hash(String password) {
            return "hashed"; // the rules are under test, not Argon2's cost
          }
        };
    cut.store =
        new AccountStore() {
          @Override
          public void insert(Account account) {}
        };
    cut.throttle = new RegistrationThrottle();
    cut.throttle.counts = new InMemoryThrottleCounts();
    cut.throttle.perAddress = Integer.MAX_VALUE;
    cut.throttle.window = Duration.ofMinutes(10);
  }

  @Property(tries = 10_000)
  void everyBodyIsAnAcceptableAccountOrADocumentedRefusal(@ForAll("bodies") String body) {
    NewAccount request;
    try {
      request = jsonb.fromJson(body, NewAccount.class);
    } catch (JsonbException notOurShape) {
      return; // MalformedRequestMapper: 400 malformed_request
    }
    if (request == null) {
      return; // the resource answers 400 malformed_request
    }
    try {
      Account account =
          cut.register(request.username(), request.displayName(), request.password(), "10.0.0.1");
      assertTrue(Usernames.isValid(account.username()), account.username());
      assertTrue(
          PlainText.isAcceptable(account.displayName(), 1, DisplayNames.MAX, false),
          account.displayName());
    } catch (Refused refused) {
      assertTrue(DOCUMENTED.contains(refused.code()), refused.code());
      assertTrue(Set.of(400, 409, 429).contains(refused.status()), refused.code());
    }
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> nasty =
        Arbitraries.of(
            "\\u0000",
            "\\ud800",
            "\\udfff",
            "\\u2029",
            "\\u202e",
            "\\ufffe",
            "\\u0130",
            "\\n",
            "\\\"",
            "x".repeat(2000));
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40).map(s -> jsonb.toJson(s)),
            Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(12), nasty)
                .as((a, b) -> "\"" + a + b + "\""),
            Arbitraries.of(
                "null", "1", "true", "[]", "{}", "\"ada\"", "\"correct horse battery\""));
    return Combinators.combine(text, text, text, Arbitraries.integers().between(0, 4))
        .as(
            (username, display, password, shape) ->
                switch (shape) {
                  case 0 -> "{\"username\":" + username + ",\"password\":" + password + "}";
                  case 1 ->
                      "{\"username\":"
                          + username
                          + ",\"display_name\":"
                          + display
                          + ",\"password\":"
                          + password
                          + "}";
                  case 2 -> "{\"username\":" + username + "}";
                  case 3 -> "[" + username + "]";
                  default -> "{\"username\":" + username + ",\"extra\":" + display + "}";
                });
  }
}
