-- Issue 20: slash commands (outgoing webhooks, teamchat.chatfront.commands). A room owner registers
-- a command (/deploy) for a room: a target URL that messages starting with /deploy are POSTed to,
-- signed with the command's secret, and a bot of theirs in the room that posts the target's answer.
--
-- The secret signs every call (HMAC-SHA256, docs/api.md), so it is kept as issued, not hashed; it is
-- shown once when the command is registered and never served or logged after that.
CREATE TABLE room_command (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id     bigint      NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    target_url  text        NOT NULL,
    bot_id      bigint      NOT NULL REFERENCES chat_user (id) ON DELETE CASCADE,
    secret      text        NOT NULL,
    created_by  bigint      NOT NULL REFERENCES chat_user (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- The last call that failed (a short reason, never the secret), shown in the command list.
    last_error  text,
    last_error_at timestamptz,
    CONSTRAINT room_command_name CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
    CONSTRAINT room_command_url_length CHECK (char_length(target_url) BETWEEN 8 AND 2000)
);
-- One /name per room; MessageStore finds a message's command by (room, name).
CREATE UNIQUE INDEX room_command_room_name ON room_command (room_id, name);

-- The outbox: one row per message that called a command, written in the message's transaction
-- (MessageStore), so a stored command message is called exactly once whatever crashes. The
-- dispatcher claims due rows (FOR UPDATE SKIP LOCKED, any chatfront instance), and a claim holds a
-- row until next_attempt_at: a claim that dies with its instance is taken again after that.
CREATE TABLE command_call (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command_id      bigint      NOT NULL REFERENCES room_command (id) ON DELETE CASCADE,
    message_id      bigint      NOT NULL UNIQUE REFERENCES message (id) ON DELETE CASCADE,
    arguments       text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    answer_id       bigint      REFERENCES message (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT command_call_state CHECK (state IN ('pending', 'done', 'failed'))
);
CREATE INDEX command_call_due ON command_call (next_attempt_at) WHERE state = 'pending';
