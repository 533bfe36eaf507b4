package teamchat.contract.messages;

import java.util.List;

/**
 * One answer of chatfront's feed of entries stored outside chatserv ({@code GET
 * /api/messages/outside?after=N&wait_ms=M}): the notices after {@code N}, oldest first, at most one
 * per room (a newer store in a room replaces its notice), and the position to ask after next time
 * ({@code last}; equal to {@code N} when nothing was stored in the wait).
 */
public record OutsideStores(List<OutsideStore> stores, long last) {

  /** Notices per answer; a follower further behind asks again after the last one it got. */
  public static final int MAX_STORES = 1000;
}
