-- A person can mute a room: no browser notification for it, its unread count shown greyed (its
-- mentions still counted). Kept with the membership, so it follows the person to every device.
ALTER TABLE membership ADD COLUMN muted boolean NOT NULL DEFAULT false;

-- The membership feed (V3) records starts too: chatserv tells the person's open pages of every
-- change ('rooms_changed'), so a room they were invited to, or created in another tab, appears in
-- their sidebar without a reload. Written by a trigger, as the ends are, so no code path that makes
-- a membership can forget it.
ALTER TABLE membership_change DROP CONSTRAINT membership_change_kind;
ALTER TABLE membership_change ADD CONSTRAINT membership_change_kind
    CHECK (kind IN ('joined', 'left', 'removed', 'room_deleted'));

CREATE FUNCTION record_membership_start() RETURNS trigger
LANGUAGE plpgsql
-- Resolve the tables in this schema whatever search_path the inserting session has.
SET search_path FROM CURRENT
AS $$
BEGIN
    INSERT INTO membership_change (room_id, subject, kind)
        SELECT NEW.room_id, u.subject, 'joined' FROM chat_user u WHERE u.id = NEW.user_id;
    RETURN NEW;
END;
$$;

CREATE TRIGGER membership_inserted
    AFTER INSERT ON membership
    FOR EACH ROW EXECUTE FUNCTION record_membership_start();
