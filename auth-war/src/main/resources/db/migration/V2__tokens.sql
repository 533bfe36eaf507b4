-- Signing keys: RSA key pairs. A new key is published (JWKS) before it signs, and an old one stays
-- published until every access token it signed has expired (see SigningKeys).
CREATE TABLE signing_key (
    kid         text        PRIMARY KEY,
    private_key bytea       NOT NULL,  -- PKCS#8
    public_key  bytea       NOT NULL,  -- X.509 SubjectPublicKeyInfo
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Refresh tokens, stored only as SHA-256 hashes. A login starts a family (its id is the session id,
-- claim "sid" of the access tokens); every use rotates the token within the family; presenting a
-- used token again revokes the whole family.
CREATE TABLE refresh_token (
    token_hash  bytea       PRIMARY KEY,
    family_id   uuid        NOT NULL,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE INDEX refresh_token_family ON refresh_token (family_id);

-- Revoked sessions: verifiers refuse access tokens whose "sid" is listed, until they expire.
CREATE TABLE revoked_session (
    family_id   uuid        PRIMARY KEY,
    revoked_at  timestamptz NOT NULL DEFAULT now(),
    reason      text        NOT NULL
);

CREATE INDEX revoked_session_recent ON revoked_session (revoked_at);
