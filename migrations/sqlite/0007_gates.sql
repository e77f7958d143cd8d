-- Gates with their evidence: projects, gates a reviewer adds, stability risk
-- assessments, legality reviews, reviewers' decisions, the working-day calendar, the
-- number of independent approvals per kind, and evidence files.

CREATE TABLE projects (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    kind          TEXT NOT NULL CHECK (kind IN ('key_project', 'investment_project', 'environmental_project')),
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'proposed'
                  CHECK (status IN ('proposed', 'assessing', 'approved', 'proceeding', 'halted')),
    halted_reason TEXT,
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX projects_list ON projects(id);

-- Gates added to a checklist with a reason. There is no way to remove one.
CREATE TABLE added_gates (
    subject     TEXT NOT NULL CHECK (subject IN ('proposal', 'project')),
    subject_id  INTEGER NOT NULL,
    gate        TEXT NOT NULL CHECK (gate IN ('hearing', 'stability_risk', 'legality_review')),
    reason      TEXT NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES users(id),
    added_at    TEXT NOT NULL,
    PRIMARY KEY (subject, subject_id, gate)
);

CREATE TABLE risk_assessments (
    id               INTEGER PRIMARY KEY,
    subject          TEXT NOT NULL CHECK (subject IN ('proposal', 'project')),
    subject_id       INTEGER NOT NULL,
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    submitted_by     INTEGER NOT NULL REFERENCES users(id),
    submitted_at     TEXT NOT NULL,
    level            TEXT NOT NULL CHECK (level IN ('low', 'medium', 'high')),
    method           TEXT NOT NULL CHECK (method IN ('survey', 'forum', 'expert_review', 'hearing')),
    risk_points      TEXT NOT NULL,
    prevention       TEXT NOT NULL,
    response_plan    TEXT NOT NULL,
    mitigation       TEXT,
    mitigation_at    TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
    -- written into the approval: the prevention measures (and mitigation) it was approved with
    control_measures TEXT,
    decided_at       TEXT
);
CREATE INDEX risk_assessments_subject ON risk_assessments(subject, subject_id, id);
CREATE INDEX risk_assessments_queue ON risk_assessments(status, submitted_at);

CREATE TABLE legality_reviews (
    id            INTEGER PRIMARY KEY,
    subject       TEXT NOT NULL CHECK (subject IN ('proposal', 'project')),
    subject_id    INTEGER NOT NULL,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    requested_by  INTEGER NOT NULL REFERENCES users(id),
    requested_at  TEXT NOT NULL,
    -- the day the request was made, in Beijing: working days count from here
    requested_on  TEXT NOT NULL,
    materials     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided', 'superseded')),
    opinion       TEXT CHECK (opinion IN ('lawful', 'lawful_with_changes', 'unlawful')),
    opinion_text  TEXT,
    decided_by    INTEGER REFERENCES users(id),
    decided_at    TEXT
);
CREATE INDEX legality_reviews_subject ON legality_reviews(subject, subject_id, id);
CREATE INDEX legality_reviews_queue ON legality_reviews(status, requested_at);

-- Every reviewer decision: who, when, why. One per reviewer per item.
CREATE TABLE review_decisions (
    id           INTEGER PRIMARY KEY,
    item         TEXT NOT NULL CHECK (item IN ('assessment', 'legality')),
    item_id      INTEGER NOT NULL,
    reviewer_id  INTEGER NOT NULL REFERENCES users(id),
    outcome      TEXT NOT NULL
                 CHECK (outcome IN ('approve', 'reject', 'lawful', 'lawful_with_changes', 'unlawful')),
    reason       TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    UNIQUE (item, item_id, reviewer_id)
);

-- The admin's calendar: public holidays and adjusted working days.
CREATE TABLE calendar_days (
    day   TEXT PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  TEXT NOT NULL
);

-- Independent approvals an assessment needs, per kind of proposal or project (default 1).
CREATE TABLE approval_policy (
    kind       TEXT PRIMARY KEY,
    approvals  INTEGER NOT NULL CHECK (approvals BETWEEN 1 AND 2)
);

-- Evidence files. The object's key is made by the server; the name is data only.
CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    owner          TEXT NOT NULL CHECK (owner IN ('assessment', 'mitigation', 'legality', 'opinion')),
    owner_id       INTEGER NOT NULL,
    object_key     TEXT NOT NULL UNIQUE,
    original_name  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT NOT NULL,
    uploaded_by    INTEGER NOT NULL REFERENCES users(id),
    uploaded_at    TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner, owner_id, id);
