-- Search: trigram indexes over the texts the public reads (proposal titles, clauses,
-- comments), so that Chinese, written without spaces, is found by any run of three or
-- more characters. External-content FTS5 tables: the text is kept once, in its own table;
-- what is public (not a draft, not hidden) is decided by the query, never by the index.
-- The indexed texts are written once and never changed, so inserts keep them current.

CREATE VIRTUAL TABLE proposals_fts USING fts5(title, content='proposals', content_rowid='id', tokenize='trigram');
INSERT INTO proposals_fts(proposals_fts) VALUES ('rebuild');
CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO proposals_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER proposals_fts_update AFTER UPDATE OF title ON proposals BEGIN
    INSERT INTO proposals_fts(proposals_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO proposals_fts(rowid, title) VALUES (new.id, new.title);
END;

CREATE VIRTUAL TABLE clauses_fts USING fts5(plain, content='clauses', content_rowid='rowid', tokenize='trigram');
INSERT INTO clauses_fts(clauses_fts) VALUES ('rebuild');
CREATE TRIGGER clauses_fts_insert AFTER INSERT ON clauses BEGIN
    INSERT INTO clauses_fts(rowid, plain) VALUES (new.rowid, new.plain);
END;
CREATE TRIGGER clauses_fts_delete AFTER DELETE ON clauses BEGIN
    INSERT INTO clauses_fts(clauses_fts, rowid, plain) VALUES ('delete', old.rowid, old.plain);
END;

CREATE VIRTUAL TABLE comments_fts USING fts5(body, content='comments', content_rowid='id', tokenize='trigram');
INSERT INTO comments_fts(comments_fts) VALUES ('rebuild');
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body);
END;
