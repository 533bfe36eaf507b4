-- Every end of a membership (someone left, was removed, or the room was deleted), in order, for
-- chatserv's feed (GET /api/memberships/changes): chatserv stops delivering a room to someone the
-- moment they are no longer in it. Written by a trigger on membership, in the same transaction as
-- the delete, so no code path that ends a membership can forget it.
CREATE TABLE membership_change (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id    bigint      NOT NULL,
    subject    text        NOT NULL,
    kind       text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT membership_change_kind CHECK (kind IN ('left', 'removed', 'room_deleted'))
);

-- Pruning deletes the oldest changes (MembershipFeed, chatfront.membership-changes.retention).
CREATE INDEX membership_change_by_time ON membership_change (changed_at);

-- The kind of a deleted membership: room_deleted when the room itself is gone (the cascade of
-- deleting it), otherwise what the deleting transaction declared with
-- SET LOCAL chat.membership_change_kind = 'removed', otherwise 'left'.
CREATE FUNCTION record_membership_change() RETURNS trigger
LANGUAGE plpgsql
-- Resolve the tables in this schema whatever search_path the deleting session has.
SET search_path FROM CURRENT
AS $$
DECLARE
    change_kind text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM room WHERE id = OLD.room_id) THEN
        change_kind := 'room_deleted';
    ELSE
        change_kind := coalesce(nullif(current_setting('chat.membership_change_kind', true), ''),
                                'left');
    END IF;
    INSERT INTO membership_change (room_id, subject, kind)
        SELECT OLD.room_id, u.subject, change_kind FROM chat_user u WHERE u.id = OLD.user_id;
    RETURN OLD;
END;
$$;

CREATE TRIGGER membership_deleted
    AFTER DELETE ON membership
    FOR EACH ROW EXECUTE FUNCTION record_membership_change();
