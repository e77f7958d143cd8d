//! The core's guarantees, each on SQLite and on PostgreSQL: the two schemas agree, the
//! audit log detects tampering, a transition that fails half-way leaves nothing behind,
//! and concurrent identical comments meet in one campaign group.

#[macro_use]
mod common;

use common::{t0, user};

use std::collections::{BTreeMap, BTreeSet};

use app::{
    backend::{
        db::Tx,
        service::{self, Actor},
        store::{self, audit::BrokenLink},
        Db,
    },
    domain::{
        audit::{Event, Subject},
        comment::Stance,
        role::Role,
    },
    on_db, on_tx,
};
use chrono::Duration;

/// Lets a test edit the log as an attacker with database access would.
async fn drop_append_only_guard(db: &Db) {
    match db {
        Db::Sqlite(pool, _) => {
            sqlx::query("DROP TRIGGER audit_log_no_update").execute(pool).await.unwrap();
            sqlx::query("DROP TRIGGER audit_log_no_delete").execute(pool).await.unwrap();
        }
        Db::Postgres(pool) => {
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change").execute(pool).await.unwrap();
        }
    }
}

async fn audit_verify_passes_then_reports_the_edited_entry(db: Db) {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let a = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let b = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let report = store::audit::verify(&db).await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    // user + two proposals (drafted, published)
    assert_eq!((report.entries, report.chains), (5, 3));

    drop_append_only_guard(&db).await;
    let target: i64 = on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT id FROM audit_log WHERE entity = 'proposal' AND entity_id = $1 AND action = 'published'"
    )
    .bind(b)
    .fetch_one(pool)
    .await)
    .unwrap();
    on_db!(&db, |pool| sqlx::query("UPDATE audit_log SET detail = REPLACE(detail, '2026', '2025') WHERE id = $1")
        .bind(target)
        .execute(pool)
        .await
        .map(|_| ()))
    .unwrap();
    let report = store::audit::verify(&db).await.unwrap();
    assert!(
        matches!(&report.broken, Some(BrokenLink::HashMismatch { id, entity_id, .. }) if *id == target && *entity_id == b),
        "{report:?}"
    );
    assert!(report.broken.unwrap().to_string().contains(&format!("entry {target}")));

    // deleting the first entry of another chain breaks its link
    let first: i64 = on_db!(&db, |pool| sqlx::query_scalar("SELECT MIN(id) FROM audit_log WHERE entity = 'proposal' AND entity_id = $1")
        .bind(a)
        .fetch_one(pool)
        .await)
    .unwrap();
    on_db!(&db, |pool| sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(first).execute(pool).await.map(|_| ())).unwrap();
    let report = store::audit::verify(&db).await.unwrap();
    assert!(matches!(report.broken, Some(BrokenLink::ChainGap { entity_id, .. }) if entity_id == a), "{report:?}");
}

async fn deleting_the_last_entry_shows_at_the_chain_head(db: Db) {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    drop_append_only_guard(&db).await;
    on_db!(&db, |pool| sqlx::query("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)").execute(pool).await.map(|_| ()))
        .unwrap();
    let report = store::audit::verify(&db).await.unwrap();
    assert!(matches!(report.broken, Some(BrokenLink::HeadMismatch { entity_id, .. }) if entity_id == id), "{report:?}");
}

