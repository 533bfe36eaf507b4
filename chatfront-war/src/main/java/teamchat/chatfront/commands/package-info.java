/**
 * Slash commands (outgoing webhooks, issue 20): a room owner registers {@code /name} for a room
 * with a target URL and a bot of theirs; a message starting with {@code /name} is recorded in an
 * outbox in the message's own transaction, POSTed by a dispatcher to the target (signed, bounded in
 * time, retried, never to a private address unless the admin allows it), and the target's answer is
 * posted into the room as the bot, once. docs/api.md, "Slash commands".
 */
package teamchat.chatfront.commands;
