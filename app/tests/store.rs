//! Store tests: every one runs on SQLite and on PostgreSQL.

#[macro_use]
mod common;

use common::{proposal, refused_with, t0, user, viewer};

use app::{
    backend::service::{self, Actor},
    domain::Rule,
};
use app::{
    backend::{
        markdown::{plain_to_html, render_clauses},
        store::{
            comments::NewComment,
            proposals::{ListCursor, NewProposal},
            sessions::SessionPolicy,
            users::{CreateUserError, NewUser},
        },
        Db,
    },
    domain::{
        comment::Stance,
        proposal::{CommentWindow, PolicyDomain, ProposalFilter, ProposalKind, WindowPhase},
        role::Role,
    },
};
use chrono::Duration;

async fn duplicate_email_is_refused_and_nothing_half_written(db: Db) {
    user(&db, "a@example.cn", &[Role::Citizen], None).await;
    let again = db
        .create_user(
            NewUser { email: "a@example.cn", password_hash: "y", display_name: "另一个", roles: &[Role::Admin], agency_id: None },
            t0(),
        )
        .await;
    assert!(matches!(again, Err(CreateUserError::EmailTaken)), "{again:?}");
    let existing = db.user_by_email("a@example.cn").await.unwrap().unwrap();
    assert_eq!(existing.password_hash, "x");
    assert_eq!(db.roles_of(existing.id).await.unwrap(), vec![Role::Citizen]);
}

async fn roles_are_granted_revoked_and_audited(db: Db) {
    let admin = user(&db, "admin@example.cn", &[Role::Citizen, Role::Admin], None).await;
    let u = user(&db, "u@example.cn", &[Role::Citizen], None).await;
    assert!(db.grant_role(u, Role::Official, admin, t0()).await.unwrap());
    assert!(!db.grant_role(u, Role::Official, admin, t0()).await.unwrap(), "granting twice changes nothing");
    assert_eq!(db.roles_of(u).await.unwrap(), vec![Role::Citizen, Role::Official]);
    let admin_viewer = viewer(&db, admin).await;
    let by_admin = Actor { viewer: &admin_viewer, now: t0() };
    assert!(service::admin::change_role(&db, &by_admin, u, Role::Official, false).await.unwrap());
    refused_with(service::admin::change_role(&db, &by_admin, 9999, Role::Official, true).await, Rule::UnknownUser);
    refused_with(service::admin::change_role(&db, &by_admin, admin, Role::Admin, false).await, Rule::CannotRevokeOwnAdmin);
    assert_eq!(db.roles_of(u).await.unwrap(), vec![Role::Citizen]);
    let actions: Vec<String> = db.audit_for("user", u).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["registered", "role_granted", "role_revoked"]);
}

async fn sessions_expire_when_idle_and_absolutely(db: Db) {
    let u = user(&db, "s@example.cn", &[Role::Citizen], None).await;
    let policy = SessionPolicy { idle: Duration::hours(2), absolute: Duration::hours(10) };
    db.create_session("h1", u, t0(), policy, &Default::default()).await.unwrap();
    assert_eq!(db.session_user("h1", t0() + Duration::minutes(90)).await.unwrap(), Some(u));
    // used at 1:30, so still alive at 3:00 (idle 1:30 < 2h)
    assert_eq!(db.session_user("h1", t0() + Duration::hours(3)).await.unwrap(), Some(u));
    // idle for more than 2 hours: gone, and stays gone
    assert_eq!(db.session_user("h1", t0() + Duration::hours(6)).await.unwrap(), None);
    assert_eq!(db.session_user("h1", t0() + Duration::hours(3)).await.unwrap(), None);

    db.create_session("h2", u, t0(), policy, &Default::default()).await.unwrap();
    for hour in 1..10 {
        assert_eq!(db.session_user("h2", t0() + Duration::hours(hour)).await.unwrap(), Some(u), "hour {hour}");
    }
    // active all along, but past the absolute limit
    assert_eq!(db.session_user("h2", t0() + Duration::hours(10)).await.unwrap(), None);
    assert_eq!(db.session_user("nope", t0()).await.unwrap(), None);
}

