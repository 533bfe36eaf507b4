/**
 * Delivery: the WebSocket endpoint ({@code boundary}) and what it needs to hand messages to the
 * members of a room. The frames are described in {@code docs/protocol.md}.
 */
package teamchat.chatserv.delivery;
