-- Accounts: who may log in. The username is unique whatever its case; the password is stored
-- only as an Argon2id hash string that carries its own parameters, so they can be raised later.
CREATE TABLE account (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL,
    display_name  text        NOT NULL,
    password_hash text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT account_username_length CHECK (char_length(username) BETWEEN 3 AND 32),
    CONSTRAINT account_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 64)
);

CREATE UNIQUE INDEX account_username_ci ON account (lower(username));
