-- The chat data. Every room keeps a gap-free message sequence: room.last_seq is the last number
-- handed out, and (room_id, seq) is unique, so a message's place in its room is never ambiguous.

-- People as chat knows them, keyed by the subject of their auth token.
CREATE TABLE chat_user (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject      text        NOT NULL UNIQUE,
    display_name text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chat_user_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 64)
);

CREATE TABLE room (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    topic      text        NOT NULL DEFAULT '',
    visibility text        NOT NULL,
    last_seq   bigint      NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT room_visibility CHECK (visibility IN ('public', 'private', 'direct')),
    CONSTRAINT room_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
    CONSTRAINT room_topic_length CHECK (char_length(topic) <= 256)
);

-- Public and private rooms have names unique whatever their case; direct rooms are found by pair.
CREATE UNIQUE INDEX room_name_ci ON room (lower(name)) WHERE visibility <> 'direct';

-- One direct-message room per pair of users, the pair stored in id order.
CREATE TABLE direct_room (
    user_low  bigint NOT NULL REFERENCES chat_user (id),
    user_high bigint NOT NULL REFERENCES chat_user (id),
    room_id   bigint NOT NULL UNIQUE REFERENCES room (id),
    PRIMARY KEY (user_low, user_high),
    CONSTRAINT direct_room_ordered_pair CHECK (user_low < user_high)
);

CREATE TABLE membership (
    room_id       bigint      NOT NULL REFERENCES room (id) ON DELETE CASCADE,
    user_id       bigint      NOT NULL REFERENCES chat_user (id),
    role          text        NOT NULL,
    last_read_seq bigint      NOT NULL DEFAULT 0,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (room_id, user_id),
    CONSTRAINT membership_role CHECK (role IN ('owner', 'member'))
);

-- The rooms of a user (room list, membership checks by chatserv).
CREATE INDEX membership_by_user ON membership (user_id, room_id);

CREATE TABLE message (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id       bigint      NOT NULL REFERENCES room (id),
    seq           bigint      NOT NULL,
    sender_id     bigint      NOT NULL REFERENCES chat_user (id),
    client_msg_id text        NOT NULL,
    body          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- History by (room, seq): resume after a seq, scroll back before one.
    CONSTRAINT message_room_seq UNIQUE (room_id, seq),
    -- Idempotency: a resent message is found by (sender, client id) and never stored twice.
    CONSTRAINT message_sender_client_id UNIQUE (sender_id, client_msg_id),
    CONSTRAINT message_seq_positive CHECK (seq > 0),
    CONSTRAINT message_client_msg_id_length CHECK (char_length(client_msg_id) BETWEEN 1 AND 64),
    CONSTRAINT message_body_length CHECK (char_length(body) BETWEEN 1 AND 4000)
);
