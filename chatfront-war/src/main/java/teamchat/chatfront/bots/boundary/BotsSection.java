package teamchat.chatfront.bots.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import teamchat.chatfront.accounts.control.AuthUnavailable;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.api.control.PersonalTokensClient;
import teamchat.chatfront.bots.control.BotAccounts;
import teamchat.chatfront.bots.control.BotsClient;
import teamchat.chatfront.web.FormInput;
import teamchat.chatfront.web.Pages;
import teamchat.contract.problems.Refused;

/**
 * The profile page's Bots section: the signed-in person makes a bot, sees their bots with their
 * active tokens and last use, makes a token for one (shown once, on this answer only, as a personal
 * token is), revokes a bot's token and deletes a bot. auth decides and bounds everything; the page
 * checks the fields first only to say what is wrong beside them.
 */
@Named
@RequestScoped
public class BotsSection {

  private static final Logger LOG = Logger.getLogger(BotsSection.class.getName());
  private static final String UNAVAILABLE =
      "Saving is not possible just now. Try again in a moment.";

  /** The expiries offered for a bot's token, in days: the personal tokens' own. */
  static final List<Integer> TOKEN_DAYS = List.of(7, 30, 90, 365);

  @Inject SignedInUser user;
  @Inject BotAccounts bots;

  private String botUsername;
  private String botDisplayName;
  private String tokenBot;
  private String tokenName;
  private boolean tokenWrites = true;
  private int tokenDays = 90;
  private String madeToken;
  private String madeTokenBot;
  private List<BotsClient.Listed> listed;
  private Map<String, List<PersonalTokensClient.Listed>> tokens;

  /** The person's bots, by username; empty (and an error shown) when auth cannot say. */
  public List<BotsClient.Listed> getBots() {
    if (listed == null) {
      try {
        listed = bots.of(user);
      } catch (Refused refused) {
        listed = List.of();
        Pages.error(null, refused.getMessage());
      } catch (AuthUnavailable unavailable) {
        listed = List.of();
        LOG.log(Level.WARNING, "bots not listed: {0}", unavailable.getMessage());
        Pages.error(null, "Your bots cannot be listed just now. Try again in a moment.");
      }
    }
    return listed;
  }

  /** A bot's tokens, newest first, active ones only: the ones that can still be revoked. */
  public List<PersonalTokensClient.Listed> tokensOf(String bot) {
    if (tokens == null) {
      tokens = new LinkedHashMap<>();
    }
    return tokens.computeIfAbsent(
        bot,
        id -> {
          try {
            return bots.tokensOf(user, id).stream()
                .filter(PersonalTokensClient.Listed::active)
                .toList();
          } catch (Refused | AuthUnavailable failed) {
            LOG.log(Level.WARNING, "a bot''s tokens not listed: {0}", failed.getMessage());
            return List.of();
          }
        });
  }

