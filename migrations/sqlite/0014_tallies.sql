-- What the pictures on a proposal's page are drawn from: how many published (not hidden)
-- comments each clause drew, by stance. Clause 0 is the proposal as a whole. Kept in the
-- transaction of every comment and every hiding, so a page reads a few rows, not a
-- million comments.
CREATE TABLE comment_tallies (
    proposal_id   INTEGER NOT NULL REFERENCES proposals(id),
    clause_number INTEGER NOT NULL,
    stance        TEXT    NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, clause_number, stance)
) WITHOUT ROWID;
INSERT INTO comment_tallies (proposal_id, clause_number, stance, count)
SELECT proposal_id, COALESCE(clause_number, 0), stance, COUNT(*) FROM comments WHERE hidden = FALSE
GROUP BY proposal_id, COALESCE(clause_number, 0), stance;

-- the home page's lists filtered by agency
CREATE INDEX proposals_agency_closes ON proposals(agency_id, status, closes_at, id);
CREATE INDEX proposals_opens ON proposals(status, opens_at, id);
