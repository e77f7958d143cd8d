-- E-mail verification and password reset. An account registered by a citizen proves its
-- address by a one-time link before it may comment, support, report or apply; accounts
-- made by an administrator, the command line or the demo (and every account made before
-- this migration) count as verified from their creation.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
UPDATE users SET email_verified_at = created_at;

-- One-time links sent by e-mail: only the SHA-256 of the token is kept, each works once
-- and until it expires; used and expired ones are purged.
CREATE TABLE account_tokens (
    token_hash  TEXT    NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    purpose     TEXT    NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);
CREATE INDEX account_tokens_expires ON account_tokens(expires_at);
