/**
 * The public REST API, version 1, at {@code /api/v1} (docs/api.md): people's own scripts and tools
 * call it with a personal access token that auth issued them. A JAX-RS application of its own
 * ({@code boundary.PublicApi}), apart from the internal {@code /api} that chatserv and the chat
 * screen use, with its own bearer policy ({@code boundary.PersonalTokenPolicy}: the token checked
 * by RFC 7662 introspection at auth, briefly cached; scopes; a rate limit). What a caller may do is
 * decided by the web app's own control classes ({@code rooms.control.Rooms}, {@code
 * users.control.People}, {@code messages.control.MessageStore}), so the API grants nothing the web
 * app does not.
 */
package teamchat.chatfront.api;
