-- Issue 19: files shared in rooms (teamchat.chatfront.files), kept in PostgreSQL with the messages,
-- so that pg_dump backs them up and the restore drill brings them back (docs/deploy.md), and every
-- chatfront instance serves every file.
--
-- A file is uploaded first (pending: message_id null, owned by its uploader, for one room), then
-- attached to exactly one message of that room when the message is stored. Its bytes are rows of
-- at most 256 KB (file_chunk), written and read one at a time, so that nothing holds a whole file
-- in memory. Deleting a message deletes its files (MessageStore), deleting a room its messages'
-- and pending files (the cascades below); pending files older than a day are removed (PendingFiles).
CREATE TABLE file (
    id             uuid        PRIMARY KEY,
    room_id        bigint      NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    uploader_id    bigint      NOT NULL REFERENCES chat_user (id),
    message_id     bigint      REFERENCES message (id) ON DELETE CASCADE,
    name           text        NOT NULL,
    size           bigint      NOT NULL,
    media_type     text        NOT NULL,
    width          integer,
    height         integer,
    -- A re-encoded thumbnail of an image (PNG or JPEG, no metadata), at most 480 px a side.
    thumbnail      bytea,
    thumbnail_type text,
    -- Its place among the files of its message (0 first), set when attached.
    position       smallint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT file_name_length CHECK (char_length(name) BETWEEN 1 AND 255),
    CONSTRAINT file_size CHECK (size > 0),
    CONSTRAINT file_thumbnail CHECK ((thumbnail IS NULL) = (thumbnail_type IS NULL))
);

-- A message's files, in the order they were attached (history and frames read them per message).
CREATE INDEX file_of_message ON file (message_id, position) WHERE message_id IS NOT NULL;
-- The daily limit sums what one person uploaded in the last day.
CREATE INDEX file_of_uploader ON file (uploader_id, created_at);
-- Pending files are found by age to be removed.
CREATE INDEX file_pending ON file (created_at) WHERE message_id IS NULL;

CREATE TABLE file_chunk (
    file_id uuid    NOT NULL REFERENCES file (id) ON DELETE CASCADE,
    part    integer NOT NULL,
    bytes   bytea   NOT NULL,
    PRIMARY KEY (file_id, part),
    CONSTRAINT file_chunk_size CHECK (octet_length(bytes) BETWEEN 1 AND 262144)
);

-- A message of files only has an empty body (''); every other message 1 to 4000 characters, as
-- chatfront checks before it stores one.
ALTER TABLE message DROP CONSTRAINT message_body_length,
    ADD CONSTRAINT message_body_length CHECK (char_length(body) <= 4000);
