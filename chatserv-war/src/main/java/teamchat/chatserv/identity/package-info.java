/**
 * Who is on the other end of a socket: access tokens from auth, verified by the one token policy
 * every service shares ({@code teamchat.contract.tokens.AccessTokenVerifier}; MicroProfile JWT does
 * not guard a WebSocket endpoint), for people only.
 */
package teamchat.chatserv.identity;
