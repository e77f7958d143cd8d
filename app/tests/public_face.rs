//! The public face's reads on both databases: the home page's lists narrowed by agency,
//! domain and kind; what is blocked at a gate and why; the tallies behind a proposal's
//! pictures, kept with every comment and every hiding; penalty outcomes and announced
//! hearings for the JSON API.

#[macro_use]
mod common;

use app::{
    backend::{
        service::{self, comments::CommentInput, Actor},
        store::gates::BlockedCursor,
        Db,
    },
    domain::{
        comment::{CommentText, Stance},
        feedback::{Decision, FeedbackItem, FeedbackTarget},
        gate::{Gate, GateState, GateSubject},
        project::ProjectKind,
        proposal::{PolicyDomain, ProposalFilter, ProposalKind, WindowPhase},
        role::Role,
        tally::{by_clause, by_stance},
    },
};
use chrono::Duration;
use common::{closed_proposal, proposal, t0, user, viewer};

on_both_databases!(
    lists_are_narrowed_by_agency_domain_and_kind,
    blocked_lists_what_lacks_evidence_and_why,
    tallies_follow_every_comment_and_every_hiding,
);

async fn lists_are_narrowed_by_agency_domain_and_kind(db: Db) {
    let transport = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let water = db.ensure_agency("swj", "市水务局", "Water").await.unwrap();
    let o1 = user(&db, "o1@example.cn", &[Role::Official], Some(transport)).await;
    let o2 = user(&db, "o2@example.cn", &[Role::Official], Some(water)).await;
    // `proposal` makes pricing + transport policy adjustments; closed ones of other kinds
    let bus = proposal(&db, transport, o1, "公交票价调整", t0(), 30).await;
    let tap = proposal(&db, water, o2, "水价调整", t0(), 31).await;
    let rule = closed_proposal(&db, water, o2, ProposalKind::Regulation, &[PolicyDomain::Environment], "排水条例").await;
    let plan = closed_proposal(&db, transport, o1, ProposalKind::MajorDecision, &[PolicyDomain::Transport], "轨道交通规划").await;
    let now = t0() + Duration::days(1);
    let ids = |filter: ProposalFilter, phase: WindowPhase| {
        let db = db.clone();
        async move { db.list_proposals(phase, filter, None, 10, now).await.unwrap().into_iter().map(|(p, _)| p.id).collect::<Vec<_>>() }
    };
    let any = ProposalFilter::default();
    assert_eq!(ids(any, WindowPhase::Open).await, [bus, tap]);
    assert_eq!(ids(ProposalFilter { agency_id: Some(water), ..any }, WindowPhase::Open).await, [tap]);
    assert_eq!(ids(ProposalFilter { agency_id: Some(water), ..any }, WindowPhase::Closed).await, [rule]);
    assert_eq!(ids(ProposalFilter { domain: Some(PolicyDomain::Transport), ..any }, WindowPhase::Closed).await, [plan]);
    assert_eq!(ids(ProposalFilter { kind: Some(ProposalKind::Regulation), ..any }, WindowPhase::Closed).await, [rule]);
    assert!(ids(ProposalFilter { kind: Some(ProposalKind::Regulation), ..any }, WindowPhase::Open).await.is_empty());
    let both =
        ProposalFilter { agency_id: Some(transport), domain: Some(PolicyDomain::Pricing), kind: Some(ProposalKind::PolicyAdjustment) };
    assert_eq!(ids(both, WindowPhase::Open).await, [bus]);
    // a filtered list still pages by its cursor
    let first =
        db.list_proposals(WindowPhase::Open, ProposalFilter { domain: Some(PolicyDomain::Pricing), ..any }, None, 1, now).await.unwrap();
    let rest = db
        .list_proposals(WindowPhase::Open, ProposalFilter { domain: Some(PolicyDomain::Pricing), ..any }, Some(&first[0].1), 10, now)
        .await
        .unwrap();
    assert_eq!((first[0].0.id, rest.iter().map(|(p, _)| p.id).collect::<Vec<_>>()), (bus, vec![tap]));
}

