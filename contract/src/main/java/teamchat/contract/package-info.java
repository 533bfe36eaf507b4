/**
 * What crosses a WAR boundary, in one place so it cannot drift: the token settings shared by the
 * issuer and the verifiers ({@code META-INF/microprofile-config.properties}), and the types of the
 * REST contract between chatserv and chatfront; and the rules more than one WAR must apply alike
 * (text at the door, token verification, the client address behind proxies).
 */
package teamchat.contract;
