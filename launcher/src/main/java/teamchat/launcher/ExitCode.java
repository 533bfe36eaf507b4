package teamchat.launcher;

/**
 * How {@code ./chat up} ends, as its exit status (README, {@code ./chat help}): scripts and tests
 * tell "already running" from "a port is taken" without reading its output.
 */
enum ExitCode {
  /** Stopped by Ctrl-C or SIGTERM after everything ran. */
  STOPPED(0),
  /** A service could not start, was not ready in time, or kept dying; or an I/O error. */
  FAILED(1),
  /** A setting has a bad value, or the command was called wrongly. */
  BAD_SETTINGS(2),
  /** Another {@code ./chat up} holds the same data folder. */
  ALREADY_RUNNING(3),
  /** A service's port is taken by another program. */
  PORT_IN_USE(4),
  /** Interrupted while starting (the shell's convention for SIGINT: 128 + 2). */
  INTERRUPTED(130);

  final int status;

  ExitCode(int status) {
    this.status = status;
  }
}
