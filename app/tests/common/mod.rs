//! Fresh databases for store tests: every test gets its own SQLite file and its own
//! PostgreSQL database (created on the server named by MINYI_TEST_PG, by default the
//! local one at 127.0.0.1:5432). PostgreSQL being unreachable is a failure, not a skip.

#![allow(dead_code)]

use app::backend::Db;
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
