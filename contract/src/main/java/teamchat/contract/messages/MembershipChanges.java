package teamchat.contract.messages;

import java.util.List;

/**
 * One answer of chatfront's membership-changes feed ({@code GET
 * /api/memberships/changes?after=N&wait_ms=M}): the changes after {@code N}, oldest first, and the
 * id to ask after next time ({@code last}; equal to {@code N} when nothing changed in the wait).
 */
public record MembershipChanges(List<MembershipChange> changes, long last) {}
