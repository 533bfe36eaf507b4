/**
 * The REST contract between chatserv and chatfront's internal API ({@code /api}, chatserv's
 * assertion required): store a batch of messages idempotently, read a room's messages after or
 * before a seq, and look up the rooms of a user.
 */
package teamchat.contract.messages;
