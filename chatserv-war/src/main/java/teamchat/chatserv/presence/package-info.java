/**
 * Presence: who of a room is online (follows it on a socket) and who is typing there. Both are
 * ephemeral (held in this instance's memory, never stored) and rate-limited per user and room.
 */
package teamchat.chatserv.presence;
