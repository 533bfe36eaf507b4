/**
 * The token policies: one verifier for people's access tokens ({@code AccessTokenVerifier}, used by
 * chatfront's REST API and by chatserv's socket, so that a token one service refuses no other
 * accepts), and one for a service's own signed assertions ({@code ServiceAssertionSigner}, {@code
 * ServiceAssertionVerifier}: chatserv's calls to chatfront, with no auth in their path).
 */
package teamchat.contract.tokens;
