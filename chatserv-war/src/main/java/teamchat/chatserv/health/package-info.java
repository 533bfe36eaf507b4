/**
 * Whether chatserv's own workers are alive: every long-lived task runs guarded (a failure is logged
 * once and the task keeps serving), and a critical worker that is gone anyway makes liveness and
 * readiness DOWN, so that systemd or {@code ./chat up} restart the service instead of letting it
 * answer sockets while storing nothing. Readiness also reports the Data Grid: how many chatserv
 * instances are in this one's cluster, for monitoring (docs/deploy.md).
 */
package teamchat.chatserv.health;
