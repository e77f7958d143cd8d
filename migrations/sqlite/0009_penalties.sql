-- Public review of administrative penalty cases: the reviewer pool and the conflicts each
-- reviewer declared, the cases (the party's data and the unmasked text are private to the
-- agency; the masked text is what anyone else reads), the panel's seats in draw order with
-- their opinions, and the published draw.

CREATE TABLE reviewer_pool (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL UNIQUE REFERENCES users(id),
    state            TEXT NOT NULL DEFAULT 'volunteered'
                     CHECK (state IN ('volunteered', 'active', 'rejected', 'withdrawn')),
    motivation       TEXT NOT NULL,
    volunteered_at   TEXT NOT NULL,
    decided_by       INTEGER REFERENCES users(id),
    decided_at       TEXT,
    decision_reason  TEXT,
    term_ends_at     TEXT,
    updated_at       TEXT NOT NULL
);
CREATE INDEX reviewer_pool_state ON reviewer_pool(state, id);

CREATE TABLE reviewer_conflicts (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES reviewer_pool(id),
    kind       TEXT NOT NULL CHECK (kind IN ('agency', 'district', 'party')),
    agency_id  INTEGER REFERENCES agencies(id),
    -- an agency conflict names the agency; a district or party conflict its text
    text       TEXT NOT NULL
);
CREATE INDEX reviewer_conflicts_member ON reviewer_conflicts(member_id, id);

CREATE TABLE penalty_cases (
    id                  INTEGER PRIMARY KEY,
    agency_id           INTEGER NOT NULL REFERENCES agencies(id),
    status              TEXT NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'open', 'review', 'concluded', 'replied', 'withdrawn')),
    case_number         TEXT NOT NULL,
    district            TEXT NOT NULL,
    -- private to the agency's officials: the party and the names the official listed
    party_name          TEXT NOT NULL,
    listed_names        TEXT NOT NULL,
    facts_original      TEXT NOT NULL,
    basis_original      TEXT NOT NULL,
    discretion_original TEXT NOT NULL,
    -- masked: public once the official confirmed the masking
    facts               TEXT NOT NULL,
    basis               TEXT NOT NULL,
    discretion          TEXT NOT NULL,
    penalty_kind        TEXT NOT NULL,
    penalty_amount      INTEGER CHECK (penalty_amount IS NULL OR penalty_amount > 0),
    statement           TEXT,
    statement_at        TEXT,
    panel_size          INTEGER NOT NULL DEFAULT 7 CHECK (panel_size IN (5, 7, 9)),
    -- the draw's seed: secret until the draw; its SHA-256 is published with the case
    seed                TEXT NOT NULL,
    seed_commitment     TEXT NOT NULL,
    confirmed_at        TEXT,
    drawn_at            TEXT,
    review_due          TEXT,
    concluded_at        TEXT,
    panel_opinion       TEXT CHECK (panel_opinion IN ('no_penalty', 'lighter', 'agree', 'heavier')),
    breakdown           TEXT,
    absolute_majority   BOOLEAN,
    reply_due           TEXT,
    reply               TEXT CHECK (reply IN ('adopted', 'partly', 'not_adopted')),
    reply_reasons       TEXT,
    final_kind          TEXT,
    final_amount        INTEGER,
    replied_at          TEXT,
    status_reason       TEXT,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX penalty_cases_agency ON penalty_cases(agency_id, id);
CREATE INDEX penalty_cases_status ON penalty_cases(status, id);

-- Every eligible reviewer of a drawn case, in lot order: the panel first, then the
-- reserves who replace a panelist who declines or misses the deadline.
CREATE TABLE penalty_seats (
    case_id      INTEGER NOT NULL REFERENCES penalty_cases(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    member_id    INTEGER NOT NULL REFERENCES reviewer_pool(id),
    ordinal      INTEGER NOT NULL,
    lot          INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('reserve', 'invited', 'accepted', 'declined', 'missed')),
    due_at       TEXT,
    invited_at   TEXT,
    answered_at  TEXT,
    opinion      TEXT CHECK (opinion IN ('no_penalty', 'lighter', 'agree', 'heavier')),
    reasons      TEXT,
    amount       INTEGER,
    opinion_at   TEXT,
    revisions    INTEGER NOT NULL DEFAULT 0,
    -- the panelist this one replaced (a user id), for the record
    replaces     INTEGER,
    PRIMARY KEY (case_id, user_id),
    UNIQUE (case_id, lot)
);
CREATE INDEX penalty_seats_user ON penalty_seats(user_id, state);

-- The draw as published: algorithm, revealed seed, the eligible list (reviewer numbers in
-- pool order) and the outcome, so that anyone can re-run it.
CREATE TABLE penalty_draws (
    case_id     INTEGER PRIMARY KEY REFERENCES penalty_cases(id),
    algorithm   TEXT NOT NULL,
    seed        TEXT NOT NULL,
    commitment  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    eligible    TEXT NOT NULL,
    excluded    TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    drawn_by    INTEGER NOT NULL REFERENCES users(id),
    drawn_at    TEXT NOT NULL
);
