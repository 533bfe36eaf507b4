/**
 * Personal access tokens: a person makes named tokens with scopes ({@code read}, {@code write},
 * {@code admin}) and an expiry for their own scripts, sees when each was last used, and revokes
 * them (through chatfront's profile page, proving the session with its refresh token as the other
 * profile changes do). chatfront checks a token presented to its public API by RFC 7662
 * introspection, which only chatfront may call, with an assertion it signs itself. See docs/api.md.
 */
package teamchat.auth.apitokens;
