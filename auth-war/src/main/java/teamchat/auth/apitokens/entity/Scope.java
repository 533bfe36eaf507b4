package teamchat.auth.apitokens.entity;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a personal access token may do in chatfront's public API (docs/api.md). */
public enum Scope {
  /** Read rooms, members, messages and people. */
  READ,
  /** Create rooms, invite, post messages. */
  WRITE,
  /** Manage the rooms one owns: topic, archive, remove members. */
  ADMIN;

  /** The scope as OAuth and the API write it: lower case. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Scope> of(String word) {
    return Arrays.stream(values()).filter(scope -> scope.word().equals(word)).findFirst();
  }
}
