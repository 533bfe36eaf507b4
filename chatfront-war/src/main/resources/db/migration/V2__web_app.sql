-- The web app finds people by username (invitations, direct messages), as auth spells it.
-- Nullable: a user row is complete once they have signed in to the web app.
ALTER TABLE chat_user ADD COLUMN username text;
CREATE UNIQUE INDEX chat_user_username_ci ON chat_user (lower(username));

-- Public rooms to browse, by name.
CREATE INDEX room_public_by_name ON room (lower(name)) WHERE visibility = 'public';
