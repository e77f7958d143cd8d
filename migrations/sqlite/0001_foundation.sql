-- Accounts, sessions, agencies, proposals with versions and clauses, comments, audit log.
-- Times are UTC; the same schema exists for PostgreSQL in migrations/postgres.

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name_zh     TEXT    NOT NULL,
    name_en     TEXT    NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    display_name  TEXT    NOT NULL,
    agency_id     INTEGER REFERENCES agencies(id),
    created_at    TEXT    NOT NULL
);

CREATE TABLE user_roles (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    role        TEXT    NOT NULL,
    granted_by  INTEGER REFERENCES users(id),
    granted_at  TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Only a hash of the session token is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Attempts counted per key (account or address) over a sliding minute, shared by every
-- server process.
CREATE TABLE rate_events (
    id      INTEGER PRIMARY KEY,
    bucket  TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
CREATE INDEX rate_events_bucket_at ON rate_events(bucket, at);

CREATE TABLE proposals (
    id                  INTEGER PRIMARY KEY,
    agency_id           INTEGER NOT NULL REFERENCES agencies(id),
    kind                TEXT    NOT NULL,
    title               TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT    NOT NULL,
    published_at        TEXT,
    opens_at            TEXT    NOT NULL,
    closes_at           TEXT    NOT NULL,
    short_window_reason TEXT,
    hearing_required    BOOLEAN NOT NULL,
    current_version     INTEGER NOT NULL DEFAULT 1,
    comment_count       INTEGER NOT NULL DEFAULT 0,
    -- the domains again, comma-separated, so that lists need no second query
    domains             TEXT    NOT NULL
);
CREATE INDEX proposals_closes ON proposals(status, closes_at, id);

CREATE TABLE proposal_domains (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    domain      TEXT    NOT NULL,
    PRIMARY KEY (proposal_id, domain)
);

CREATE TABLE proposal_versions (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES proposals(id),
    number       INTEGER NOT NULL,
    body_md      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (proposal_id, number)
);

-- The text split into numbered clauses, rendered and sanitised once when written.
CREATE TABLE clauses (
    version_id    INTEGER NOT NULL REFERENCES proposal_versions(id),
    number        INTEGER NOT NULL,
    heading_html  TEXT,
    html          TEXT    NOT NULL,
    plain         TEXT    NOT NULL,
    PRIMARY KEY (version_id, number)
);

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    proposal_id    INTEGER NOT NULL REFERENCES proposals(id),
    version_id     INTEGER NOT NULL REFERENCES proposal_versions(id),
    clause_number  INTEGER,
    author_id      INTEGER NOT NULL REFERENCES users(id),
    stance         TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    hidden         BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason  TEXT,
    support_count  INTEGER NOT NULL DEFAULT 0
);
-- keyset pagination: newest first within a proposal
CREATE INDEX comments_proposal_id ON comments(proposal_id, id);

-- Append-only: every state change is written here in the same transaction.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
