-- A room can be archived by its owner (issue 20): its history stays readable, but it takes no new
-- entries, invitations or joins. When, not just whether: the web app and the API show since when.
-- MessageStore reads it in the statement that locks a batch's rooms, so refusing a post into an
-- archived room costs no query more.
ALTER TABLE room ADD COLUMN archived_at timestamptz;
