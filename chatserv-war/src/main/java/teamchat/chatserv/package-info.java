/**
 * chatserv: holds the browsers' WebSocket connections at {@code /ws}, verifies each user's token,
 * stores every message through chatfront's REST API before anyone is told it exists, and fans it
 * out to the room's members.
 */
package teamchat.chatserv;