async fn blocked_lists_what_lacks_evidence_and_why(db: Db) {
    let transport = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let water = db.ensure_agency("swj", "市水务局", "Water").await.unwrap();
    let o1 = user(&db, "o1@example.cn", &[Role::Official], Some(transport)).await;
    let o2 = user(&db, "o2@example.cn", &[Role::Official], Some(water)).await;
    // closed a day before t0(): a regulation without report or legality review
    let regulation = closed_proposal(&db, water, o2, ProposalKind::Regulation, &[PolicyDomain::Environment], "排水条例").await;
    // closed, report published, nothing else required: ready, not blocked
    let ready = closed_proposal(&db, transport, o1, ProposalKind::PolicyAdjustment, &[PolicyDomain::Transport], "停车调整").await;
    let official = viewer(&db, o1).await;
    let items = [FeedbackItem { target: FeedbackTarget::Clause(1), decision: Decision::Adopted, reason: "采纳意见".into() }];
    service::proposals::publish_feedback(&db, &Actor { viewer: &official, now: t0() }, ready, "总体说明", &items).await.unwrap();
    // still open for comment: not blocked, it is being consulted on
    proposal(&db, transport, o1, "公交票价调整", t0(), 30).await;
    // a project registered later, without its risk assessment
    let project = service::projects::register(
        &db,
        &Actor { viewer: &official, now: t0() + Duration::hours(1) },
        ProjectKind::KeyProject,
        "地铁六号线",
        "全长 30 公里的地铁线路",
    )
    .await
    .unwrap();
    let now = t0() + Duration::days(2);
    let any = ProposalFilter::default();

    let (items, next) = db.blocked(any, None, 10, now).await.unwrap();
    assert!(next.is_none());
    let subjects: Vec<GateSubject> = items.iter().map(|b| b.subject).collect();
    assert_eq!(subjects, [GateSubject::Project(project), GateSubject::Proposal(regulation)], "most recently blocked first");
    assert_eq!(items[0].unmet, [(Gate::StabilityRisk, GateState::Missing)]);
    assert_eq!(items[1].unmet, [(Gate::FeedbackReport, GateState::Missing), (Gate::LegalityReview, GateState::Missing)]);
    assert_eq!((items[1].agency.id, items[1].title.as_str()), (water, "排水条例"));

    // filters: a domain leaves projects out; a kind and an agency narrow both
    let (by_domain, _) = db.blocked(ProposalFilter { domain: Some(PolicyDomain::Environment), ..any }, None, 10, now).await.unwrap();
    assert_eq!(by_domain.iter().map(|b| b.subject).collect::<Vec<_>>(), [GateSubject::Proposal(regulation)]);
    let (by_kind, _) = db.blocked(ProposalFilter { kind: Some(ProposalKind::KeyProject), ..any }, None, 10, now).await.unwrap();
    assert_eq!(by_kind.iter().map(|b| b.subject).collect::<Vec<_>>(), [GateSubject::Project(project)]);
    let (by_agency, _) = db.blocked(ProposalFilter { agency_id: Some(transport), ..any }, None, 10, now).await.unwrap();
    assert_eq!(by_agency.iter().map(|b| b.subject).collect::<Vec<_>>(), [GateSubject::Project(project)]);

    // pages of one, each from the previous page's cursor (through its text form): the
    // ready proposal (closed at the same time as the regulation) is looked at and left
    // out, so one page is empty but still leads on
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor = None;
    loop {
        let (page, next) = db.blocked(any, cursor, 1, now).await.unwrap();
        pages += 1;
        assert!(page.len() <= 1);
        seen.extend(page.iter().map(|b| b.subject));
        match next {
            Some(c) => cursor = Some(BlockedCursor::decode(&c.encode()).expect("cursor round-trips")),
            None => break,
        }
    }
    assert_eq!(seen, [GateSubject::Project(project), GateSubject::Proposal(regulation)]);
    assert_eq!(pages, 3);
    assert!(BlockedCursor::decode("garbage").is_none() && BlockedCursor::decode("1_planet_3").is_none());
}

