/**
 * Counts of events per bucket (failed logins per account and per address, registrations per
 * address) that every auth instance shares: the throttles in {@code tokens} and {@code accounts}
 * decide what a count means, {@link teamchat.auth.throttling.control.ThrottleCounts} keeps it.
 */
package teamchat.auth.throttling.control;
