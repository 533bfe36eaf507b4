/**
 * chatfront: the web UI (Faces pages) and the owner of the chat data ({@code chat} schema, JPA on
 * PostgreSQL), with the internal REST API under {@code /api} through which chatserv stores and
 * reads messages.
 */
package teamchat.chatfront;