/// ASVS 5.0 §7.3: staff sessions are shorter; a person sees their sessions and ends one,
/// or all but the current one.
async fn staff_sessions_are_shorter_and_a_person_lists_and_revokes_theirs(db: Db) {
    use app::backend::store::sessions::{SessionOrigin, HANDLE_LEN};
    let citizen = SessionPolicy::default();
    assert_eq!(SessionPolicy::for_roles(&[Role::Citizen], citizen).idle, Duration::days(7));
    let staff = SessionPolicy::for_roles(&[Role::Citizen, Role::Official], citizen);
    assert_eq!((staff.idle, staff.absolute), (Duration::hours(12), Duration::days(7)));
    // an operator's shorter setting holds for staff too
    let short = SessionPolicy { idle: Duration::hours(1), absolute: Duration::hours(8) };
    assert_eq!(SessionPolicy::for_roles(&[Role::Admin], short).idle, Duration::hours(1));

    let u = user(&db, "staff@example.cn", &[Role::Official], None).await;
    let other = user(&db, "other@example.cn", &[Role::Citizen], None).await;
    db.create_session("aaaaaaaaaaaa-phone", u, t0(), staff, &SessionOrigin::new("10.0.0.7", "Phone\u{7}Browser")).await.unwrap();
    db.create_session("bbbbbbbbbbbb-desk", u, t0() + Duration::hours(3), staff, &SessionOrigin::new("10.0.0.8", "Desk")).await.unwrap();
    db.create_session("cccccccccccc-x", other, t0(), citizen, &SessionOrigin::default()).await.unwrap();
    // idle for 13 hours: a staff session has ended, a citizen's has not
    assert_eq!(db.session_user("aaaaaaaaaaaa-phone", t0() + Duration::hours(13)).await.unwrap(), None);
    assert_eq!(db.session_user("cccccccccccc-x", t0() + Duration::hours(13)).await.unwrap(), Some(other));

    db.create_session("dddddddddddd-tab", u, t0() + Duration::hours(13), staff, &SessionOrigin::new("10.0.0.9", "Tab")).await.unwrap();
    let mine = db.user_sessions(u, t0() + Duration::hours(13)).await.unwrap();
    let handles: Vec<&str> = mine.iter().map(|s| s.handle.as_str()).collect();
    assert_eq!(handles, ["dddddddddddd", "bbbbbbbbbbbb"]);
    assert!(mine.iter().all(|s| s.handle.len() == HANDLE_LEN));
    assert_eq!(mine[0].address, "10.0.0.9");
    // another person's handle, a wildcard, a short handle: nothing ends
    let end = |handle: Option<&'static str>, keep: Option<&'static str>| {
        let db = db.clone();
        async move { app::backend::service::accounts::end_sessions(&db, u, handle, keep, t0() + Duration::hours(13)).await.unwrap() }
    };
    assert_eq!(end(Some("cccccccccccc"), None).await, 0);
    assert_eq!(end(Some("bbbbbbbbbbb%"), None).await, 0);
    assert_eq!(end(Some("bbbbbbbbbbb_"), None).await, 0);
    assert_eq!(end(Some("bbbb"), None).await, 0);
    assert_eq!(end(Some("bbbbbbbbbbbb"), None).await, 1);
    assert_eq!(db.user_sessions(u, t0() + Duration::hours(13)).await.unwrap().len(), 1);
    db.create_session("eeeeeeeeeeee-new", u, t0() + Duration::hours(13), staff, &SessionOrigin::default()).await.unwrap();
    assert_eq!(end(None, Some("eeeeeeeeeeee-new")).await, 1);
    let actions: Vec<String> = db.audit_for("user", u).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["registered", "sessions_ended", "sessions_ended"]);
    assert_eq!(db.session_user("eeeeeeeeeeee-new", t0() + Duration::hours(14)).await.unwrap(), Some(u));
    assert_eq!(db.session_user("cccccccccccc-x", t0() + Duration::hours(14)).await.unwrap(), Some(other));
}

