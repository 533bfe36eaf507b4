/**
 * Presence: who of a room is online (follows it on a socket) and who is typing there. Both are
 * ephemeral (held in memory, never stored), rate-limited per user and room, and shared between
 * chatserv instances through Payara's Data Grid when there are several.
 */
package teamchat.chatserv.presence;
