/**
 * What chatfront's feeds for chatserv share: requests that wait for a feed's next entries (long
 * polls) without holding a thread. The feeds themselves live with their data: memberships in {@code
 * rooms}, stores made outside chatserv in {@code messages}.
 */
package teamchat.chatfront.feeds;
