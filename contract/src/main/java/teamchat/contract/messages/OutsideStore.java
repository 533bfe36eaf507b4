package teamchat.contract.messages;

/**
 * Entries of a room up to {@code seq} were stored outside chatserv (posted through the public API,
 * by a webhook or a bot): chatserv delivers what it stores itself at once, and reads these from
 * chatfront when it hears of them here, so that open chat screens show them live too.
 *
 * @param position the notice's place in chatfront's feed (increasing; resume after the last one
 *     seen)
 * @param room the room
 * @param seq the newest seq of the room stored outside chatserv when the notice was written
 */
public record OutsideStore(long position, long room, long seq) {}
