-- Issue 20: bot accounts. NULL for people; for a bot, the id of the person who owns it.
ALTER TABLE chat_user ADD COLUMN bot_owner_id bigint NULL REFERENCES chat_user (id);
