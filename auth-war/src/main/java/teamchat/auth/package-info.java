/**
 * The auth service: the only place that knows passwords and signs tokens. chatfront and chatserv
 * only verify what it issues. It owns the {@code accounts} schema (migrations in {@code
 * db/migration}).
 *
 * <p>Its stores ({@code AccountStore}, {@code RefreshTokens}, {@code SigningKeys}) are written one
 * way: SQL through Jdbi, rows mapped to records by hand-written row mappers. Not JPA, as in
 * chatfront, because auth's correctness lives in single PostgreSQL statements that JPA cannot say
 * except as native queries: {@code UPDATE ... RETURNING} uses a refresh token exactly once however
 * many requests race for it, {@code ON CONFLICT DO NOTHING} revokes a session once, the database's
 * clock stamps a key's {@code created_at}; and no row is ever changed as an object, so a
 * persistence context, entities and a persistence unit would add state and nothing else.
 */
package teamchat.auth;