async fn tallies_follow_every_comment_and_every_hiding(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let limits = service::comments::FloodLimits { per_account: 100, per_address: 100, minutes: 10 };
    let mut ids = Vec::new();
    for (i, (clause, stance)) in [
        (Some(1), Stance::Support),
        (Some(1), Stance::Oppose),
        (Some(3), Stance::Oppose),
        (None, Stance::Suggestion),
        (Some(1), Stance::Oppose),
    ]
    .into_iter()
    .enumerate()
    {
        let citizen = user(&db, &format!("c{i}@example.cn"), &[Role::Citizen], None).await;
        let citizen = viewer(&db, citizen).await;
        let text = format!("第 {i} 条意见：收费标准应当分时段，夜间减半。");
        let body = CommentText::parse(&text).unwrap();
        let input = CommentInput { proposal_id: id, clause, stance, text: &body, body_html: &text };
        let at = Actor { viewer: &citizen, now: t0() + Duration::hours(1 + i as i64) };
        ids.push(service::comments::post(&db, &at, &format!("198.51.100.{i}"), limits, input).await.unwrap());
    }
    let tallies = db.proposal(id, t0() + Duration::days(1)).await.unwrap().unwrap().tallies;
    assert_eq!(by_stance(&tallies), [(Stance::Support, 1), (Stance::Oppose, 3), (Stance::Suggestion, 1)]);
    assert_eq!(by_clause(&tallies, 3), [(1, 3), (2, 0), (3, 1)]);

    // a hidden comment leaves the pictures; hiding it again changes nothing
    let moderator = user(&db, "m@example.cn", &[Role::Citizen, Role::Moderator], None).await;
    let moderator = viewer(&db, moderator).await;
    let by_moderator = Actor { viewer: &moderator, now: t0() + Duration::hours(12) };
    service::comments::hide(&db, &by_moderator, ids[1], "人身攻击").await.unwrap();
    let _ = service::comments::hide(&db, &by_moderator, ids[1], "人身攻击").await;
    let tallies = db.proposal(id, t0() + Duration::days(1)).await.unwrap().unwrap().tallies;
    assert_eq!(by_stance(&tallies), [(Stance::Support, 1), (Stance::Oppose, 2), (Stance::Suggestion, 1)]);
    assert_eq!(by_clause(&tallies, 3), [(1, 2), (2, 0), (3, 1)]);
    // the tallies agree with the comments themselves
    let visible: i64 =
        app::on_db!(&db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE proposal_id = $1 AND hidden = FALSE")
            .bind(id)
            .fetch_one(pool)
            .await)
        .unwrap();
    assert_eq!(tallies.iter().map(|t| t.count).sum::<i64>(), visible);
}

on_both_databases!(the_comment_writer_commits_many_at_once_with_every_check);

/// The writer that commits many people's comments in one transaction keeps every check
/// of a single comment: each refusal is its own (and leaves no trace: a refused comment
/// counts against no limit), the flood limit holds within a batch, and the counters and
/// tallies add up to the rows.
async fn the_comment_writer_commits_many_at_once_with_every_check(db: Db) {
    use app::backend::service::comments::CommentWriter;
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let writer = CommentWriter::default();
    let limits = service::comments::FloodLimits { per_account: 10, per_address: 1_000, minutes: 10 };
    let now = t0() + Duration::hours(1);
    let mut people = Vec::new();
    for i in 0..30 {
        let citizen = user(&db, &format!("c{i}@example.cn"), &[Role::Citizen], None).await;
        people.push(viewer(&db, citizen).await);
    }
    // 30 people at once, each once; one of them asks for a clause that does not exist;
    // and the first posts 11 more times in the same burst (the limit is 10: two of their
    // twelve are refused)
    let mut posts = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let clause = if i == 7 { Some(9) } else { Some(1 + (i as u32 % 3)) };
        posts.push((person, clause, format!("第 {i} 位市民：夜间停车应当减半收费。")));
    }
    for k in 0..11 {
        posts.push((&people[0], None, format!("补充意见 {k}：白天的收费时段太长。")));
    }
    let results = futures::future::join_all(posts.iter().map(|(person, clause, text)| {
        let (db, writer) = (db.clone(), writer.clone());
        async move {
            let body = CommentText::parse(text).unwrap();
            let input = CommentInput { proposal_id: id, clause: *clause, stance: Stance::Support, text: &body, body_html: text };
            writer.post(&db, &Actor { viewer: person, now }, "198.51.100.1", limits, input).await
        }
    }))
    .await;
    let refused: Vec<String> = results
        .iter()
        .filter_map(|r| match r {
            Err(service::ServiceError::Refused(errors)) => Some(format!("{:?}", errors[0].rule)),
            Err(other) => panic!("{other:?}"),
            Ok(_) => None,
        })
        .collect();
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(writer.commits() < 10, "41 comments arriving together commit in a few batches, not {}", writer.commits());
    assert!(refused.iter().any(|r| r.starts_with("NoSuchClause")), "{refused:?}");
    assert_eq!(refused.iter().filter(|r| r.starts_with("CommentFlood")).count(), 2, "{refused:?}");
    let mut ids: Vec<i64> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert_eq!(ids.len(), 38);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 38, "every comment its own id");
    // the first person: 10 comments, no more (the refused clause counted for nobody)
    let (rows, by_first): (i64, i64) = app::on_db!(&db, |pool| sqlx::query_as(
        "SELECT COUNT(*), SUM(CASE WHEN author_id = $2 THEN 1 ELSE 0 END) FROM comments WHERE proposal_id = $1"
    )
    .bind(id)
    .bind(people[0].id)
    .fetch_one(pool)
    .await)
    .unwrap();
    assert_eq!((rows, by_first), (38, 10));
    let detail = db.proposal(id, now).await.unwrap().unwrap();
    assert_eq!(detail.summary.comment_count, 38);
    assert_eq!(detail.summary.commenter_count, 29);
    assert_eq!(detail.tallies.iter().map(|t| t.count).sum::<i64>(), 38);
    // the one who asked for clause 9 may still comment: nothing of theirs was kept
    let body = CommentText::parse("第九条不存在，我的意见针对第一条。").unwrap();
    let input = CommentInput { proposal_id: id, clause: Some(1), stance: Stance::Oppose, text: &body, body_html: "x" };
    writer.post(&db, &Actor { viewer: &people[7], now }, "198.51.100.1", limits, input).await.unwrap();
}