async fn expired_sessions_and_stale_attempts_are_swept(db: Db) {
    let u = user(&db, "s@example.cn", &[Role::Citizen], None).await;
    let policy = SessionPolicy { idle: Duration::hours(2), absolute: Duration::hours(10) };
    db.create_session("old", u, t0(), policy, &Default::default()).await.unwrap();
    db.create_session("new", u, t0() + Duration::hours(9), policy, &Default::default()).await.unwrap();
    db.rate_hit(&[("comment:account:1", 10)], Duration::minutes(10), t0()).await.unwrap().unwrap();
    db.rate_hit(&[("comment:account:2", 10)], Duration::minutes(10), t0() + Duration::hours(11)).await.unwrap().unwrap();
    let count = |table: &'static str| {
        let db = db.clone();
        async move {
            app::on_db!(&db, |pool| sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(pool).await).unwrap()
        }
    };
    assert_eq!((count("sessions").await, count("rate_events").await), (2, 2));
    let now = t0() + Duration::hours(11);
    assert_eq!(db.purge_sessions(now).await.unwrap(), 1, "past its absolute expiry");
    assert_eq!(app::backend::store::rate::purge(&db, now - Duration::hours(1)).await.unwrap(), 1);
    assert_eq!((count("sessions").await, count("rate_events").await), (1, 1), "what is still live stays");
}

async fn rate_limit_counts_a_sliding_minute(db: Db) {
    let minute = Duration::minutes(1);
    for i in 0..5 {
        assert_eq!(db.rate_hit(&[("k", 5)], minute, t0() + Duration::seconds(i)).await.unwrap(), Ok(()));
    }
    // the sixth within the minute is refused, with the seconds until the oldest expires
    assert_eq!(db.rate_hit(&[("k", 5)], minute, t0() + Duration::seconds(10)).await.unwrap(), Err(50));
    assert_eq!(db.rate_hit(&[("other", 5)], minute, t0() + Duration::seconds(10)).await.unwrap(), Ok(()));
    // after the first attempt leaves the window, one more is allowed
    assert_eq!(db.rate_hit(&[("k", 5)], minute, t0() + Duration::seconds(61)).await.unwrap(), Ok(()));
    // several buckets at once (account and address): refused when any one is full, and
    // then nothing is counted in the others
    for i in 0..2 {
        assert_eq!(db.rate_hit(&[("a", 2)], minute, t0() + Duration::seconds(i)).await.unwrap(), Ok(()));
    }
    assert_eq!(db.rate_hit(&[("b", 2), ("a", 2)], minute, t0() + Duration::seconds(5)).await.unwrap(), Err(55));
    assert_eq!(db.rate_hit(&[("b", 2)], minute, t0() + Duration::seconds(6)).await.unwrap(), Ok(()));
    assert_eq!(db.rate_hit(&[("b", 2)], minute, t0() + Duration::seconds(7)).await.unwrap(), Ok(()));
    assert_eq!(db.rate_hit(&[("b", 2)], minute, t0() + Duration::seconds(8)).await.unwrap(), Err(58));
}

