-- Entries stored outside chatserv (posted through the public API, by webhooks, by bots), for
-- chatserv's feed (GET /api/messages/outside): chatserv delivers what it stores itself at once, and
-- hears of these only here. One row per room, replaced by each such store in the room: the notice
-- says "the room has entries up to seq", so a newer one makes an older one useless, and the table
-- never holds more rows than there are rooms (nothing to prune). MessageStore.storeOutsideChatserv
-- writes it in the transaction of the store; chatserv's own batches never touch it.
--
-- position orders the notices for the feed's readers, who ask for those after the last one they
-- saw. It is taken under LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE (writers queue, readers do
-- not wait), held to the commit: a notice's position is then higher than that of every notice
-- committed before it, and no transaction still open holds a lower one, so a reader never moves
-- past a position that commits later.
CREATE SEQUENCE outside_store_position;

CREATE TABLE outside_store (
    room_id   bigint      PRIMARY KEY REFERENCES room (id) ON DELETE CASCADE,
    seq       bigint      NOT NULL,
    position  bigint      NOT NULL DEFAULT nextval('outside_store_position'),
    stored_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outside_store_seq_positive CHECK (seq > 0)
);

ALTER SEQUENCE outside_store_position OWNED BY outside_store.position;

-- The feed: notices after a position, in position order.
CREATE UNIQUE INDEX outside_store_by_position ON outside_store (position);
