-- Bot accounts (docs/api.md, "Bot accounts"): an account that a person owns and that acts only
-- through its personal access tokens. Its username is a username like anyone's (one namespace, so
-- chat can tell people and bots apart by name); it has no password, so it never logs in, and so
-- it never has a session or a refresh token. A deleted bot keeps its row (its messages in chat
-- keep its name, and the name is not handed to someone else) and its tokens are revoked.
ALTER TABLE account ADD COLUMN bot_owner_id uuid NULL REFERENCES account (id);
ALTER TABLE account ADD COLUMN deleted_at timestamptz NULL;
ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE account ADD CONSTRAINT account_bot_has_no_password
    CHECK ((bot_owner_id IS NULL) = (password_hash IS NOT NULL));
ALTER TABLE account ADD CONSTRAINT account_only_bots_are_deleted
    CHECK (deleted_at IS NULL OR bot_owner_id IS NOT NULL);

-- A person's bots, for their profile page and the bound on how many they have.
CREATE INDEX account_bots_of_owner ON account (bot_owner_id) WHERE bot_owner_id IS NOT NULL;
