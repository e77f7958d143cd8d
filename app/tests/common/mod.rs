//! Fresh databases for store tests: every test gets its own SQLite file and its own
//! PostgreSQL database (created on the server named by MINYI_TEST_PG, by default the
//! local one at 127.0.0.1:5432). PostgreSQL being unreachable is a failure, not a skip.

#![allow(dead_code)]

use app::{
    backend::{
        markdown::render_clauses,
        store::{proposals::NewProposal, users::NewUser},
        Db,
    },
    domain::{
        proposal::{CommentWindow, PolicyDomain, ProposalKind},
        role::Role,
    },
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use sqlx::{Connection, PgConnection};

pub fn pg_admin_url() -> String {
    std::env::var("MINYI_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub struct TestDb {
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = Db::connect(&url, 4).await.expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    TestDb { db, _dir: Some(dir) }
}

pub async fn postgres() -> TestDb {
    let admin = pg_admin_url();
    let name = format!("minyi_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is not reachable ({e}); the test command starts it"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
    let db = Db::connect(&format!("{base}/{name}"), 4).await.expect("open postgres");
    db.migrate().await.expect("migrate postgres");
    TestDb { db, _dir: None }
}

/// Writes each test twice: once on SQLite, once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($case:ident),+ $(,)?) => {
        $(
            mod $case {
                #[tokio::test]
                async fn sqlite() {
                    let t = $crate::common::sqlite().await;
                    super::$case(t.db.clone()).await;
                }
                #[tokio::test]
                async fn postgres() {
                    let t = $crate::common::postgres().await;
                    super::$case(t.db.clone()).await;
                    t.db.close().await;
                }
            }
        )+
    };
}

/// The instant the store tests run at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 2, 0, 0).unwrap()
}

pub async fn user(db: &Db, email: &str, roles: &[Role], agency_id: Option<i64>) -> i64 {
    db.create_user(NewUser { email, password_hash: "x", display_name: "测试用户", roles, agency_id }, t0()).await.expect("create user")
}

pub async fn proposal(db: &Db, agency_id: i64, official: i64, title: &str, opens: DateTime<Utc>, days: i64) -> i64 {
    let body = "第一条 总则。\n\n第二条 范围。\n\n第三条 标准。";
    db.create_proposal(
        &NewProposal {
            agency_id,
            kind: ProposalKind::PolicyAdjustment,
            title: title.to_owned(),
            domains: vec![PolicyDomain::Pricing, PolicyDomain::Transport],
            body_md: body.to_owned(),
            clauses: render_clauses(body).unwrap(),
            window: CommentWindow { opens_at: opens, closes_at: opens + Duration::days(days), short_reason: None },
            created_by: official,
            draft: false,
        },
        t0(),
    )
    .await
    .expect("create proposal")
}

/// A published proposal of `kind` whose 30-day window closed a day before `t0()`.
pub async fn closed_proposal(db: &Db, agency: i64, official: i64, kind: ProposalKind, domains: &[PolicyDomain], title: &str) -> i64 {
    let body = "第一条 总则。\n\n第二条 范围。";
    let opens = t0() - Duration::days(31);
    db.create_proposal(
        &NewProposal {
            agency_id: agency,
            kind,
            title: title.to_owned(),
            domains: domains.to_vec(),
            body_md: body.into(),
            clauses: render_clauses(body).unwrap(),
            window: CommentWindow { opens_at: opens, closes_at: opens + Duration::days(30), short_reason: None },
            created_by: official,
            draft: false,
        },
        opens,
    )
    .await
    .unwrap()
}

/// The person `user_id` as the services see them. An administrator gets two-step sign-in
/// on first, as acting as one requires.
pub async fn viewer(db: &Db, user_id: i64) -> app::domain::account::Viewer {
    let v = db.viewer(user_id).await.unwrap().expect("user exists");
    if v.holds(app::domain::role::Role::Admin) && !v.second_factor {
        enable_second_factor(db, user_id).await;
        return db.viewer(user_id).await.unwrap().expect("user exists");
    }
    v
}

/// Turns two-step sign-in on for `user_id` through the services; its secret.
pub async fn enable_second_factor(db: &Db, user_id: i64) -> String {
    use app::backend::{second_factor::code_at, service::accounts};
    let e = accounts::begin_second_factor(db, user_id, t0()).await.expect("begin");
    accounts::confirm_second_factor(db, user_id, &code_at(&e.secret, t0()).unwrap(), t0()).await.expect("confirm");
    e.secret
}

/// Asserts that an action was refused for `rule` (among others).
pub fn refused_with(result: Result<impl std::fmt::Debug, app::backend::service::ServiceError>, rule: app::domain::Rule) {
    match result {
        Err(app::backend::service::ServiceError::Refused(errors)) => {
            assert!(errors.iter().any(|e| e.rule == rule), "{errors:?} lacks {rule:?}")
        }
        other => panic!("expected a refusal with {rule:?}, got {other:?}"),
    }
}
