/**
 * {@code ./chat up}: starts PostgreSQL (embedded, or the server named by {@code DB_URL}) and the
 * three services from their uber-jars, shows their progress, and stops all of it on Ctrl-C.
 */
package teamchat.launcher;
