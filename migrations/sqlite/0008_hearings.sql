-- Public hearings: the hearing and its schedule, its officers, citizens' applications,
-- the published draw, and the in-app notices that tell applicants what happened.

CREATE TABLE hearings (
    id                  INTEGER PRIMARY KEY,
    proposal_id         INTEGER NOT NULL REFERENCES proposals(id),
    status              TEXT NOT NULL DEFAULT 'scheduled'
                        CHECK (status IN ('scheduled', 'call_open', 'drawn', 'lists_published', 'held', 'reported', 'cancelled')),
    venue               TEXT NOT NULL,
    -- the venue's name as two spellings of one place share it (clash check)
    venue_key           TEXT NOT NULL,
    starts_at           TEXT NOT NULL,
    ends_at             TEXT NOT NULL,
    apply_until         TEXT NOT NULL,
    seats_participants  INTEGER NOT NULL CHECK (seats_participants BETWEEN 1 AND 100),
    seats_observers     INTEGER NOT NULL CHECK (seats_observers BETWEEN 0 AND 500),
    seats_press         INTEGER NOT NULL CHECK (seats_press BETWEEN 0 AND 500),
    plan_summary        TEXT NOT NULL,
    -- the draw's seed: secret until the draw; its SHA-256 is published with the call
    seed                TEXT NOT NULL,
    seed_commitment     TEXT NOT NULL,
    call_published_at   TEXT,
    lists_published_at  TEXT,
    materials_sent_at   TEXT,
    materials_reason    TEXT,
    agenda              TEXT NOT NULL DEFAULT '',
    record              TEXT,
    record_at           TEXT,
    report_summary      TEXT,
    report_consumer     TEXT,
    report_operator     TEXT,
    report_expert       TEXT,
    report_other        TEXT,
    report_at           TEXT,
    status_reason       TEXT,
    -- how many times the date moved: calendar apps replace an event with a higher one
    revision            INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX hearings_proposal ON hearings(proposal_id, id);
CREATE INDEX hearings_start ON hearings(starts_at, id);
CREATE INDEX hearings_venue ON hearings(venue_key, starts_at);

CREATE TABLE hearing_officers (
    hearing_id  INTEGER NOT NULL REFERENCES hearings(id),
    user_id     INTEGER NOT NULL REFERENCES users(id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (hearing_id, user_id)
);

CREATE TABLE hearing_applications (
    id                INTEGER PRIMARY KEY,
    hearing_id        INTEGER NOT NULL REFERENCES hearings(id),
    user_id           INTEGER NOT NULL REFERENCES users(id),
    constituency      TEXT NOT NULL CHECK (constituency IN ('consumer', 'operator', 'expert', 'other')),
    low_income        BOOLEAN NOT NULL,
    statement         TEXT NOT NULL,
    applied_at        TEXT NOT NULL,
    state             TEXT NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'selected', 'waiting', 'declined')),
    -- set by the draw: the place in the published list and in the lot order
    ordinal           INTEGER,
    lot               INTEGER,
    speaker_position  INTEGER,
    speaker_minutes   INTEGER,
    present           BOOLEAN,
    confirmation      TEXT CHECK (confirmation IN ('confirmed', 'objected')),
    objection         TEXT,
    answered_at       TEXT,
    UNIQUE (hearing_id, user_id)
);
CREATE INDEX hearing_applications_list ON hearing_applications(hearing_id, id);
CREATE INDEX hearing_applications_user ON hearing_applications(user_id, id);

-- The draw as published: algorithm, revealed seed, the ordered applicant list and the
-- outcome, so that anyone can re-run it.
CREATE TABLE hearing_draws (
    hearing_id  INTEGER PRIMARY KEY REFERENCES hearings(id),
    algorithm   TEXT NOT NULL,
    seed        TEXT NOT NULL,
    commitment  TEXT NOT NULL,
    seats       INTEGER NOT NULL,
    applicants  TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    drawn_by    INTEGER NOT NULL REFERENCES users(id),
    drawn_at    TEXT NOT NULL
);

CREATE TABLE hearing_notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    hearing_id  INTEGER NOT NULL REFERENCES hearings(id),
    kind        TEXT NOT NULL
                CHECK (kind IN ('selected', 'waiting', 'moved_up', 'materials', 'postponed', 'cancelled', 'record', 'report')),
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX hearing_notices_user ON hearing_notices(user_id, id);

-- hearing materials are evidence files too: SQLite changes a CHECK by rebuilding the table
CREATE TABLE attachments_new (
    id             INTEGER PRIMARY KEY,
    owner          TEXT NOT NULL CHECK (owner IN ('assessment', 'mitigation', 'legality', 'opinion', 'hearing')),
    owner_id       INTEGER NOT NULL,
    object_key     TEXT NOT NULL UNIQUE,
    original_name  TEXT NOT NULL,
    kind           TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    sha256         TEXT NOT NULL,
    uploaded_by    INTEGER NOT NULL REFERENCES users(id),
    uploaded_at    TEXT NOT NULL
);
INSERT INTO attachments_new SELECT id, owner, owner_id, object_key, original_name, kind, size, sha256, uploaded_by, uploaded_at FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_owner ON attachments(owner, owner_id, id);
