/**
 * Bot accounts in chat (docs/api.md, "Bot accounts"): the profile page's Bots section, where a
 * person makes, lists and deletes their bots and makes and revokes a bot's tokens at auth; and the
 * bot as a chat user ({@code chat_user.bot_owner_id}, V11), recorded when it is made and again when
 * auth vouches for one of its tokens, so that it can be invited like a person and is marked "BOT".
 */
package teamchat.chatfront.bots;
