-- Comment groups: identical and near-identical comments (campaigns) shown as one entry.
-- Every comment belongs to a group; a group of one is a single voice.

CREATE TABLE comment_groups (
    id                INTEGER PRIMARY KEY,
    proposal_id       INTEGER NOT NULL REFERENCES proposals(id),
    fingerprint       INTEGER NOT NULL,
    simhash           INTEGER NOT NULL,
    near              BOOLEAN NOT NULL,
    band0             INTEGER NOT NULL,
    band1             INTEGER NOT NULL,
    band2             INTEGER NOT NULL,
    band3             INTEGER NOT NULL,
    band4             INTEGER NOT NULL,
    band5             INTEGER NOT NULL,
    member_count      INTEGER NOT NULL DEFAULT 0,
    first_comment_id  INTEGER,
    last_comment_id   INTEGER
);
CREATE INDEX comment_groups_fp ON comment_groups(proposal_id, fingerprint);
CREATE INDEX comment_groups_b0 ON comment_groups(proposal_id, band0);
CREATE INDEX comment_groups_b1 ON comment_groups(proposal_id, band1);
CREATE INDEX comment_groups_b2 ON comment_groups(proposal_id, band2);
CREATE INDEX comment_groups_b3 ON comment_groups(proposal_id, band3);
CREATE INDEX comment_groups_b4 ON comment_groups(proposal_id, band4);
CREATE INDEX comment_groups_b5 ON comment_groups(proposal_id, band5);
-- the public list: groups of a proposal, newest first
CREATE INDEX comment_groups_list ON comment_groups(proposal_id, id);

ALTER TABLE comments ADD COLUMN group_id INTEGER REFERENCES comment_groups(id);
CREATE INDEX comments_group ON comments(group_id, id);
ALTER TABLE proposals ADD COLUMN campaign_count INTEGER NOT NULL DEFAULT 0;