on_both_databases!(a_batch_sums_what_its_comments_share_and_writes_it_once);

/// What the comments of one batch share — a campaign group's members, the tallies, the
/// commenters, two proposals' counters — is summed and written at the end of the batch:
/// the figures equal what the rows say, a campaign formed inside one batch counts once,
/// and the group shows its first member.
async fn a_batch_sums_what_its_comments_share_and_writes_it_once(db: Db) {
    use app::backend::service::comments::CommentWriter;
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let water = proposal(&db, agency, official, "阶梯水价调整", t0(), 30).await;
    let parking = proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let writer = CommentWriter::default();
    let limits = service::comments::FloodLimits { per_account: 0, per_address: 0, minutes: 10 };
    let now = t0() + Duration::hours(1);
    let mut people = Vec::new();
    for i in 0..12 {
        let citizen = user(&db, &format!("c{i}@example.cn"), &[Role::Citizen], None).await;
        people.push(viewer(&db, citizen).await);
    }
    const LETTER: &str = "坚决反对阶梯水价调整，三口之家的基本用水不应加价。";
    // on the water proposal: eight copies of one letter (a campaign) and two own words;
    // on parking: one person twice and one once; all in one burst
    let mut posts: Vec<(usize, i64, String)> = Vec::new();
    for i in 0..8 {
        posts.push((i, water, LETTER.to_owned()));
    }
    posts.push((8, water, "建议为低收入家庭设减免。".to_owned()));
    posts.push((9, water, "第二阶梯的起点应当提高。".to_owned()));
    posts.push((10, parking, "夜间停车应当减半收费。".to_owned()));
    posts.push((10, parking, "白天的收费时段太长。".to_owned()));
    posts.push((11, parking, "医院周边应当免费停车半小时。".to_owned()));
    let results = futures::future::join_all(posts.iter().map(|(person, proposal_id, text)| {
        let (db, writer, viewer) = (db.clone(), writer.clone(), &people[*person]);
        async move {
            let body = CommentText::parse(text).unwrap();
            let input = CommentInput { proposal_id: *proposal_id, clause: Some(1), stance: Stance::Oppose, text: &body, body_html: text };
            writer.post(&db, &Actor { viewer, now }, "198.51.100.1", limits, input).await
        }
    }))
    .await;
    let ids: Vec<i64> = results.into_iter().map(|r| r.unwrap()).collect();
    assert!(writer.commits() < 5, "13 comments arriving together commit in a few batches, not {}", writer.commits());
    let water_detail = db.proposal(water, now).await.unwrap().unwrap();
    assert_eq!(
        (water_detail.summary.comment_count, water_detail.summary.commenter_count, water_detail.summary.campaign_count),
        (10, 10, 1),
        "ten comments by ten people, one campaign of eight"
    );
    assert_eq!(water_detail.tallies.iter().map(|t| t.count).sum::<i64>(), 10);
    let parking_detail = db.proposal(parking, now).await.unwrap().unwrap();
    assert_eq!(
        (parking_detail.summary.comment_count, parking_detail.summary.commenter_count, parking_detail.summary.campaign_count),
        (3, 2, 0)
    );
    // the campaign: eight members, shown by its first one, and listed once
    let (members, first, last): (i64, i64, i64) = app::on_db!(&db, |pool| sqlx::query_as(
        "SELECT member_count, first_comment_id, last_comment_id FROM comment_groups WHERE proposal_id = $1 AND member_count > 1"
    )
    .bind(water)
    .fetch_one(pool)
    .await)
    .unwrap();
    let letters: Vec<i64> = ids[..8].to_vec();
    assert_eq!(members, 8);
    assert_eq!(first, *letters.iter().min().unwrap());
    assert_eq!(last, *letters.iter().max().unwrap());
    let listed = db.list_comment_groups(water, None, 50, Default::default()).await.unwrap();
    assert_eq!(listed.len(), 3, "the campaign once and the two own words");
    assert_eq!(listed.iter().find(|c| c.group_size == 8).map(|c| c.id), Some(first));
    // the next copy, in a later batch, joins the campaign without making a second one
    let body = CommentText::parse(LETTER).unwrap();
    let input = CommentInput { proposal_id: water, clause: None, stance: Stance::Oppose, text: &body, body_html: LETTER };
    writer.post(&db, &Actor { viewer: &people[11], now }, "198.51.100.1", limits, input).await.unwrap();
    let water_detail = db.proposal(water, now).await.unwrap().unwrap();
    assert_eq!(
        (water_detail.summary.comment_count, water_detail.summary.commenter_count, water_detail.summary.campaign_count),
        (11, 11, 1)
    );
}

