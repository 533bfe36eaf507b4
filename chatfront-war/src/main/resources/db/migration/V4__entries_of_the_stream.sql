-- Issue 15: a room's seq stream holds every change, not only messages. Each row of message is an
-- entry with its own gap-free seq (numbered under the room's row lock as before): a message, or
-- an edit, a delete, a reaction added (react) or taken away (unreact) of a message of the same
-- room. Message rows also hold their CURRENT state (body and html after the last edit, deleted_at,
-- reply_count), so a reload shows the room as it is now without replaying its history.
--
-- Rows stored before this migration are messages without html: chatfront renders their body when
-- it reads them (MessageHistory); they mention no one (mentions did not exist when they were sent).
ALTER TABLE message
    ADD COLUMN kind          text        NOT NULL DEFAULT 'message',
    ADD COLUMN target_id     bigint      REFERENCES message (id),
    ADD COLUMN parent_id     bigint      REFERENCES message (id),
    ADD COLUMN emoji         text,
    ADD COLUMN html          text,
    ADD COLUMN mentions_room boolean     NOT NULL DEFAULT false,
    ADD COLUMN edited_at     timestamptz,
    -- A deleted message is a tombstone: its body and html are gone (and its edits' too).
    ADD COLUMN deleted_at    timestamptz,
    ADD COLUMN reply_count   integer     NOT NULL DEFAULT 0,
    -- Null for a deleted message or edit, and for the kinds that have no text.
    ALTER COLUMN body DROP NOT NULL,
    ADD CONSTRAINT message_kind CHECK (kind IN ('message', 'edit', 'delete', 'react', 'unreact')),
    -- Each kind keeps its shape, whatever code writes the row.
    ADD CONSTRAINT message_shape_of_kind CHECK (
        CASE kind
            WHEN 'message' THEN
                target_id IS NULL AND emoji IS NULL
                AND (body IS NULL) = (deleted_at IS NOT NULL)
                AND (html IS NULL OR body IS NOT NULL)
                AND NOT (mentions_room AND body IS NULL)
            WHEN 'edit' THEN
                target_id IS NOT NULL AND parent_id IS NULL AND emoji IS NULL
                AND (body IS NULL) = (deleted_at IS NOT NULL)
                AND (html IS NULL) = (body IS NULL)
                AND NOT (mentions_room AND body IS NULL)
                AND edited_at IS NULL AND reply_count = 0
            WHEN 'delete' THEN
                target_id IS NOT NULL AND parent_id IS NULL AND emoji IS NULL
                AND body IS NULL AND html IS NULL AND NOT mentions_room
                AND edited_at IS NULL AND deleted_at IS NULL AND reply_count = 0
            ELSE
                target_id IS NOT NULL AND parent_id IS NULL AND emoji IS NOT NULL
                AND body IS NULL AND html IS NULL AND NOT mentions_room
                AND edited_at IS NULL AND deleted_at IS NULL AND reply_count = 0
        END),
    ADD CONSTRAINT message_emoji_length CHECK (char_length(emoji) BETWEEN 1 AND 34),
    ADD CONSTRAINT message_reply_count CHECK (reply_count >= 0);

-- A thread: the replies of a message, in seq order.
CREATE INDEX message_thread ON message (parent_id, seq) WHERE parent_id IS NOT NULL;
-- The changes of a message (a delete erases the text of its edits too).
CREATE INDEX message_changes ON message (target_id) WHERE target_id IS NOT NULL;
-- Messages to the whole room (@room), for mention counts.
CREATE INDEX message_room_mentions ON message (room_id, seq) WHERE mentions_room;

-- Who reacted to a message with what: the current set (react and unreact entries change it).
CREATE TABLE reaction (
    message_id bigint      NOT NULL REFERENCES message (id),
    user_id    bigint      NOT NULL REFERENCES chat_user (id),
    emoji      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, user_id, emoji),
    CONSTRAINT reaction_emoji_length CHECK (char_length(emoji) BETWEEN 1 AND 34)
);

-- The members a message or an edit mentions (@name). A message's rows are its current mentions
-- (an edit replaces them); a deleted message and its edits mention no one.
CREATE TABLE mention (
    message_id bigint NOT NULL REFERENCES message (id),
    user_id    bigint NOT NULL REFERENCES chat_user (id),
    PRIMARY KEY (message_id, user_id)
);

-- Someone's mentions, for their mention counts.
CREATE INDEX mention_by_user ON mention (user_id, message_id);
