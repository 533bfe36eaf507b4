/**
 * auth's access to its {@code accounts} schema: one {@link org.jdbi.v3.core.Jdbi} for all stores.
 */
package teamchat.auth.database.control;
