/**
 * Sockets: each open socket ({@code Connection}: who signed in, its bounded outbound queue, when it
 * was last heard), the registry with its timers (sign-in deadline, pings, closing sockets whose
 * session ended), and the limits a socket counts against.
 */
package teamchat.chatserv.sockets;
