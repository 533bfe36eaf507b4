-- The membership feed (V3, V6) is read by id: chatserv asks for the changes after the last id it
-- saw. Ids were handed out when a change was written, not when it committed, so a change could
-- commit after one with a higher id that a reader had already passed, and chatserv would never
-- hear of it: a person removed from a room could go on receiving it until they reconnected.
--
-- Every statement that makes or ends memberships now first takes a lock on the feed's table
-- (SHARE ROW EXCLUSIVE: writers queue, readers do not wait), held to the commit. A change's id is
-- then higher than that of every change committed before it, and no transaction still open holds
-- a lower one. It is taken before the statement touches a membership row (a statement trigger, not
-- the row triggers that write the changes), so two statements never wait for each other's rows
-- while holding it. Memberships change rarely (joins, leaves, removals, deleted rooms); messages
-- never take this lock.
CREATE FUNCTION lock_membership_changes() RETURNS trigger
LANGUAGE plpgsql
-- Resolve the tables in this schema whatever search_path the changing session has.
SET search_path FROM CURRENT
AS $$
BEGIN
    LOCK TABLE membership_change IN SHARE ROW EXCLUSIVE MODE;
    RETURN NULL;
END;
$$;

CREATE TRIGGER membership_changes_in_commit_order
    BEFORE INSERT OR DELETE ON membership
    FOR EACH STATEMENT EXECUTE FUNCTION lock_membership_changes();
