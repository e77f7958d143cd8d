//! Penalty review through the services, each on SQLite and on PostgreSQL: a case goes
//! from submission through masking, the panel draw, opinions (with a decline and a missed
//! deadline replaced from the reserves) to the agency's reply, and the public never reads
//! the party's data; the pool's terms, conflicts and size are enforced; a late reply shows
//! as overdue; a refused action writes nothing.

#[macro_use]
mod common;

use common::{refused_with, t0, user, viewer};

use app::{
    backend::{
        service::{
            self,
            penalties::{CaseInput, Closed},
            Actor,
        },
        store::{
            self,
            penalties::{CaseFilter, CaseReader},
        },
        Db,
    },
    domain::{
        draw::Seed,
        mask::PiiKind,
        penalty::{self, CaseStatus, Conflict, ConflictKind, Opinion, PenaltyKind, ReplyKind, SeatState},
        role::Role,
        Rule,
    },
};
use chrono::{DateTime, Duration, Utc};

const PARTY: &str = "合肥香满楼餐饮有限公司";
const FACTS: &str = "2026年3月5日，执法人员对当事人合肥香满楼餐饮有限公司位于合肥市蜀山区长江西路123号5栋101室的经营场所检查，\
发现其销售超过保质期的食品。负责人王建国（身份证号34010419800101123X，电话138 0013 8000）在场。\n\
运输车辆皖A·12345。";
const BASIS: &str = "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项。";
const DISCRETION: &str = "《安徽省市场监督管理行政处罚裁量权基准》：违法货值金额不足一万元的，处五万元以上十万元以下罚款；\
首次违法且及时改正的，可以从轻。";

struct People {
    agency: i64,
    official: i64,
    admin: i64,
    reviewers: Vec<i64>,
}

/// An agency with an official, an admin, and `n` citizens in the pool (approved at `t0()`
/// for two years).
async fn people(db: &Db, n: usize) -> People {
    let agency = db.ensure_agency("scjgj", "市市场监管局", "Market Regulation").await.unwrap();
    let official = user(db, "official@example.cn", &[Role::Official], Some(agency)).await;
    let admin = user(db, "admin@example.cn", &[Role::Admin], None).await;
    let admin_v = viewer(db, admin).await;
    let mut reviewers = Vec::new();
    for i in 0..n {
        let id = user(db, &format!("reviewer{i}@example.cn"), &[Role::Citizen], None).await;
        let v = viewer(db, id).await;
        let member = service::penalties::volunteer(db, &Actor { viewer: &v, now: t0() }, "愿意参与行政处罚案件评议。", &[]).await.unwrap();
        service::penalties::approve(db, &Actor { viewer: &admin_v, now: t0() }, member, 2).await.unwrap();
        reviewers.push(id);
    }
    People { agency, official, admin, reviewers }
}

fn case_input(size: u32) -> CaseInput {
    CaseInput {
        case_number: "合市监罚〔2026〕15号".into(),
        district: "蜀山区".into(),
        party_name: PARTY.into(),
        listed_names: vec!["王建国".into()],
        texts: [FACTS.into(), BASIS.into(), DISCRETION.into()],
        penalty_kind: PenaltyKind::Fine,
        amount: Some(50_000),
        panel_size: size,
    }
}

async fn audit_count(db: &Db) -> u64 {
    store::audit::verify(db).await.unwrap().entries
}

/// The personal data of the party in `FACTS`, none of which the public may read.
const PRIVATE: &[&str] = &[PARTY, "香满楼", "王建国", "34010419800101123X", "138 0013 8000", "长江西路123号", "皖A·12345"];

fn assert_no_personal_data(what: &str, json: &str) {
    for secret in PRIVATE {
        assert!(!json.contains(secret), "{what} leaks {secret}: {json}");
    }
}

