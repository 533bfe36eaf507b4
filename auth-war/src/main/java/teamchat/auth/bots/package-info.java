/**
 * Bot accounts: a signed-in person makes a bot (a username and display name of its own), lists
 * their bots, makes and revokes the bot's personal access tokens (the {@code apitokens} machinery,
 * with the bot's account as the tokens' holder) and deletes it. A bot has no password, so it never
 * logs in and never has a session; it acts only through its tokens, and introspection answers for
 * them with the bot's subject and its owner's. See docs/api.md, "Bot accounts".
 */
package teamchat.auth.bots;
