/**
 * Incoming webhooks (issue 20, docs/api.md "Incoming webhooks"): a room's owner makes a webhook
 * (public API {@code /api/v1/rooms/{room}/webhooks}), and a tool that holds its URL posts {@code
 * {"text": ...}} to {@code /api/v1/hooks/{id}/{secret}}. The message is stored in the room by the
 * same store as every other ({@code messages.control.MessageStore#storeOutsideChatserv}), as the
 * webhook's creator, with the same text rules and the same idempotency (the {@code Idempotency-Key}
 * header becomes the client id). Only the SHA-256 of a secret is kept.
 */
package teamchat.chatfront.webhooks;
