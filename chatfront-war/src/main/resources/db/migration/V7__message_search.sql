-- Issue 19: search over messages (teamchat.chatfront.search). Two indexes, both over messages in
-- their current state only (kind 'message' with a body: an edit changes the body of its message's
-- row, a delete nulls it, so a deleted message drops out of both indexes at once):
--
-- * whole words: the English configuration (stemmed: "deploying" finds "deployed") and the simple
--   one (every word as written: names, words of other languages) in one tsvector;
-- * parts of words: trigrams of the lower-cased text (pg_trgm), so that a LIKE '%part%' finds
--   "surefire" in target/surefire-reports, "PR-128" and text without spaces such as Japanese.
--
-- pg_trgm is a contrib extension of PostgreSQL (in Debian's postgresql package and in the embedded
-- PostgreSQL of ./chat up). The role that migrates the chat schema owns only that schema and may
-- not create extensions, so whoever provisions the database creates it in the schema chat first
-- (deploy/vm1/provision-postgres.sh on VM1, DatabaseRoles in ./chat up; docs/deploy.md). Then the
-- statement below finds it there and does nothing; run as a superuser (the integration tests) it
-- creates it.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA chat;

CREATE INDEX message_search_words ON message USING gin
    ((to_tsvector('english'::regconfig, body) || to_tsvector('simple'::regconfig, body)))
    WHERE kind = 'message' AND body IS NOT NULL;

CREATE INDEX message_search_parts ON message USING gin (lower(body) gin_trgm_ops)
    WHERE kind = 'message' AND body IS NOT NULL;

-- Rooms found by part of their name (the search field's room results).
CREATE INDEX room_search_name ON room USING gin (lower(name) gin_trgm_ops)
    WHERE visibility <> 'direct';