async fn a_transition_that_fails_half_way_leaves_neither_change_nor_audit_entry(db: Db) {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let before = db.audit_for("proposal", id).await.unwrap().len();
    // the status changes and its audit entry is appended, then the action fails (an
    // audit append whose entry cannot be stored: its subject's chain was forked)
    let mut tx: Tx = db.begin_write().await.unwrap();
    assert!(store::proposals::set_status(
        &mut tx,
        id,
        app::domain::lifecycle::ProposalStatus::Published,
        app::domain::lifecycle::ProposalStatus::Withdrawn,
        t0()
    )
    .await
    .unwrap());
    store::audit::append(&mut tx, t0(), Some(official), Subject::Proposal(id), &Event::ProposalWithdrawn { reason: "测试撤回".into() })
        .await
        .unwrap();
    on_tx!(&mut tx, |c| sqlx::query("UPDATE audit_heads SET seq = seq - 1 WHERE entity = 'proposal' AND entity_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
    .unwrap();
    let failed =
        store::audit::append(&mut tx, t0(), Some(official), Subject::Proposal(id), &Event::ProposalAdopted { gates: vec![] }).await;
    assert!(failed.is_err(), "the second append collides with the first");
    drop(tx); // the service returns with the error: the transaction rolls back
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.summary.status, app::domain::lifecycle::ProposalStatus::Published, "no change");
    assert_eq!(db.audit_for("proposal", id).await.unwrap().len(), before, "no audit entry");
    assert_eq!(store::audit::verify(&db).await.unwrap().broken, None);
}

async fn a_refused_action_writes_no_audit_entry(db: Db) {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let before = db.audit_for("proposal", id).await.unwrap().len();
    let viewer = db.viewer(official).await.unwrap().unwrap();
    let actor = Actor { viewer: &viewer, now: t0() + Duration::days(1) };
    // adoption while the window is open: refused, listing the gates
    assert!(service::proposals::adopt(&db, &actor, id).await.is_err());
    assert!(service::proposals::publish_feedback(&db, &actor, id, "总体说明", &[]).await.is_err());
    assert_eq!(db.audit_for("proposal", id).await.unwrap().len(), before);
}

async fn concurrent_identical_comments_meet_in_one_group(db: Db) {
    use app::{backend::store::comments::NewComment, domain::campaign::Fingerprint};
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = common::proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let target = db.comment_target(id).await.unwrap().unwrap();
    let mut authors = Vec::new();
    for i in 0..16 {
        authors.push(user(&db, &format!("c{i}@example.cn"), &[Role::Citizen], None).await);
    }
    let text = "坚决反对本次水价上调方案，请重新核定供水成本并公开成本监审报告。";
    let writers = authors.iter().map(|&author| {
        let db = db.clone();
        let version_id = target.version_id;
        tokio::spawn(async move {
            db.add_comment(
                &NewComment {
                    fingerprint: Fingerprint::of(text),
                    proposal_id: id,
                    version_id,
                    clause_number: None,
                    author_id: author,
                    stance: Stance::Oppose,
                    body: text,
                    body_html: text,
                },
                t0() + Duration::hours(1),
            )
            .await
        })
    });
    for writer in futures_join(writers).await {
        writer.expect("task").expect("comment stored");
    }
    let groups: i64 =
        on_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM comment_groups WHERE proposal_id = $1").bind(id).fetch_one(pool).await)
            .unwrap();
    assert_eq!(groups, 1, "one group for one text, however the writers interleave");
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!((detail.summary.comment_count, detail.summary.campaign_count), (16, 1));
}

async fn futures_join<T>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await);
    }
    out
}

async fn the_demo_data_verifies(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let files = app::backend::files::FileStore::local(dir.path()).unwrap();
    app::backend::demo::load(&db, t0(), Some(&files)).await.unwrap();
    // a hearing in each state, the reported one meeting its proposal's gate
    let mut seen = std::collections::BTreeSet::new();
    for id in 1..=7 {
        if let Some(h) = db.hearing_summary(id).await.unwrap() {
            seen.insert(h.status.as_str());
        }
    }
    assert_eq!(seen.len(), 7, "{seen:?}");
    // a penalty case in each state, one of them with its reply overdue; the public list
    // carries no party's name
    let reader = app::backend::store::penalties::CaseReader { user: 0, official_of: Some(0), admin: true };
    let (page, follow, _) = db.penalty_cases(app::backend::store::penalties::CaseFilter::default(), i64::MAX, 50, t0()).await.unwrap();
    let mut states: std::collections::BTreeSet<&str> = page.items.iter().map(|c| c.status.as_str()).collect();
    for c in &page.items {
        let d = db.penalty_detail(c.id, Some(reader), t0()).await.unwrap().unwrap();
        assert!(d.private.is_none(), "an admin of no agency does not read the party");
    }
    assert!(page.items.iter().any(|c| c.overdue), "an overdue reply");
    assert!(follow.iter().any(|f| f.partly == 1 && f.followed_percent() == Some(100)), "partly counts as followed: {follow:?}");
    let json = serde_json::to_string(&page).unwrap();
    assert!(!json.contains("恒通化工") && !json.contains("陈小东"), "{json}");
    // the draft is seen by its agency alone
    let sthjj = db.user_by_email("official.sthjj@example.cn").await.unwrap().unwrap();
    let official = app::backend::store::penalties::CaseFilter { drafts_of: sthjj.agency_id, ..Default::default() };
    let (theirs, _, _) = db.penalty_cases(official, i64::MAX, 50, t0()).await.unwrap();
    states.extend(theirs.items.iter().map(|c| c.status.as_str()));
    assert_eq!(states.len(), 6, "{states:?}");
    let report = store::audit::verify(&db).await.unwrap();
    assert_eq!(report.broken, None, "{report:?}");
    assert!(report.entries > 20 && report.chains > 10, "{report:?}");
}

on_both_databases!(
    the_demo_data_verifies,
    audit_verify_passes_then_reports_the_edited_entry,
    deleting_the_last_entry_shows_at_the_chain_head,
    a_transition_that_fails_half_way_leaves_neither_change_nor_audit_entry,
    a_refused_action_writes_no_audit_entry,
    concurrent_identical_comments_meet_in_one_group,
);

/// A column as both databases can describe it: its kind and whether it may be null.
type Columns = BTreeMap<(String, String), (String, bool)>;

#[derive(Debug, Default)]
struct Schema {
    tables: BTreeSet<String>,
    columns: Columns,
    indexes: BTreeSet<String>,
    foreign_keys: BTreeSet<(String, String, String)>,
    checks: BTreeSet<String>,
}

