/**
 * A signed-in person's changes to their own account (display name, password), as a JSON API that
 * chatfront's profile page calls on their behalf. Sessions are proven by their refresh token; the
 * rules are the registration's, in {@code accounts.control}, and a password change ends the
 * person's other sessions ({@code tokens.control.RefreshTokens}).
 */
package teamchat.auth.profile.boundary;