async fn proposal_round_trip_with_clauses_and_audit(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    assert_eq!(db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap(), agency);
    let official = user(&db, "o@example.cn", &[Role::Citizen, Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let detail = db.proposal(id, t0() + Duration::days(1)).await.unwrap().expect("published");
    assert_eq!(detail.summary.title, "水价调整方案");
    assert_eq!(detail.summary.domains, vec![PolicyDomain::Pricing, PolicyDomain::Transport]);
    assert!(detail.summary.hearing_required, "pricing requires a hearing");
    assert_eq!(detail.summary.phase, WindowPhase::Open);
    assert_eq!(detail.summary.window.opens_at, t0());
    assert_eq!(detail.clauses.len(), 3);
    assert_eq!(detail.clauses[2].number, 3);
    assert!(detail.clauses[2].html.contains("第三条"));
    let audit = db.audit_for("proposal", id).await.unwrap();
    assert_eq!(audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["drafted", "published"]);
    assert_eq!(audit[1].actor_id, Some(official));
    assert!(db.proposal(id + 1000, t0()).await.unwrap().is_none());
}

async fn lists_are_keyset_paginated_by_phase(db: Db) {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let now = t0() + Duration::days(10);
    // five open ones closing on days 31..35, two upcoming, one closed
    for i in 0..5 {
        proposal(&db, agency, official, &format!("开放 {i}"), t0(), 31 + i).await;
    }
    proposal(&db, agency, official, "未开始 A", now + Duration::days(2), 30).await;
    proposal(&db, agency, official, "未开始 B", now + Duration::days(1), 30).await;
    proposal(&db, agency, official, "已结束", t0() - Duration::days(40), 30).await;

    let first = db.list_proposals(WindowPhase::Open, ProposalFilter::default(), None, 2, now).await.unwrap();
    let titles: Vec<_> = first.iter().map(|(p, _)| p.title.clone()).collect();
    assert_eq!(titles, ["开放 0", "开放 1"]);
    let cursor = ListCursor::decode(&first[1].1.encode()).expect("cursor round-trips");
    let second = db.list_proposals(WindowPhase::Open, ProposalFilter::default(), Some(&cursor), 10, now).await.unwrap();
    let titles: Vec<_> = second.iter().map(|(p, _)| p.title.clone()).collect();
    assert_eq!(titles, ["开放 2", "开放 3", "开放 4"]);

    let upcoming: Vec<_> = db
        .list_proposals(WindowPhase::Upcoming, ProposalFilter::default(), None, 10, now)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, _)| p.title)
        .collect();
    assert_eq!(upcoming, ["未开始 B", "未开始 A"], "opening soonest first");
    let closed: Vec<_> = db
        .list_proposals(WindowPhase::Closed, ProposalFilter::default(), None, 10, now)
        .await
        .unwrap()
        .into_iter()
        .map(|(p, _)| p.title)
        .collect();
    assert_eq!(closed, ["已结束"]);
}

async fn comments_keep_count_and_page_newest_first(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let citizen = user(&db, "c@example.cn", &[Role::Citizen], None).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let target = db.comment_target(id).await.unwrap().unwrap();
    assert_eq!(target.clause_count, 3);
    let mut ids = Vec::new();
    for i in 0..7 {
        let body = ["支持", "反对涨价", "建议公开成本监审报告", "第三条的阶梯水量偏低", "低保家庭应当全免", "管网漏损率太高", "请举行听证"]
            [i as usize]
            .to_owned()
            + " <script>alert(1)</script>";
        ids.push(
            db.add_comment(
                &NewComment {
                    fingerprint: app::domain::campaign::Fingerprint::of(&body),
                    proposal_id: id,
                    version_id: target.version_id,
                    clause_number: if i % 2 == 0 { Some(3) } else { None },
                    author_id: citizen,
                    stance: Stance::Oppose,
                    body: &body,
                    body_html: &plain_to_html(&body),
                },
                t0() + Duration::minutes(i),
            )
            .await
            .unwrap(),
        );
    }
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.summary.comment_count, 7, "count maintained on write");
    let page1 = db.list_comments(id, None, 3, Default::default()).await.unwrap();
    assert_eq!(page1.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[6], ids[5], ids[4]]);
    assert_eq!(page1[0].clause, Some(3));
    assert_eq!(page1[0].stance, Stance::Oppose);
    assert_eq!(page1[0].version, 1);
    assert!(page1[0].body_html.contains("&lt;script&gt;"));
    let page3 = db.list_comments(id, Some(ids[1]), 3, Default::default()).await.unwrap();
    assert_eq!(page3.iter().map(|c| c.id).collect::<Vec<_>>(), vec![ids[0]]);
}