/// Submits and confirms the automatic masking: the case is published.
async fn published_case(db: &Db, p: &People, at: DateTime<Utc>, size: u32) -> i64 {
    let official = viewer(db, p.official).await;
    let by = Actor { viewer: &official, now: at };
    let id = service::penalties::submit(db, &by, case_input(size)).await.unwrap();
    let reader = CaseReader { user: p.official, official_of: Some(p.agency), admin: false };
    let d = db.penalty_detail(id, Some(reader), at).await.unwrap().unwrap();
    let masked = [d.facts.clone(), d.basis.clone(), d.discretion.clone()];
    service::penalties::confirm_masking(db, &by, id, masked, &d.summary.case_number).await.unwrap();
    id
}

async fn reader(db: &Db, user: i64) -> CaseReader {
    let v = viewer(db, user).await;
    CaseReader { user, official_of: if v.has(Role::Official) { v.agency_id } else { None }, admin: v.has(Role::Admin) }
}

async fn a_case_goes_from_masking_through_the_panel_to_the_reply_and_the_public_never_reads_the_party(db: Db) {
    let p = people(&db, 9).await;
    // three more volunteers declare conflicts: with the agency, the district, the party
    let admin_v = viewer(&db, p.admin).await;
    let conflicts = [
        Conflict { kind: ConflictKind::Agency, agency_id: Some(p.agency), text: String::new() },
        Conflict { kind: ConflictKind::District, agency_id: None, text: "合肥市蜀山区".into() },
        Conflict { kind: ConflictKind::Party, agency_id: None, text: "香满楼".into() },
    ];
    for (i, conflict) in conflicts.iter().enumerate() {
        let id = user(&db, &format!("conflicted{i}@example.cn"), &[Role::Citizen], None).await;
        let v = viewer(&db, id).await;
        let m = service::penalties::volunteer(&db, &Actor { viewer: &v, now: t0() }, "愿意参与评议工作。", std::slice::from_ref(conflict))
            .await
            .unwrap();
        service::penalties::approve(&db, &Actor { viewer: &admin_v, now: t0() }, m, 2).await.unwrap();
    }
    // and one volunteer waits for approval: not in the pool
    let waiting = user(&db, "waiting@example.cn", &[Role::Citizen], None).await;
    let wv = viewer(&db, waiting).await;
    service::penalties::volunteer(&db, &Actor { viewer: &wv, now: t0() }, "愿意参与评议工作。", &[]).await.unwrap();

    let official = viewer(&db, p.official).await;
    let by = |now| Actor { viewer: &official, now };
    let id = service::penalties::submit(&db, &by(t0()), case_input(7)).await.unwrap();

    // a draft: the agency's officials only
    assert!(db.penalty_detail(id, None, t0()).await.unwrap().is_none());
    assert!(db.penalty_detail(id, Some(reader(&db, p.reviewers[0]).await), t0()).await.unwrap().is_none());
    let mine = db.penalty_detail(id, Some(reader(&db, p.official).await), t0()).await.unwrap().unwrap();
    let private = mine.private.clone().expect("the official sees the original");
    assert_eq!(private.party_name, PARTY);
    let facts_masking = &private.masking[0].1;
    assert_eq!(facts_masking.original_text(), FACTS);
    let kinds: Vec<PiiKind> = facts_masking
        .segments
        .iter()
        .filter_map(|s| match s {
            app::domain::mask::Segment::Masked { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    for kind in [PiiKind::Name, PiiKind::IdNumber, PiiKind::Mobile, PiiKind::Plate, PiiKind::Address] {
        assert!(kinds.contains(&kind), "{kind:?} masked in {kinds:?}");
    }
    assert_no_personal_data("the masked facts", &mine.facts);

    // the official's correction brings the phone back: refused, pointing at the spot, nothing written
    let before = audit_count(&db).await;
    let bad = format!("{}\n联系电话：0551-62345678", mine.facts);
    let result = service::penalties::confirm_masking(
        &db,
        &by(t0()),
        id,
        [bad, mine.basis.clone(), mine.discretion.clone()],
        &mine.summary.case_number,
    )
    .await;
    match result {
        Err(service::ServiceError::Refused(errors)) => {
            assert_eq!(errors[0].field, "facts");
            assert!(
                matches!(&errors[0].rule, Rule::UnmaskedPersonalData { kind: PiiKind::Landline, line: 3, column: 6, excerpt } if !excerpt.contains("62345678")),
                "{errors:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // so does a listed name left in
    refused_with(
        service::penalties::confirm_masking(
            &db,
            &by(t0()),
            id,
            [format!("{}王建国", mine.facts), mine.basis.clone(), mine.discretion.clone()],
            &mine.summary.case_number,
        )
        .await,
        Rule::UnmaskedPersonalData { kind: PiiKind::Name, line: 2, column: 14, excerpt: "王**".into() },
    );
    assert_eq!(audit_count(&db).await, before, "a refusal writes nothing");
    service::penalties::confirm_masking(
        &db,
        &by(t0()),
        id,
        [mine.facts.clone(), mine.basis.clone(), mine.discretion.clone()],
        &mine.summary.case_number,
    )
    .await
    .unwrap();

    // published: the public reads the masked case, never the party
    let public = db.penalty_detail(id, None, t0()).await.unwrap().unwrap();
    assert_eq!(public.summary.status, CaseStatus::Open);
    assert!(public.private.is_none());
    assert_no_personal_data("the public case", &serde_json::to_string(&public).unwrap());
    let (list, _, years) = db.penalty_cases(CaseFilter::default(), i64::MAX, 20, t0()).await.unwrap();
    assert_eq!(list.items.len(), 1);
    assert_eq!(years, vec![2026]);
    assert_no_personal_data("the public list", &serde_json::to_string(&list).unwrap());

    // the panel: odd, 5 to 9; 12 in the pool, 3 conflicted, so 9 eligible
    let at = t0() + Duration::hours(1);
    refused_with(service::penalties::draw_panel(&db, &by(at), id, 8, 10).await, Rule::PanelSize { min: 5, max: 9 });
    let reviewer_v = viewer(&db, p.reviewers[0]).await;
    assert!(service::penalties::draw_panel(&db, &Actor { viewer: &reviewer_v, now: at }, id, 7, 10).await.is_err(), "not the agency's");
    let record = service::penalties::draw_panel(&db, &by(at), id, 7, 10).await.unwrap();
    assert_eq!((record.eligible.len(), record.excluded.clone()), (9, vec![1, 1, 1, 0]));
    assert_eq!(record.outcome.panel.len(), 7);
    let published = db.penalty_draw(id).await.unwrap().unwrap();
    assert!(published.verified, "the server re-ran the published draw");
    let seed = Seed::from_hex(&published.seed).unwrap();
    assert_eq!(seed.commitment(), public.seed_commitment, "the seed is the one committed to at publication");
    assert!(penalty::verify_panel(&published.commitment, &seed, published.eligible.len(), 7, &published.outcome));

    let seats = |db: Db| async move { store::penalties::seats(&mut db.begin_read().await.unwrap(), id).await.unwrap() };
    let all = seats(db.clone()).await;
    let panel: Vec<i64> = all.iter().filter(|s| s.state == SeatState::Invited).map(|s| s.user_id).collect();
    let reserves: Vec<i64> = all.iter().filter(|s| s.state == SeatState::Reserve).map(|s| s.user_id).collect();
    assert_eq!((panel.len(), reserves.len()), (7, 2));
    assert!(!all.iter().any(|s| s.user_id == waiting), "a volunteer not yet approved is not in the pool");

    // the agency cannot reply before the panel concludes
    refused_with(
        service::penalties::reply(&db, &by(at), id, ReplyKind::Adopted, "依评议意见处理。", PenaltyKind::Fine, Some(50_000)).await,
        Rule::ReplyBeforeConclusion,
    );
    // someone off the panel cannot give an opinion
    let outsider = viewer(&db, reserves[0]).await;
    refused_with(
        service::penalties::give_opinion(&db, &Actor { viewer: &outsider, now: at }, id, Opinion::Agree, "同意拟处罚意见。", None).await,
        Rule::NotOnPanel,
    );

    // the first panelist declines: the first reserve takes the seat
    let first = viewer(&db, panel[0]).await;
    service::penalties::answer_invitation(&db, &Actor { viewer: &first, now: at }, id, false).await.unwrap();
    let all = seats(db.clone()).await;
    assert_eq!(all.iter().find(|s| s.user_id == reserves[0]).unwrap().state, SeatState::Invited);
    let mut sitting: Vec<i64> = panel[1..].to_vec();
    sitting.push(reserves[0]);

    // six give opinions (one revises); the seventh lets the deadline pass
    let day = at + Duration::days(2);
    let opinions = [
        (Opinion::Agree, None),
        (Opinion::Agree, None),
        (Opinion::Lighter, Some(30_000)),
        (Opinion::Agree, None),
        (Opinion::Heavier, Some(80_000)),
        (Opinion::NoPenalty, None),
    ];
    for (user_id, (opinion, amount)) in sitting.iter().zip(opinions) {
        let v = viewer(&db, *user_id).await;
        service::penalties::give_opinion(&db, &Actor { viewer: &v, now: day }, id, opinion, "依据事实和裁量基准的意见。", amount)
            .await
            .unwrap();
    }
    let lighter = viewer(&db, sitting[2]).await;
    refused_with(
        service::penalties::give_opinion(&db, &Actor { viewer: &lighter, now: day }, id, Opinion::Lighter, "从轻。", None).await,
        Rule::SuggestedAmountRequired,
    );
    // revised: the one for "no penalty" agrees after all
    let sixth = viewer(&db, sitting[5]).await;
    service::penalties::give_opinion(&db, &Actor { viewer: &sixth, now: day }, id, Opinion::Agree, "改为同意。", None).await.unwrap();
    let due = at + Duration::days(10);
    refused_with(
        service::penalties::give_opinion(
            &db,
            &Actor { viewer: &sixth, now: due + Duration::minutes(1) },
            id,
            Opinion::Agree,
            "太晚了。",
            None,
        )
        .await,
        Rule::OpinionDeadlinePassed { due },
    );
    let public = db.penalty_detail(id, None, day).await.unwrap().unwrap();
    assert_eq!((public.sitting, public.given), (7, 6));
    assert!(public.opinions.is_empty(), "opinions are published with the outcome");

    // closing: not before the deadline; after it, the silent seventh is replaced by the last reserve
    refused_with(service::penalties::close_review(&db, &by(due), id).await, Rule::ReviewStillOpen { due });
    let closed = service::penalties::close_review(&db, &by(due + Duration::hours(1)), id).await.unwrap();
    let new_due = due + Duration::hours(1) + Duration::days(penalty::REPLACEMENT_DAYS);
    assert_eq!(closed, Closed::Replaced(1, new_due));
    let all = seats(db.clone()).await;
    assert_eq!(all.iter().find(|s| s.user_id == sitting[6]).unwrap().state, SeatState::Missed);
    let last = viewer(&db, reserves[1]).await;
    service::penalties::give_opinion(&db, &Actor { viewer: &last, now: due + Duration::days(1) }, id, Opinion::Agree, "同意。", None)
        .await
        .unwrap();
    let closed = service::penalties::close_review(&db, &by(new_due + Duration::minutes(1)), id).await.unwrap();
    assert_eq!(closed, Closed::Concluded(Opinion::Agree));

    // concluded: the breakdown and the anonymous opinions are public
    let concluded_at = new_due + Duration::minutes(1);
    let public = db.penalty_detail(id, None, concluded_at).await.unwrap().unwrap();
    let panel_opinion = public.panel.clone().unwrap();
    assert_eq!(
        (panel_opinion.opinion, panel_opinion.breakdown.clone(), panel_opinion.absolute_majority),
        (Opinion::Agree, vec![0, 1, 5, 1], true)
    );
    assert_eq!(public.opinions.len(), 7);
    assert_no_personal_data("the concluded case", &serde_json::to_string(&public).unwrap());
    let json = serde_json::to_string(&public).unwrap();
    for r in &p.reviewers {
        let name = viewer(&db, *r).await.display_name;
        assert!(!json.contains(&format!("\"{name}\"")), "a panelist's name is published: {name}");
    }

    // the reply, with its reasons checked for personal data too
    let replied_at = concluded_at + Duration::days(3);
    refused_with(
        service::penalties::reply(&db, &by(replied_at), id, ReplyKind::Adopted, "王建国已改正。", PenaltyKind::Fine, Some(50_000)).await,
        Rule::UnmaskedPersonalData { kind: PiiKind::Name, line: 1, column: 1, excerpt: "王**".into() },
    );
    refused_with(
        service::penalties::reply(&db, &by(replied_at), id, ReplyKind::Adopted, "采纳。", PenaltyKind::Fine, None).await,
        Rule::PenaltyAmountRequired,
    );
    service::penalties::reply(
        &db,
        &by(replied_at),
        id,
        ReplyKind::Adopted,
        "采纳评议小组意见，维持拟处罚决定。",
        PenaltyKind::Fine,
        Some(50_000),
    )
    .await
    .unwrap();
    let (_, follow, _) = db.penalty_cases(CaseFilter::default(), i64::MAX, 20, replied_at).await.unwrap();
    assert_eq!(follow.len(), 1);
    assert_eq!((follow[0].adopted, follow[0].followed_percent()), (1, Some(100)));
    let public = db.penalty_detail(id, None, replied_at).await.unwrap().unwrap();
    assert_eq!(public.reply.as_ref().map(|r| r.kind), Some(ReplyKind::Adopted));
    assert!(!public.summary.overdue);
    assert!(store::audit::verify(&db).await.unwrap().broken.is_none(), "the audit chains hold");
}

async fn the_pool_has_terms_and_conflicts_a_small_pool_is_refused_and_a_late_reply_is_overdue(db: Db) {
    let p = people(&db, 6).await;
    let official = viewer(&db, p.official).await;
    let by = |now| Actor { viewer: &official, now };
    let id = published_case(&db, &p, t0(), 7).await;
    // 6 in the pool, 7 needed
    let before = audit_count(&db).await;
    refused_with(
        service::penalties::draw_panel(&db, &by(t0()), id, 7, 10).await,
        Rule::PoolTooSmall { eligible: 6, needed: 7, excluded: 0 },
    );
    assert_eq!(audit_count(&db).await, before, "a refusal writes nothing");
    // a panel of 5 is drawn; its panelists cannot leave the pool while it runs
    service::penalties::draw_panel(&db, &by(t0()), id, 5, 5).await.unwrap();
    let mut tx = db.begin_read().await.unwrap();
    let seats = store::penalties::seats(&mut tx, id).await.unwrap();
    drop(tx);
    let panelist = seats.iter().find(|s| s.state == SeatState::Invited).unwrap().user_id;
    let pv = viewer(&db, panelist).await;
    refused_with(service::penalties::leave_pool(&db, &Actor { viewer: &pv, now: t0() }).await, Rule::StillOnPanel);
    // a second case finds the five busy on the first panel
    let second = published_case(&db, &p, t0(), 5).await;
    refused_with(
        service::penalties::draw_panel(&db, &by(t0()), second, 5, 10).await,
        Rule::PoolTooSmall { eligible: 1, needed: 5, excluded: 5 },
    );
    // a declined invitation leaves the panel to the only reserve; accepting works once
    service::penalties::answer_invitation(&db, &Actor { viewer: &pv, now: t0() }, id, true).await.unwrap();
    refused_with(service::penalties::answer_invitation(&db, &Actor { viewer: &pv, now: t0() }, id, true).await, Rule::InvitationAnswered);

    // all five agree; concluded; no reply within 15 days: overdue
    let due = t0() + Duration::days(5);
    for s in seats.iter().filter(|s| s.state == SeatState::Invited) {
        let v = viewer(&db, s.user_id).await;
        service::penalties::give_opinion(&db, &Actor { viewer: &v, now: t0() + Duration::days(1) }, id, Opinion::Agree, "同意。", None)
            .await
            .unwrap();
    }
    let concluded_at = due + Duration::hours(1);
    assert_eq!(service::penalties::close_review(&db, &by(concluded_at), id).await.unwrap(), Closed::Concluded(Opinion::Agree));
    let on_time = concluded_at + Duration::days(penalty::REPLY_DAYS);
    assert!(!db.penalty_detail(id, None, on_time).await.unwrap().unwrap().summary.overdue);
    let late = on_time + Duration::minutes(1);
    assert!(db.penalty_detail(id, None, late).await.unwrap().unwrap().summary.overdue);
    let (_, follow, _) = db.penalty_cases(CaseFilter::default(), i64::MAX, 20, late).await.unwrap();
    assert_eq!((follow[0].overdue, follow[0].replied(), follow[0].followed_percent()), (1, 0, None));
    // once concluded, the panelists may leave; the case cannot be withdrawn any more
    service::penalties::leave_pool(&db, &Actor { viewer: &pv, now: late }).await.unwrap();
    refused_with(
        service::penalties::withdraw(&db, &by(late), id, "当事人已履行。").await,
        Rule::CaseNotInState { status: CaseStatus::Concluded },
    );

    // terms: a reviewer approved for one year leaves the pool when it ends, unless renewed
    let admin_v = viewer(&db, p.admin).await;
    let x = user(&db, "term@example.cn", &[Role::Citizen], None).await;
    let xv = viewer(&db, x).await;
    let m = service::penalties::volunteer(&db, &Actor { viewer: &xv, now: t0() }, "愿意参与评议工作。", &[]).await.unwrap();
    refused_with(service::penalties::volunteer(&db, &Actor { viewer: &xv, now: t0() }, "再次申请。", &[]).await, Rule::AlreadyInPool);
    refused_with(service::penalties::approve(&db, &Actor { viewer: &admin_v, now: t0() }, m, 6).await, Rule::OutOfRange { min: 1, max: 5 });
    let ends = service::penalties::approve(&db, &Actor { viewer: &admin_v, now: t0() }, m, 1).await.unwrap();
    let in_pool = |db: Db, at: DateTime<Utc>| async move {
        let mut tx = db.begin_read().await.unwrap();
        store::penalties::candidates(&mut tx, at).await.unwrap().iter().any(|(_, c)| c.user_id == x)
    };
    assert!(in_pool(db.clone(), ends - Duration::days(1)).await);
    assert!(!in_pool(db.clone(), ends + Duration::days(1)).await, "the term ended");
    let renewed = service::penalties::approve(&db, &Actor { viewer: &admin_v, now: ends - Duration::days(1) }, m, 2).await.unwrap();
    assert_eq!(renewed, penalty::term_end(ends, 2));
    assert!(in_pool(db.clone(), ends + Duration::days(1)).await, "renewed");
}

on_both_databases!(
    a_case_goes_from_masking_through_the_panel_to_the_reply_and_the_public_never_reads_the_party,
    the_pool_has_terms_and_conflicts_a_small_pool_is_refused_and_a_late_reply_is_overdue,
);
