-- The second factor: each account's TOTP secret (pending until the first code confirms it)
-- with the last time step a code was accepted for (no replay), and its recovery codes,
-- kept as hashes, each usable once.

CREATE TABLE second_factors (
    user_id     INTEGER NOT NULL PRIMARY KEY REFERENCES users(id),
    secret      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    enabled_at  TEXT,
    last_step   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    user_id    INTEGER NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
);