async fn audit_log_is_append_only(db: Db) {
    let u = user(&db, "a@example.cn", &[Role::Citizen], None).await;
    let update = app::on_db!(&db, |pool| sqlx::query("UPDATE audit_log SET action = 'x' WHERE entity_id = $1")
        .bind(u)
        .execute(pool)
        .await
        .map(|_| ()));
    assert!(update.is_err(), "audit entries cannot be changed");
    let delete = app::on_db!(&db, |pool| sqlx::query("DELETE FROM audit_log").execute(pool).await.map(|_| ()));
    assert!(delete.is_err(), "audit entries cannot be deleted");
}

async fn supports_reports_and_hiding(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let author = user(&db, "author@example.cn", &[Role::Citizen], None).await;
    let fan = user(&db, "fan@example.cn", &[Role::Citizen], None).await;
    let moderator = user(&db, "m@example.cn", &[Role::Moderator], None).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let target = db.comment_target(id).await.unwrap().unwrap();
    let comment = db
        .add_comment(
            &NewComment {
                fingerprint: app::domain::campaign::Fingerprint::of("你们都是骗子"),
                proposal_id: id,
                version_id: target.version_id,
                clause_number: None,
                author_id: author,
                stance: Stance::Oppose,
                body: "你们都是骗子",
                body_html: "<p>你们都是骗子</p>",
            },
            t0(),
        )
        .await
        .unwrap();
    use app::backend::store::comments::{CommentActionError, Reader};
    assert_eq!(db.set_support(comment, fan, false, t0()).await.unwrap(), 1);
    assert!(matches!(db.set_support(comment, fan, false, t0()).await, Err(CommentActionError::Rule(Rule::AlreadySupported))));
    let seen = db.list_comments(id, None, 10, Reader { user_id: Some(fan), official_of: None }).await.unwrap();
    assert!(seen[0].supported_by_reader && seen[0].support_count == 1 && seen[0].author_identity.is_none());
    assert_eq!(db.set_support(comment, fan, true, t0()).await.unwrap(), 0);
    assert!(matches!(db.set_support(comment, fan, true, t0()).await, Err(CommentActionError::Rule(Rule::NotSupported))));

    db.report_comment(comment, fan, "人身攻击", t0()).await.unwrap();
    assert!(matches!(db.report_comment(comment, fan, "again", t0()).await, Err(CommentActionError::Rule(Rule::AlreadyReported))));
    let queue = db.reported_comments(None, 10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].report_count, 1);
    assert_eq!(queue[0].author_identity, None, "identity is for the officials of the proposal's agency, not moderators");
    let as_official = db.list_comments(id, None, 10, Reader { user_id: Some(official), official_of: Some(agency) }).await.unwrap();
    assert_eq!(as_official[0].author_identity.as_deref(), Some("author@example.cn"));
    let other_agency = db.list_comments(id, None, 10, Reader { user_id: Some(official), official_of: Some(agency + 1) }).await.unwrap();
    assert_eq!(other_agency[0].author_identity, None, "another agency's official sees no identity");

    let moderator = viewer(&db, moderator).await;
    let by_moderator = Actor { viewer: &moderator, now: t0() };
    refused_with(service::comments::hide(&db, &by_moderator, comment, "").await, Rule::Required);
    service::comments::hide(&db, &by_moderator, comment, "人身攻击").await.unwrap();
    refused_with(service::comments::hide(&db, &by_moderator, comment, "人身攻击").await, Rule::AlreadyHidden);
    let public = db.list_comments(id, None, 10, Reader::default()).await.unwrap();
    assert_eq!(public[0].hidden_reason.as_deref(), Some("人身攻击"));
    assert_eq!(public[0].body_html, "", "the text of a hidden comment is not sent");
    assert!(db.reported_comments(None, 10).await.unwrap().is_empty(), "handled reports leave the queue");
    // never deleted: the text is still on file, the author was told, the change audited
    let body: String =
        app::on_db!(&db, |pool| sqlx::query_scalar("SELECT body FROM comments WHERE id = $1").bind(comment).fetch_one(pool).await).unwrap();
    assert_eq!(body, "你们都是骗子");
    let notices = db.notices(author, None, 10).await.unwrap();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].3.contains("人身攻击"));
    assert!(db.notices(author, Some(notices[0].0), 10).await.unwrap().is_empty(), "the page after the last is empty");
    assert_eq!(db.audit_for("comment", comment).await.unwrap()[0].action, "hidden");
    // a hidden comment cannot be supported
    assert!(matches!(db.set_support(comment, fan, false, t0()).await, Err(CommentActionError::NotFound)));
}