  public String create() {
    String username = FormInput.clean(botUsername);
    Optional<String> problem = FormInput.usernameProblem(username);
    if (problem.isPresent()) {
      Pages.error("bots:botUsername", problem.get());
      return null;
    }
    String name = FormInput.clean(botDisplayName);
    if (name != null && !name.isEmpty()) {
      Optional<String> nameProblem = FormInput.textProblem("A display name", name, 1, 64);
      if (nameProblem.isPresent()) {
        Pages.error("bots:botDisplayName", nameProblem.get());
        return null;
      }
    }
    try {
      BotsClient.Listed made = bots.create(user, username, name);
      Pages.done(
          "Bot "
              + made.username()
              + " made. Make it a token, then invite it to the rooms it should post in.");
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(refused, "bots:botUsername");
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "bot not made: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  public String delete(String bot, String username) {
    try {
      bots.delete(user, bot);
      Pages.done("Bot " + username + " is deleted: its tokens stop working, its messages stay.");
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(refused, null);
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "bot not deleted: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  /**
   * Makes a token for one of the bots, which this answer shows once (rendered again, not
   * redirected, so the token never sits in the session or the flash).
   */
  public String createToken() {
    String name = FormInput.clean(tokenName);
    Optional<String> problem = FormInput.textProblem("A token name", name, 1, 64);
    if (problem.isPresent()) {
      Pages.error("botToken:botTokenName", problem.get());
      return null;
    }
    if (!TOKEN_DAYS.contains(tokenDays)) {
      Pages.error("botToken:botTokenDays", "Choose one of the offered expiries.");
      return null;
    }
    Optional<BotsClient.Listed> bot =
        getBots().stream().filter(listedBot -> listedBot.id().equals(tokenBot)).findFirst();
    if (bot.isEmpty()) {
      Pages.error("botToken:botTokenBot", "Choose one of your bots.");
      return null;
    }
    List<String> scopes = tokenWrites ? List.of("read", "write") : List.of("read");
    try {
      madeToken = bots.createToken(user, bot.get().id(), name, scopes, tokenDays).token();
      madeTokenBot = bot.get().username();
      listed = null;
      tokens = null;
      tokenName = null;
      FacesContext.getCurrentInstance()
          .addMessage(
              null,
              new FacesMessage(
                  FacesMessage.SEVERITY_INFO,
                  "Token "
                      + name
                      + " made for "
                      + madeTokenBot
                      + ". Copy it now: it is not shown again.",
                  null));
      return null;
    } catch (Refused refused) {
      return refusal(refused, "botToken:botTokenName");
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "bot token not made: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  public String revokeToken(String bot, String token) {
    try {
      bots.revokeToken(user, bot, token);
      Pages.done("The bot's token is revoked: within 30 seconds nothing can use it.");
      return Pages.redirect("profile");
    } catch (Refused refused) {
      return refusal(refused, null);
    } catch (AuthUnavailable unavailable) {
      LOG.log(Level.WARNING, "bot token not revoked: {0}", unavailable.getMessage());
      Pages.error(null, UNAVAILABLE);
      return null;
    }
  }

  /** A time as the list shows it: the UTC date, or "never". */
  public String shownDate(java.time.Instant time) {
    return time == null ? "never" : time.toString().substring(0, 10);
  }

  /** How many active tokens, in words. */
  public String shownTokens(int count) {
    return count == 1 ? "1 token" : count + " tokens";
  }

  /** auth's refusal beside its field; a session auth no longer accepts goes to the sign-in page. */
  private String refusal(Refused refused, String field) {
    if (refused.status() == HttpServletResponse.SC_UNAUTHORIZED) {
      FacesContext.getCurrentInstance().getExternalContext().invalidateSession();
      return Pages.redirect("login");
    }
    Pages.error(refused.status() == 429 ? null : field, refused.getMessage());
    return null;
  }

  /** The token just made, for this one answer; null otherwise. */
  public String getMadeToken() {
    return madeToken;
  }

  /** The username of the bot whose token was just made. */
  public String getMadeTokenBot() {
    return madeTokenBot;
  }

  public List<Integer> getTokenDaysOffered() {
    return TOKEN_DAYS;
  }

  public String getBotUsername() {
    return botUsername;
  }

  public void setBotUsername(String botUsername) {
    this.botUsername = botUsername;
  }

  public String getBotDisplayName() {
    return botDisplayName;
  }

  public void setBotDisplayName(String botDisplayName) {
    this.botDisplayName = botDisplayName;
  }

  public String getTokenBot() {
    return tokenBot;
  }

  public void setTokenBot(String tokenBot) {
    this.tokenBot = tokenBot;
  }

  public String getTokenName() {
    return tokenName;
  }

  public void setTokenName(String tokenName) {
    this.tokenName = tokenName;
  }

  public boolean isTokenWrites() {
    return tokenWrites;
  }

  public void setTokenWrites(boolean tokenWrites) {
    this.tokenWrites = tokenWrites;
  }

  public int getTokenDays() {
    return tokenDays;
  }

  public void setTokenDays(int tokenDays) {
    this.tokenDays = tokenDays;
  }
}
