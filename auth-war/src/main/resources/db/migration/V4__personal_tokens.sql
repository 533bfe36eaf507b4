-- Personal access tokens: what a person's own scripts and tools call chatfront's public API with
-- (docs/api.md). Stored only as the SHA-256 of the token, which is shown once when it is made. A
-- token is never deleted by its owner, only revoked, so that its last use stays on record.
CREATE TABLE personal_token (
    id           uuid        PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   bytea       NOT NULL UNIQUE,
    scopes       text        NOT NULL,  -- space-separated, as OAuth writes scopes: "read write"
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE INDEX personal_token_account ON personal_token (account_id);