async fn moderation_lists_page_by_keyset(db: Db) {
    use app::{backend::store::comments::NewComment, domain::campaign::Fingerprint};
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let author = user(&db, "author@example.cn", &[Role::Citizen], None).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let target = db.comment_target(id).await.unwrap().unwrap();
    let mut reporters = Vec::new();
    for i in 0..3 {
        reporters.push(user(&db, &format!("r{i}@example.cn"), &[Role::Citizen], None).await);
    }
    // five reported comments: comment i has i+1 reports (ties broken by id)
    let mut ids = Vec::new();
    for i in 0..5usize {
        let text = format!("第 {i} 条被举报的意见，内容各不相同：{}", "甲乙丙丁戊".chars().nth(i).unwrap());
        let c = db
            .add_comment(
                &NewComment {
                    fingerprint: Fingerprint::of(&text),
                    proposal_id: id,
                    version_id: target.version_id,
                    clause_number: None,
                    author_id: author,
                    stance: Stance::Oppose,
                    body: &text,
                    body_html: &text,
                },
                t0(),
            )
            .await
            .unwrap();
        for reporter in reporters.iter().take(i.min(2) + 1) {
            db.report_comment(c, *reporter, "举报", t0()).await.unwrap();
        }
        ids.push(c);
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = db.reported_comments(after, 2).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(|c| (c.report_count, c.id));
        seen.extend(page.into_iter().map(|c| (c.report_count, c.id)));
    }
    let mut expected: Vec<(i64, i64)> = ids.iter().enumerate().map(|(i, c)| ((i.min(2) + 1) as i64, *c)).collect();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, expected, "every reported comment once, most reported first");
}

async fn identical_and_near_identical_comments_form_one_campaign(db: Db) {
    use app::backend::store::comments::Reader;
    use app::domain::campaign::Fingerprint;
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let citizen = user(&db, "c@example.cn", &[Role::Citizen], None).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let target = db.comment_target(id).await.unwrap().unwrap();
    let letter = "我坚决反对本次居民生活用水价格上调方案。第一阶梯水量过低，三口之家每年用水普遍超过180立方米，调价将明显增加普通家庭负担。请求市发改委重新核定供水成本。";
    let post = |body: String| {
        let db = db.clone();
        async move {
            db.add_comment(
                &NewComment {
                    fingerprint: Fingerprint::of(&body),
                    proposal_id: id,
                    version_id: target.version_id,
                    clause_number: None,
                    author_id: citizen,
                    stance: Stance::Oppose,
                    body: &body,
                    body_html: &plain_to_html(&body),
                },
                t0(),
            )
            .await
            .unwrap()
        }
    };
    let single_before = post("第二条的适用范围应包括城郊结合部的自备井小区。".to_owned()).await;
    for i in 0..50 {
        // identical, re-spaced, and a few words changed
        let body = match i % 3 {
            0 => letter.to_owned(),
            1 => letter.replace('，', ", "),
            _ => letter.replace("坚决", "强烈").replace("三口之家", "我们家"),
        };
        post(body).await;
    }
    let single_after = post("建议对低保家庭免收每月 5 立方米水费。".to_owned()).await;

    let entries = db.list_comment_groups(id, None, 10, Reader::default()).await.unwrap();
    assert_eq!(entries.len(), 3, "two single voices and one campaign");
    assert_eq!(entries[0].id, single_after);
    assert_eq!(entries[0].group_size, 1);
    assert_eq!(entries[1].group_size, 50);
    assert_eq!(entries[2].id, single_before);
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.summary.comment_count, 52);
    assert_eq!(detail.summary.campaign_count, 1);
    assert_eq!(detail.summary.commenter_count, 1, "one person wrote all of them");
    let campaigns = db.campaigns(id, 10).await.unwrap();
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0].1, 50);
    // nothing is dropped: every member is listed, in pages
    let mut seen = 0;
    let mut after = None;
    loop {
        let page = db.group_members(id, entries[1].group_id, after, 20, Reader::default()).await.unwrap();
        if page.is_empty() {
            break;
        }
        seen += page.len();
        after = page.last().map(|c| c.id);
    }
    assert_eq!(seen, 50);
}

