/**
 * Delivery: the WebSocket endpoint ({@code boundary}: the socket's life and one handler per client
 * frame) and what hands messages to the members of a room: subscriptions with replay, gap fill and
 * live delivery, the membership cache, and the followers of chatfront's feeds: memberships that
 * started or ended, and entries stored outside chatserv (API posts), read from chatfront for live
 * delivery. The frames are typed in {@code teamchat.chatserv.protocol} and described in {@code
 * docs/protocol.md}.
 */
package teamchat.chatserv.delivery;
