/**
 * Who is on the other end of a socket: access tokens from auth, verified here with the same rules
 * MicroProfile JWT applies in chatfront (MicroProfile JWT does not guard a WebSocket endpoint).
 */
package teamchat.chatserv.identity;
