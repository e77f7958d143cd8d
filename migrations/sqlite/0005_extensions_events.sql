-- Window extensions (shown publicly with their reason) and other consultation methods.

CREATE TABLE window_extensions (
    id              INTEGER PRIMARY KEY,
    proposal_id     INTEGER NOT NULL REFERENCES proposals(id),
    old_closes_at   TEXT   NOT NULL,
    new_closes_at   TEXT   NOT NULL,
    reason          TEXT    NOT NULL,
    extended_by     INTEGER NOT NULL REFERENCES users(id),
    extended_at     TEXT   NOT NULL
);
CREATE INDEX window_extensions_proposal ON window_extensions(proposal_id, id);

CREATE TABLE consultation_events (
    id            INTEGER PRIMARY KEY,
    proposal_id   INTEGER NOT NULL REFERENCES proposals(id),
    kind          TEXT    NOT NULL,
    held_at       TEXT   NOT NULL,
    title         TEXT    NOT NULL,
    minutes_html  TEXT    NOT NULL,
    recorded_by   INTEGER NOT NULL REFERENCES users(id),
    recorded_at   TEXT   NOT NULL
);
CREATE INDEX consultation_events_proposal ON consultation_events(proposal_id, held_at);
