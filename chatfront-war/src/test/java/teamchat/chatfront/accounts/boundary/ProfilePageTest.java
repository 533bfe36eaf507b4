package teamchat.chatfront.accounts.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProfilePageTest {

  @Test
  void aPasswordChangeSaysHowManyOtherSessionsEnded() {
    assertEquals(
        "Your password is changed. You were not signed in anywhere else.",
        ProfilePage.changedSentence(0));
    assertEquals(
        "Your password is changed. You are now signed out on the one other device or browser you"
            + " used.",
        ProfilePage.changedSentence(1));
    assertEquals(
        "Your password is changed. You are now signed out on the 3 other devices or browsers you"
            + " used.",
        ProfilePage.changedSentence(3));
  }
}
