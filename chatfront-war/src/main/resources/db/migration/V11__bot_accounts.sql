-- Bot accounts (docs/api.md, "Bot accounts"): a bot is a chat user like a person, made by a person
-- who owns it. bot_owner_id is NULL for people and the owning person's id for a bot, so the page
-- and the API can mark a bot ("BOT") wherever its name is shown. A bot's owner is a person, never
-- another bot (checked where bots are made: a CHECK cannot look at another row).
ALTER TABLE chat_user ADD COLUMN bot_owner_id bigint NULL REFERENCES chat_user (id);
ALTER TABLE chat_user ADD CONSTRAINT chat_user_bot_not_own_owner CHECK (bot_owner_id <> id);

-- A person's bots, for their profile page.
CREATE INDEX chat_user_bots_of_owner ON chat_user (bot_owner_id) WHERE bot_owner_id IS NOT NULL;
