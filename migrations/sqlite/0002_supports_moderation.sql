-- Supports (+1), reports, moderation (hidden, never deleted) and notices to authors.

CREATE TABLE comment_supports (
    comment_id  INTEGER NOT NULL REFERENCES comments(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE comment_reports (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL REFERENCES comments(id),
    reporter_id  INTEGER NOT NULL REFERENCES users(id),
    reason       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (comment_id, reporter_id)
);

ALTER TABLE comments ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN hidden_by INTEGER REFERENCES users(id);
ALTER TABLE comments ADD COLUMN hidden_at TEXT;
-- the moderation queue: reported, still visible, most reported first
CREATE INDEX comments_reported ON comments(report_count DESC, id DESC) WHERE hidden = FALSE AND report_count > 0;

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    detail      TEXT    NOT NULL
);
CREATE INDEX notices_user ON notices(user_id, id);