on_both_databases!(a_flood_limit_of_zero_is_off_and_counts_nothing);

/// Load tests post from one account and one address: a limit of 0 turns that limit off,
/// and nothing is counted for it (a huge limit would still be counted, row by row).
async fn a_flood_limit_of_zero_is_off_and_counts_nothing(db: Db) {
    let agency = db.ensure_agency("fgw", "市发改委", "DRC").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let id = proposal(&db, agency, official, "停车收费调整", t0(), 30).await;
    let citizen = user(&db, "c@example.cn", &[Role::Citizen], None).await;
    let citizen = viewer(&db, citizen).await;
    let events = || {
        let db = db.clone();
        async move { app::on_db!(&db, |pool| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM rate_events").fetch_one(pool).await).unwrap() }
    };
    let off = service::comments::FloodLimits { per_account: 0, per_address: 0, minutes: 10 };
    for i in 0..15 {
        let text = format!("第 {i} 条压力测试意见。");
        let body = CommentText::parse(&text).unwrap();
        let input = CommentInput { proposal_id: id, clause: None, stance: Stance::Support, text: &body, body_html: &text };
        service::comments::post(&db, &Actor { viewer: &citizen, now: t0() + Duration::hours(1) }, "198.51.100.9", off, input)
            .await
            .unwrap();
    }
    assert_eq!(events().await, 0);
    // one limit on, the other off: only the one on is counted and enforced
    let account_only = service::comments::FloodLimits { per_account: 1, per_address: 0, minutes: 10 };
    let body = CommentText::parse("再来一条。").unwrap();
    let at = Actor { viewer: &citizen, now: t0() + Duration::hours(2) };
    let input = CommentInput { proposal_id: id, clause: None, stance: Stance::Support, text: &body, body_html: "x" };
    service::comments::post(&db, &at, "198.51.100.9", account_only, input).await.unwrap();
    assert_eq!(events().await, 1);
    let input = CommentInput { proposal_id: id, clause: None, stance: Stance::Support, text: &body, body_html: "x" };
    match service::comments::post(&db, &at, "198.51.100.9", account_only, input).await {
        Err(service::ServiceError::Refused(errors)) => assert!(
            matches!(errors[0].rule, app::domain::Rule::CommentFlood { scope: app::domain::rule::FloodScope::Account, limit: 1, .. }),
            "{errors:?}"
        ),
        other => panic!("{other:?}"),
    }
}
