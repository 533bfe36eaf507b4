/**
 * The auth service: the only place that knows passwords and signs tokens. chatfront and chatserv
 * only verify what it issues. It owns the {@code accounts} schema (migrations in {@code
 * db/migration}).
 */
package teamchat.auth;
