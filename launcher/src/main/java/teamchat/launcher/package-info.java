/**
 * {@code ./chat up}: starts PostgreSQL (embedded, or the server named by {@code DB_URL}) and the
 * three services ({@link teamchat.launcher.Service}, one description each) from their uber-jars,
 * shows their progress, writes the ready file for programs ({@link teamchat.launcher.ReadyFile}),
 * and stops all of it on Ctrl-C; how it ended is its exit status ({@link
 * teamchat.launcher.ExitCode}).
 */
package teamchat.launcher;
