-- The core made sound: a hash-chained audit log, typed proposal states with a check,
-- one campaign group per exact text, withdrawal with a public reason.

-- Audit log: one chain per subject. seq numbers the subject's entries from 1; hash is
-- the SHA-256 of the entry and its predecessor's hash (domain::audit::chain_bytes).
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_chain ON audit_log(entity, entity_id, seq);
CREATE INDEX audit_log_actor ON audit_log(actor_id, id);
CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_at ON audit_log(at, id);
CREATE TABLE audit_heads (
    entity      TEXT    NOT NULL,
    entity_id   BIGINT  NOT NULL,
    seq         BIGINT  NOT NULL,
    hash        TEXT    NOT NULL,
    PRIMARY KEY (entity, entity_id)
);
-- an entry written before the chain existed is sealed once (its hash set); after that
-- it never changes
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN RETURN NEW; END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END; $$ LANGUAGE plpgsql;

-- Proposal lifecycle (domain::proposal::ProposalStatus).
UPDATE proposals SET status = 'feedback_published'
 WHERE status = 'published' AND id IN (SELECT proposal_id FROM feedback_reports);
ALTER TABLE proposals ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE proposals ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE proposals ADD CONSTRAINT proposals_status_check CHECK (
    status IN ('draft', 'published', 'feedback_published', 'adopted', 'withdrawn')
    AND kind IN ('regulation', 'major_decision', 'policy_adjustment', 'reform_plan', 'key_project', 'environmental_project', 'investment_project'));

-- One group per exact text of a proposal: concurrent identical comments meet in it.
-- Groups a race opened twice for one text before this index are merged first.
CREATE TEMP TABLE group_merge AS
    SELECT id, MIN(id) OVER (PARTITION BY proposal_id, fingerprint) AS keep FROM comment_groups;
DELETE FROM group_merge WHERE id = keep;
UPDATE comments c SET group_id = m.keep FROM group_merge m WHERE c.group_id = m.id;
UPDATE feedback_items f SET group_id = m.keep FROM group_merge m WHERE f.group_id = m.id;
DELETE FROM comment_groups g USING group_merge m WHERE g.id = m.id;
UPDATE comment_groups g SET member_count = s.n, first_comment_id = s.first_id, last_comment_id = s.last_id
  FROM (SELECT group_id, COUNT(*) AS n, MIN(id) AS first_id, MAX(id) AS last_id FROM comments GROUP BY group_id) s
 WHERE s.group_id = g.id AND g.id IN (SELECT keep FROM group_merge);
UPDATE proposals p SET campaign_count = (SELECT COUNT(*) FROM comment_groups g WHERE g.proposal_id = p.id AND g.member_count > 1)
 WHERE p.id IN (SELECT g.proposal_id FROM comment_groups g JOIN group_merge m ON m.keep = g.id);
DROP TABLE group_merge;
DROP INDEX comment_groups_fp;
CREATE UNIQUE INDEX comment_groups_fp ON comment_groups(proposal_id, fingerprint);

-- The periodic sweep of expired sessions and stale rate-limit attempts finds them by time.
CREATE INDEX rate_events_at ON rate_events(at);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- A version's changes from the one before, computed once when it is published (JSON of
-- domain::diff::ClauseChange); the public diff page reads it instead of recomputing.
ALTER TABLE proposal_versions ADD COLUMN changes TEXT;