async fn sqlite_schema(db: &Db) -> Schema {
    let Db::Sqlite(pool, _) = db else { unreachable!() };
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    // search is built differently on each database by design (README, "Search"): FTS5
    // tables here, trigram indexes on PostgreSQL; each side is checked to have its own
    let (search, tables): (Vec<String>, Vec<String>) = tables.into_iter().partition(|t| t.contains("_fts"));
    for fts in ["proposals_fts", "clauses_fts", "comments_fts"] {
        assert!(search.iter().any(|t| t == fts), "the search table {fts}: {search:?}");
    }
    for table in &tables {
        let columns: Vec<(String, String, bool, i64)> =
            sqlx::query_as("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)").bind(table).fetch_all(pool).await.unwrap();
        for (name, kind, not_null, pk) in columns {
            let kind = match kind.to_uppercase().as_str() {
                "INTEGER" => "int",
                "BOOLEAN" => "bool",
                // SQLite keeps times as text: either reading is the same kind
                "TEXT" => "text",
                other => panic!("unexpected SQLite type {other}"),
            };
            schema.columns.insert((table.clone(), name), (kind.to_owned(), not_null || pk > 0));
        }
        let fks: Vec<(String, String)> =
            sqlx::query_as("SELECT \"from\", \"table\" FROM pragma_foreign_key_list($1)").bind(table).fetch_all(pool).await.unwrap();
        for (column, target) in fks {
            schema.foreign_keys.insert((table.clone(), column, target));
        }
    }
    schema.tables = tables.into_iter().collect();
    let indexes: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'")
            .fetch_all(pool)
            .await
            .unwrap();
    schema.indexes = indexes.into_iter().collect();
    // SQLite cannot add a CHECK to an existing table: a pair of triggers stands for it
    let triggers: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_check_insert'")
        .fetch_all(pool)
        .await
        .unwrap();
    schema.checks = triggers.into_iter().map(|t| t.trim_end_matches("_insert").to_owned()).collect();
    // a column's own CHECK, named as PostgreSQL names it: <table>_<column>_check
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL AND name NOT LIKE '%\\_fts%' ESCAPE '\\'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, sql) in tables {
        // the column is the first word of its line (a CHECK may continue on the next line)
        let mut column = "";
        for line in sql.lines() {
            let first = line.split_whitespace().next().unwrap_or("");
            if first != "CHECK" && first.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                column = first;
            }
            if line.contains("CHECK (") && !column.is_empty() {
                schema.checks.insert(format!("{table}_{column}_check"));
            }
        }
    }
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let Db::Postgres(pool) = db else { unreachable!() };
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, name, kind, nullable) in columns {
        let kind = match kind.as_str() {
            "bigint" | "integer" | "smallint" => "int",
            "boolean" => "bool",
            "text" | "timestamp with time zone" | "date" => "text",
            other => panic!("unexpected PostgreSQL type {other}"),
        };
        schema.columns.insert((table, name), (kind.to_owned(), nullable == "NO"));
    }
    schema.tables = tables.into_iter().collect();
    // indexes made by CREATE INDEX (not those behind primary keys and UNIQUE clauses,
    // which SQLite makes without a name of its own)
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexname::text FROM pg_indexes i WHERE i.schemaname = 'public' \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let (search, indexes): (Vec<String>, Vec<String>) = indexes.into_iter().partition(|i| i.ends_with("_trgm"));
    for trgm in ["proposals_title_trgm", "clauses_plain_trgm", "comments_body_trgm"] {
        assert!(search.iter().any(|i| i == trgm), "the search index {trgm}: {search:?}");
    }
    schema.indexes = indexes.into_iter().collect();
    let fks: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT tc.table_name::text, kcu.column_name::text, ccu.table_name::text \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    schema.foreign_keys = fks.into_iter().collect();
    let checks: Vec<String> =
        sqlx::query_scalar("SELECT conname::text FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace")
            .fetch_all(pool)
            .await
            .unwrap();
    schema.checks = checks.into_iter().collect();
    schema
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_agree_after_migration() {
    let sqlite = common::sqlite().await;
    let postgres = common::postgres().await;
    let (a, b) = (sqlite_schema(&sqlite.db).await, postgres_schema(&postgres.db).await);
    postgres.db.close().await;
    assert_eq!(a.tables, b.tables, "tables");
    // SQLite reports primary-key columns as nullable unless declared otherwise; compare
    // kinds everywhere and nullability where SQLite states it
    let kinds = |c: &Columns| c.iter().map(|(k, (kind, _))| (k.clone(), kind.clone())).collect::<BTreeMap<_, _>>();
    assert_eq!(kinds(&a.columns), kinds(&b.columns), "columns and their kinds");
    for (column, (_, not_null)) in &a.columns {
        assert_eq!(*not_null, b.columns[column].1, "NOT NULL of {column:?}");
    }
    assert_eq!(a.indexes, b.indexes, "indexes");
    assert_eq!(a.foreign_keys, b.foreign_keys, "foreign keys");
    assert_eq!(a.checks, b.checks, "check constraints");
}
