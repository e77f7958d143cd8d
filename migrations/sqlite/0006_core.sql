-- The core made sound: a hash-chained audit log, typed proposal states with a check,
-- one campaign group per exact text, withdrawal with a public reason.

-- Audit log: one chain per subject. seq numbers the subject's entries from 1; hash is
-- the SHA-256 of the entry and its predecessor's hash (domain::audit::chain_bytes).
ALTER TABLE audit_log ADD COLUMN seq INTEGER;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_chain ON audit_log(entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at, id);
CREATE TABLE audit_heads (
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    hash        TEXT    NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
-- an entry written before the chain existed is sealed once (its hash set); after that
-- it never changes
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Proposal lifecycle (domain::proposal::ProposalStatus).
UPDATE proposals SET status = 'feedback_published'
 WHERE status = 'published' AND id IN (SELECT proposal_id FROM feedback_reports);
ALTER TABLE proposals ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE proposals ADD COLUMN withdrawn_at TEXT;
CREATE TRIGGER proposals_status_check_insert BEFORE INSERT ON proposals
WHEN NEW.status NOT IN ('draft', 'published', 'feedback_published', 'adopted', 'withdrawn')
  OR NEW.kind NOT IN ('regulation', 'major_decision', 'policy_adjustment', 'reform_plan', 'key_project', 'environmental_project', 'investment_project')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: proposals_status_check'); END;
CREATE TRIGGER proposals_status_check_update BEFORE UPDATE OF status, kind ON proposals
WHEN NEW.status NOT IN ('draft', 'published', 'feedback_published', 'adopted', 'withdrawn')
  OR NEW.kind NOT IN ('regulation', 'major_decision', 'policy_adjustment', 'reform_plan', 'key_project', 'environmental_project', 'investment_project')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: proposals_status_check'); END;

-- One group per exact text of a proposal: concurrent identical comments meet in it.
DROP INDEX comment_groups_fp;
CREATE UNIQUE INDEX comment_groups_fp ON comment_groups(proposal_id, fingerprint);

-- The periodic sweep of expired sessions and stale rate-limit attempts finds them by time.
CREATE INDEX rate_events_at ON rate_events(at);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- A version's changes from the one before, computed once when it is published (JSON of
-- domain::diff::ClauseChange); the public diff page reads it instead of recomputing.
ALTER TABLE proposal_versions ADD COLUMN changes TEXT;
