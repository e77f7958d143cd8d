-- Search: trigram indexes (pg_trgm, a contrib extension trusted since PostgreSQL 13) over
-- the texts the public reads (proposal titles, clauses, comments), so that Chinese,
-- written without spaces, is found by any run of three or more characters: a LIKE
-- '%…%' query uses them. What is public (not a draft, not hidden) is decided by the query.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX proposals_title_trgm ON proposals USING gin (title gin_trgm_ops);
CREATE INDEX clauses_plain_trgm ON clauses USING gin (plain gin_trgm_ops);
CREATE INDEX comments_body_trgm ON comments USING gin (body gin_trgm_ops);