async fn drafts_stay_private_until_published(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let body = "第一条 草稿正文，尚未公开。";
    let id = db
        .create_proposal(
            &NewProposal {
                agency_id: agency,
                kind: ProposalKind::Regulation,
                title: "草稿".into(),
                domains: vec![PolicyDomain::Other],
                body_md: body.into(),
                clauses: render_clauses(body).unwrap(),
                window: CommentWindow { opens_at: t0(), closes_at: t0() + Duration::days(30), short_reason: None },
                created_by: official,
                draft: true,
            },
            t0(),
        )
        .await
        .unwrap();
    assert!(db.proposal(id, t0()).await.unwrap().is_none(), "not public");
    assert!(db.list_proposals(WindowPhase::Open, ProposalFilter::default(), None, 10, t0()).await.unwrap().is_empty());
    let preview = db.proposal_or_draft(id, t0()).await.unwrap().unwrap();
    assert!(!preview.published);
    assert_eq!(preview.clauses.len(), 1);
    let official = viewer(&db, official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    service::proposals::publish_draft(&db, &by_official, id).await.unwrap();
    refused_with(
        service::proposals::publish_draft(&db, &by_official, id).await,
        Rule::NotInState { status: app::domain::lifecycle::ProposalStatus::Published },
    );
    assert!(db.proposal(id, t0()).await.unwrap().unwrap().published);
    let actions: Vec<String> = db.audit_for("proposal", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["drafted", "published"]);
}

async fn a_new_version_keeps_old_comments_on_old_text(db: Db) {
    use app::domain::campaign::Fingerprint;
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let citizen = user(&db, "c@example.cn", &[Role::Citizen], None).await;
    let id = proposal(&db, agency, official, "水价调整方案", t0(), 30).await;
    let v1 = db.comment_target(id).await.unwrap().unwrap();
    let body = "第三条的标准太高";
    db.add_comment(
        &NewComment {
            fingerprint: Fingerprint::of(body),
            proposal_id: id,
            version_id: v1.version_id,
            clause_number: Some(3),
            author_id: citizen,
            stance: Stance::Oppose,
            body,
            body_html: body,
        },
        t0(),
    )
    .await
    .unwrap();
    let text2 = "第一条 总则。\n\n第二条 定义。\n\n第三条 范围。\n\n第四条 降低后的标准。";
    let official = viewer(&db, official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    assert_eq!(service::proposals::publish_version(&db, &by_official, id, text2, &render_clauses(text2).unwrap(), None).await.unwrap(), 2);
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.version, 2);
    assert_eq!(detail.clauses.len(), 4);
    // the old text is still there, and the comment still points at it
    let old = db.version_clauses(id, 1).await.unwrap();
    assert_eq!(old.len(), 3);
    assert!(old[2].1.contains("第三条 标准"));
    let comments = db.list_comment_groups(id, None, 10, Default::default()).await.unwrap();
    assert_eq!((comments[0].version, comments[0].clause), (1, Some(3)));
    // new comments land on the new version
    assert_eq!(db.comment_target(id).await.unwrap().unwrap().clause_count, 4);
    assert_eq!(db.current_body(id).await.unwrap().as_deref(), Some(text2));
    let actions: Vec<String> = db.audit_for("proposal", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["drafted", "published", "version_published"]);
}

async fn feedback_report_once_and_adoption_audited(db: Db) {
    use app::domain::feedback::{Decision, FeedbackItem, FeedbackTarget};
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "停车收费调整", t0() - Duration::days(60), 30).await;
    let items = vec![
        FeedbackItem { target: FeedbackTarget::Clause(1), decision: Decision::Adopted, reason: "采纳意见".into() },
        FeedbackItem { target: FeedbackTarget::Clause(2), decision: Decision::NotAdopted, reason: "理由见说明".into() },
    ];
    let official = viewer(&db, official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    service::proposals::publish_feedback(&db, &by_official, id, "总体说明", &items).await.unwrap();
    refused_with(service::proposals::publish_feedback(&db, &by_official, id, "再次", &items).await, Rule::FeedbackAlreadyPublished);
    let report = db.feedback(id).await.unwrap().unwrap();
    assert_eq!(report.items.len(), 2);
    assert_eq!(report.items[1].decision, Decision::NotAdopted);
    assert!(db.proposal(id, t0()).await.unwrap().unwrap().feedback_published);
    // a pricing proposal: the hearing gate has no evidence, and nobody can bypass it
    refused_with(
        service::proposals::adopt(&db, &by_official, id).await,
        Rule::GatesUnmet { gates: vec![app::domain::gate::Gate::Hearing] },
    );
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert!(!detail.summary.adopted);
    let actions: Vec<String> = db.audit_for("proposal", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["drafted", "published", "feedback_published"], "the refusal left no entry");
}

async fn window_extensions_and_events_are_recorded(db: Db) {
    use app::domain::proposal::EventKind;
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let later = t0() + Duration::days(40);
    let official = viewer(&db, official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    service::proposals::extend_window(&db, &by_official, id, later, "意见较多").await.unwrap();
    refused_with(
        service::proposals::extend_window(&db, &by_official, id, t0() + Duration::days(35), "缩短").await,
        Rule::WindowCannotShorten,
    );
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.summary.window.closes_at, later);
    assert_eq!(detail.extensions.len(), 1);
    assert_eq!(detail.extensions[0].old_closes_at, t0() + Duration::days(30));
    assert_eq!(detail.extensions[0].reason, "意见较多");
    service::proposals::record_event(&db, &by_official, id, EventKind::Forum, t0() + Duration::days(3), "商户座谈会", "<p>纪要</p>")
        .await
        .unwrap();
    let detail = db.proposal(id, t0()).await.unwrap().unwrap();
    assert_eq!(detail.events.len(), 1);
    assert_eq!(detail.events[0].kind, EventKind::Forum);
    let actions: Vec<String> = db.audit_for("proposal", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions, ["drafted", "published", "window_extended", "event_recorded"]);
}

on_both_databases!(
    expired_sessions_and_stale_attempts_are_swept,
    moderation_lists_page_by_keyset,
    window_extensions_and_events_are_recorded,
    feedback_report_once_and_adoption_audited,
    a_new_version_keeps_old_comments_on_old_text,
    drafts_stay_private_until_published,
    identical_and_near_identical_comments_form_one_campaign,
    supports_reports_and_hiding,
    duplicate_email_is_refused_and_nothing_half_written,
    roles_are_granted_revoked_and_audited,
    sessions_expire_when_idle_and_absolutely,
    staff_sessions_are_shorter_and_a_person_lists_and_revokes_theirs,
    rate_limit_counts_a_sliding_minute,
    proposal_round_trip_with_clauses_and_audit,
    lists_are_keyset_paginated_by_phase,
    comments_keep_count_and_page_newest_first,
    audit_log_is_append_only,
);
