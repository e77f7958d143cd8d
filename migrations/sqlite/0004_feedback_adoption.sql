-- Feedback reports (how comments were used), distinct commenters, adoption.

CREATE TABLE feedback_reports (
    proposal_id   INTEGER PRIMARY KEY REFERENCES proposals(id),
    summary       TEXT    NOT NULL,
    published_by  INTEGER NOT NULL REFERENCES users(id),
    published_at  TEXT   NOT NULL
);

CREATE TABLE feedback_items (
    id             INTEGER PRIMARY KEY,
    proposal_id    INTEGER NOT NULL REFERENCES feedback_reports(proposal_id),
    clause_number  INTEGER,
    group_id       INTEGER REFERENCES comment_groups(id),
    decision       TEXT    NOT NULL,
    reason         TEXT    NOT NULL
);
CREATE INDEX feedback_items_proposal ON feedback_items(proposal_id, id);

-- one row per person who commented on a proposal: the count is kept, never recounted
CREATE TABLE proposal_commenters (
    proposal_id  INTEGER NOT NULL REFERENCES proposals(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (proposal_id, user_id)
);
ALTER TABLE proposals ADD COLUMN commenter_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN adopted_at TEXT;
