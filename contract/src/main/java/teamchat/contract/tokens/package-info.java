/**
 * The one access-token policy: a single verifier, used by chatfront's REST API and by chatserv's
 * socket, so that a token one service refuses no other accepts.
 */
package teamchat.contract.tokens;
