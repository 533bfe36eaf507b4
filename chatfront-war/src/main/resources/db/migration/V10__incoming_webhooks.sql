-- Issue 20: incoming webhooks (teamchat.chatfront.webhooks). A room owner makes one; a tool posts
-- {"text": ...} to /api/v1/hooks/{id}/{secret} and the message is stored in the room as the
-- webhook's creator (docs/api.md, "Incoming webhooks"). Only the SHA-256 of the secret is kept,
-- as auth keeps personal tokens: a copy of the database posts nowhere. Revoked webhooks stay
-- listed (revoked_at) so that the room's owners see what posted before; deleting the room
-- deletes them.
CREATE TABLE incoming_webhook (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id       bigint      NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    name          text        NOT NULL,
    secret_sha256 bytea       NOT NULL,
    creator_id    bigint      NOT NULL REFERENCES chat_user (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    CONSTRAINT incoming_webhook_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
    CONSTRAINT incoming_webhook_secret_length CHECK (octet_length(secret_sha256) = 32)
);

-- A room's webhooks, for its owners' list.
CREATE INDEX incoming_webhook_by_room ON incoming_webhook (room_id, id);
