-- Sign-in: the addresses each account has signed in from (an address the account knows is
-- never held back by other addresses' failures), kept as hashes; each session's idle limit
-- (shorter for staff than for citizens), the address and browser it began from, for the
-- page that lists one's sessions.

CREATE TABLE signin_addresses (
    user_id       BIGINT NOT NULL REFERENCES users(id),
    address_hash  TEXT NOT NULL,
    last_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, address_hash)
);
CREATE INDEX signin_addresses_last ON signin_addresses(last_at);

ALTER TABLE sessions ADD COLUMN idle_seconds BIGINT NOT NULL DEFAULT 604800;
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

-- An administrator may disable an account: it cannot sign in, its sessions end, and what
-- it wrote stays. NULL: active.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMPTZ;
