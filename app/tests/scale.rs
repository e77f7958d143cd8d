//! The benchmark data generator (`minyi demo-data --scale`), on both databases: volume as
//! asked, and `proposals.comment_count` equal to the rows for every proposal.

#[macro_use]
mod common;

use app::backend::{demo, Db};

async fn scale_data_keeps_comment_counts_consistent(db: Db) {
    let report = demo::load_scale(&db, app::backend::context::now(), 12, 5_000).await.expect("load_scale");
    assert_eq!(report.proposals_created, 12);
    assert_eq!(report.users_created, demo::SCALE_USERS);
    // the demo set gives the first proposal 6 comments and a 24-letter campaign
    assert_eq!(report.big_proposal_comments, 5_030);
    let mismatched: i64 = app::on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM proposals p WHERE p.comment_count <> (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id)"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(mismatched, 0);
    let proposals: i64 = app::on_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM proposals").fetch_one(pool).await).unwrap();
    // the demo set's 7, the 4 pricing and fee proposals with hearings (no file store here), and 12
    assert_eq!(proposals, 7 + 4 + 12);
    // every comment is in a campaign group, and the groups add up to the count
    let (ungrouped, grouped): (i64, i64) = app::on_db!(&db, |pool| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM comments WHERE group_id IS NULL), (SELECT CAST(COALESCE(SUM(member_count), 0) AS BIGINT) FROM comment_groups)"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(ungrouped, 0);
    let total: i64 = app::on_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM comments").fetch_one(pool).await).unwrap();
    assert_eq!(grouped, total);
    // newest group first, keyset: the generated thread pages like any other, form letters
    // showing as campaigns
    let page = db.list_comment_groups(report.big_proposal_id, None, 50, Default::default()).await.unwrap();
    assert_eq!(page.len(), 50);
    assert!(page.windows(2).all(|w| w[0].group_id > w[1].group_id));
    let detail = db.proposal(report.big_proposal_id, app::backend::context::now()).await.unwrap().unwrap();
    assert!(detail.summary.campaign_count >= 5, "{}", detail.summary.campaign_count);
    // the generated accounts may take part (the benchmark comments as one of them)
    let unverified: i64 = app::on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE email LIKE '%@bench.example.cn' AND email_verified_at IS NULL"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(unverified, 0);
    let bench_user = db.user_by_email("citizen1@bench.example.cn").await.unwrap().expect("a generated account");
    assert!(db.viewer(bench_user.id).await.unwrap().expect("viewer").may_take_part().is_ok());
    // the pictures' tallies agree with the comments, for every proposal
    let off: i64 = app::on_db!(&db, |pool| sqlx::query_scalar(
        "SELECT COUNT(*) FROM proposals p WHERE (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id AND c.hidden = FALSE) \
         <> (SELECT COALESCE(SUM(t.count), 0) FROM comment_tallies t WHERE t.proposal_id = p.id)"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!(off, 0);
    assert!(detail.tallies.iter().map(|t| t.count).sum::<i64>() > 5_000);
}

on_both_databases!(scale_data_keeps_comment_counts_consistent);
