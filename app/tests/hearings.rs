//! Hearings through the services, each on SQLite and on PostgreSQL: a pricing proposal
//! is adopted only once its hearing's report is published; the deadlines, officers and
//! venue are checked at scheduling; the draw fills the seats with the quotas and can be
//! re-run; a refused action writes nothing.

#[macro_use]
mod common;

use common::{refused_with, t0, user, viewer};

use app::{
    backend::{
        service::{
            self,
            gates::{FileOwner, StoredFileRow},
            hearings::ScheduleInput,
            Actor,
        },
        store::{self, hearings::ApplicantFilter},
        Db,
    },
    domain::{
        draw,
        feedback::{Decision, FeedbackItem, FeedbackTarget},
        gate::{Gate, GateState, GateSubject},
        hearing::{ApplicationState, Confirmation, Constituency, Deadline, HearingStatus, NoticeKind, Schedule, Seats},
        proposal::{PolicyDomain, ProposalKind},
        role::Role,
        Rule,
    },
    model::HearingReport,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A published pricing (or other) proposal whose window closed a day before `t0()`.
async fn closed_proposal(db: &Db, agency: i64, official: i64, domains: &[PolicyDomain]) -> i64 {
    common::closed_proposal(db, agency, official, ProposalKind::PolicyAdjustment, domains, "居民生活用水价格调整方案").await
}

struct People {
    agency: i64,
    official: i64,
    organizer: i64,
    officers: Vec<String>,
}

async fn people(db: &Db) -> People {
    let agency = db.ensure_agency("fgw", "市发展改革委", "Development and Reform Commission").await.unwrap();
    let other = db.ensure_agency("sfj", "市司法局", "Justice").await.unwrap();
    let official = user(db, "o@example.cn", &[Role::Official], Some(agency)).await;
    let organizer = user(db, "org@example.cn", &[Role::Organizer], Some(other)).await;
    user(db, "staff@example.cn", &[Role::Official], Some(agency)).await;
    let mut officers = Vec::new();
    for i in 1..=3 {
        let email = format!("officer{i}@example.cn");
        user(db, &email, &[Role::Citizen], if i == 1 { Some(other) } else { None }).await;
        officers.push(email);
    }
    People { agency, official, organizer, officers }
}

fn input(proposal_id: i64, officers: &[String], venue: &str, starts_at: DateTime<Utc>, seats: u32) -> ScheduleInput {
    ScheduleInput {
        proposal_id,
        venue: venue.into(),
        schedule: Schedule { starts_at, ends_at: starts_at + Duration::hours(3), apply_until: starts_at - Duration::days(20) },
        seats: Seats { participants: seats, observers: 10, press: 5 },
        plan_summary: "居民用水价格由每立方米 2.8 元调整为 3.2 元，实行三级阶梯。".into(),
        officers: officers.to_vec(),
        reason: None,
    }
}

async fn audit_count(db: &Db) -> u64 {
    store::audit::verify(db).await.unwrap().entries
}

async fn hearing_state(db: &Db, gate_subject: GateSubject, now: DateTime<Utc>) -> GateState {
    db.gate_board(gate_subject, now).await.unwrap().unwrap().0.rows.into_iter().find(|r| r.gate == Gate::Hearing).unwrap().state
}

/// Applicants in a fixed mix: every 3rd a consumer, every 7th low-income.
async fn apply_many(db: &Db, hearing: i64, n: usize, now: DateTime<Utc>) -> Vec<i64> {
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let id = user(db, &format!("c{i}@example.cn"), &[Role::Citizen], None).await;
        let v = viewer(db, id).await;
        let c = [Constituency::Consumer, Constituency::Operator, Constituency::Expert][i % 3];
        service::hearings::apply(db, &Actor { viewer: &v, now }, hearing, c, i % 7 == 3, "作为居民用户发言").await.unwrap();
        users.push(id);
    }
    users
}

async fn a_pricing_proposal_is_adopted_only_after_its_hearing_report(db: Db) {
    let p = people(&db).await;
    let id = closed_proposal(&db, p.agency, p.official, &[PolicyDomain::Pricing]).await;
    let subject = GateSubject::Proposal(id);
    let official = viewer(&db, p.official).await;
    let organizer = viewer(&db, p.organizer).await;
    let by_official = |now| Actor { viewer: &official, now };
    let by_organizer = |now| Actor { viewer: &organizer, now };
    let items = [FeedbackItem { target: FeedbackTarget::Clause(1), decision: Decision::Adopted, reason: "采纳".into() }];
    service::proposals::publish_feedback(&db, &by_official(t0()), id, "总体说明", &items).await.unwrap();
    refused_with(service::proposals::adopt(&db, &by_official(t0()), id).await, Rule::GatesUnmet { gates: vec![Gate::Hearing] });
    assert_eq!(hearing_state(&db, subject, t0()).await, GateState::Missing);

    // scheduling: officers checked, then accepted with the hearing 40 days out
    let starts = t0() + Duration::days(40);
    let before = audit_count(&db).await;
    refused_with(
        service::hearings::schedule(&db, &by_organizer(t0()), input(id, &p.officers[..2], "市政务服务中心三楼听证厅", starts, 15)).await,
        Rule::OfficerCount { min: 3, max: 5, given: 2 },
    );
    let mut staff = p.officers.clone();
    staff[2] = "staff@example.cn".into();
    refused_with(
        service::hearings::schedule(&db, &by_organizer(t0()), input(id, &staff, "市政务服务中心三楼听证厅", starts, 15)).await,
        Rule::OfficerFromProposingAgency { name: "测试用户".into() },
    );
    let mut drafter = p.officers.clone();
    drafter[0] = "o@example.cn".into();
    refused_with(
        service::hearings::schedule(&db, &by_organizer(t0()), input(id, &drafter, "市政务服务中心三楼听证厅", starts, 15)).await,
        Rule::OfficerFromProposingAgency { name: "测试用户".into() },
    );
    refused_with(
        service::hearings::schedule(&db, &by_official(t0()), input(id, &p.officers, "市政务服务中心三楼听证厅", starts, 15)).await,
        Rule::OrganizerOnly,
    );
    assert_eq!(audit_count(&db).await, before, "a refused schedule writes nothing");
    let h = service::hearings::schedule(&db, &by_organizer(t0()), input(id, &p.officers, "市政务服务中心三楼听证厅", starts, 15))
        .await
        .unwrap();
    refused_with(
        service::hearings::schedule(&db, &by_organizer(t0()), input(id, &p.officers, "别处", starts, 15)).await,
        Rule::HearingUnderway { hearing: h },
    );

    // the call, applications, and their refusals
    let citizen = user(&db, "early@example.cn", &[Role::Citizen], None).await;
    let early = viewer(&db, citizen).await;
    refused_with(
        service::hearings::apply(&db, &Actor { viewer: &early, now: t0() }, h, Constituency::Consumer, false, "我想发言").await,
        Rule::ApplicationsClosed { closed_at: starts - Duration::days(20) },
    );
    service::hearings::publish_call(&db, &by_organizer(t0() + Duration::hours(1)), h).await.unwrap();
    assert_eq!(db.hearing_summary(h).await.unwrap().unwrap().status, HearingStatus::CallOpen);
    let apply_time = t0() + Duration::days(2);
    let officer = db.user_by_email("officer2@example.cn").await.unwrap().unwrap().id;
    let officer = viewer(&db, officer).await;
    refused_with(
        service::hearings::apply(&db, &Actor { viewer: &officer, now: apply_time }, h, Constituency::Expert, false, "我是听证人").await,
        Rule::OfficerCannotApply,
    );
    let users = apply_many(&db, h, 300, apply_time).await;
    let first = viewer(&db, users[0]).await;
    refused_with(
        service::hearings::apply(&db, &Actor { viewer: &first, now: apply_time }, h, Constituency::Consumer, false, "再报一次").await,
        Rule::AlreadyApplied,
    );
    let closes = starts - Duration::days(20);
    refused_with(
        service::hearings::apply(&db, &Actor { viewer: &early, now: closes }, h, Constituency::Consumer, false, "太晚了").await,
        Rule::ApplicationsClosed { closed_at: closes },
    );
    refused_with(
        service::hearings::run_draw(&db, &by_organizer(closes - Duration::minutes(1)), h).await,
        Rule::DrawBeforeApplicationsClose { closes_at: closes },
    );

    // the organizer's list pages through 300 applicants, 50 at a time, filtered
    let page = db.hearing_applicants(h, ApplicantFilter::default(), 0, 50).await.unwrap();
    assert_eq!(page.items.len(), 50);
    let last = page.next.unwrap().parse::<i64>().unwrap();
    let page2 = db.hearing_applicants(h, ApplicantFilter::default(), last, 50).await.unwrap();
    assert!(page2.items[0].id > last);
    let consumers = db
        .hearing_applicants(h, ApplicantFilter { constituency: Some(Constituency::Consumer), ..Default::default() }, 0, 500)
        .await
        .unwrap();
    assert_eq!(consumers.items.len(), 100);

    // the draw: 15 seats, at least 6 consumers, a low-income applicant, verifiable
    let record = service::hearings::run_draw(&db, &by_organizer(closes), h).await.unwrap();
    assert_eq!(record.outcome.selected.len(), 15);
    let selected: Vec<_> = record.applicants.iter().filter(|a| record.outcome.selected.contains(&a.ordinal)).collect();
    assert!(selected.iter().filter(|a| a.constituency == Constituency::Consumer).count() >= 6);
    assert!(selected.iter().any(|a| a.low_income));
    let published = db.hearing_draw(h).await.unwrap().unwrap();
    assert!(published.verified);
    let seed = draw::Seed::from_hex(&published.seed).unwrap();
    assert_eq!(draw::draw(&seed, &published.applicants, 15), published.outcome, "anyone re-running it gets the same");
    refused_with(service::hearings::run_draw(&db, &by_organizer(closes), h).await, Rule::DrawAlreadyRun);

    // a participant declines: the seat goes to the waiting list, who is told
    let detail = db.hearing_detail(h, Some((p.organizer, true))).await.unwrap().unwrap();
    assert_eq!(detail.participants.len(), 15);
    let decliner = users[(selected[0].ordinal - 1) as usize];
    let d = viewer(&db, decliner).await;
    let replaced = service::hearings::decline(&db, &Actor { viewer: &d, now: closes }, h).await.unwrap();
    assert!(replaced.is_some());
    let after = db.hearing_detail(h, Some((p.organizer, true))).await.unwrap().unwrap();
    assert_eq!(after.participants.len(), 15);
    assert!(after.participants.iter().all(|x| x.name.is_empty() || x.state == ApplicationState::Selected));

    // the speaking order: the last drawn speaks first, for 10 minutes; 31 minutes is refused
    let last = after.participants.last().unwrap().application_id;
    service::hearings::set_speaker(&db, &by_organizer(closes), h, last, 1, 10).await.unwrap();
    refused_with(service::hearings::set_speaker(&db, &by_organizer(closes), h, last, 1, 31).await, Rule::OutOfRange { min: 1, max: 30 });
    let ordered = db.hearing_detail(h, None).await.unwrap().unwrap();
    assert!(ordered.participants.is_empty(), "the lists are not public yet");
    let ordered = db.hearing_detail(h, Some((p.organizer, true))).await.unwrap().unwrap();
    assert_eq!((ordered.participants[0].application_id, ordered.participants[0].speaker_minutes), (last, Some(10)));

    // lists and materials 15 days before; record and report after the session
    let lists_at = starts - Duration::days(16);
    service::hearings::publish_lists(&db, &by_organizer(lists_at), h).await.unwrap();
    refused_with(
        service::hearings::publish_report(&db, &by_organizer(lists_at), h, &report(lists_at)).await,
        Rule::HearingNotHeldYet { starts_at: starts },
    );
    refused_with(service::hearings::send_materials(&db, &by_organizer(lists_at), h, None).await, Rule::MaterialsMissing);
    let file = StoredFileRow {
        object_key: "evidence/2026/12/hearing-1".into(),
        original_name: "水价调整方案及成本监审报告.pdf".into(),
        content_type: "pdf".into(),
        size: 2048,
        sha256: "cd".repeat(32),
    };
    service::gates::attach_file(&db, &by_organizer(lists_at), FileOwner::Hearing(h), &file).await.unwrap();
    service::hearings::send_materials(&db, &by_organizer(lists_at), h, None).await.unwrap();
    refused_with(
        service::hearings::write_record(&db, &by_organizer(starts - Duration::minutes(1)), h, "会议记录").await,
        Rule::HearingNotHeldYet { starts_at: starts },
    );
    service::hearings::write_record(&db, &by_organizer(starts + Duration::hours(3)), h, "听证会按议程进行，15 名参加人发言。")
        .await
        .unwrap();

    // art. 17: only participants answer the record
    let outsider = viewer(&db, citizen).await;
    refused_with(
        service::hearings::answer_record(
            &db,
            &Actor { viewer: &outsider, now: starts + Duration::days(1) },
            h,
            Confirmation::Confirmed,
            None,
        )
        .await,
        Rule::NotAParticipant,
    );
    let participant = users[(selected[1].ordinal - 1) as usize];
    let pv = viewer(&db, participant).await;
    service::hearings::answer_record(&db, &Actor { viewer: &pv, now: starts + Duration::days(1) }, h, Confirmation::Confirmed, None)
        .await
        .unwrap();
    refused_with(
        service::hearings::answer_record(&db, &Actor { viewer: &pv, now: starts + Duration::days(1) }, h, Confirmation::Confirmed, None)
            .await,
        Rule::RecordAlreadyAnswered,
    );
    let (notices, unread) = db.hearing_notices(participant, 10).await.unwrap();
    assert!(unread >= 3);
    let kinds: Vec<_> = notices.iter().map(|n| n.kind).collect();
    assert!(
        kinds.contains(&NoticeKind::Selected) && kinds.contains(&NoticeKind::Materials) && kinds.contains(&NoticeKind::Record),
        "{kinds:?}"
    );
    assert!(db.may_read_materials(h, Some((participant, false))).await.unwrap());
    assert!(!db.may_read_materials(h, Some((citizen, false))).await.unwrap());

    // the report meets the gate; adoption goes through
    let done = starts + Duration::days(2);
    assert_eq!(hearing_state(&db, subject, done).await, GateState::Missing);
    service::hearings::publish_report(&db, &by_organizer(done), h, &report(done)).await.unwrap();
    assert_eq!(hearing_state(&db, subject, done).await, GateState::Met);
    assert!(db.may_read_materials(h, None).await.unwrap(), "public once the report is out");
    service::proposals::adopt(&db, &by_official(done), id).await.unwrap();
    let actions: Vec<String> = db.audit_for("hearing", h).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(actions.first().map(String::as_str), Some("hearing_scheduled"));
    assert!(actions.contains(&"hearing_drawn".to_owned()) && actions.contains(&"hearing_report_published".to_owned()));
    assert_eq!(actions.iter().filter(|a| *a == "hearing_applied").count(), 300);
    assert_eq!(store::audit::verify(&db).await.unwrap().broken, None);
}

fn report(now: DateTime<Utc>) -> HearingReport {
    HearingReport {
        summary: "多数参加人同意调整，建议加大低收入家庭补贴。".into(),
        consumer: "消费者代表关注阶梯水量设置。".into(),
        operator: "供水企业说明成本构成。".into(),
        expert: String::new(),
        other: String::new(),
        published_at: now,
    }
}

async fn deadlines_and_the_venue_are_checked_and_a_refusal_writes_nothing(db: Db) {
    let p = people(&db).await;
    let a = closed_proposal(&db, p.agency, p.official, &[PolicyDomain::Pricing]).await;
    let b = closed_proposal(&db, p.agency, p.official, &[PolicyDomain::Education]).await;
    let organizer = viewer(&db, p.organizer).await;
    let by = Actor { viewer: &organizer, now: t0() };
    let before = audit_count(&db).await;
    // 29 days out: the call cannot be 30 days before; the earliest date that works is named
    refused_with(
        service::hearings::schedule(&db, &by, input(a, &p.officers, "市民中心", t0() + Duration::days(29), 15)).await,
        Rule::HearingDeadline { deadline: Deadline::Call, days: 30, earliest: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap() },
    );
    assert_eq!(audit_count(&db).await, before);
    let starts = t0() + Duration::days(45);
    service::hearings::schedule(&db, &by, input(a, &p.officers, "市民中心 A厅", starts, 15)).await.unwrap();
    // the same hall, written another way, overlapping by an hour
    let clash = service::hearings::schedule(&db, &by, input(b, &p.officers, "市民中心  a厅", starts + Duration::hours(2), 15)).await;
    match clash {
        Err(service::ServiceError::Refused(errors)) => assert!(matches!(errors[0].rule, Rule::VenueTaken { .. }), "{errors:?}"),
        other => panic!("expected a venue clash, got {other:?}"),
    }
    // back to back is fine
    let second =
        service::hearings::schedule(&db, &by, input(b, &p.officers, "市民中心 A厅", starts + Duration::hours(3), 15)).await.unwrap();
    // a postponement goes later, with its reason, and the venue must be free then too
    let first = db.hearings_of_proposal(a).await.unwrap()[0].id;
    refused_with(
        service::hearings::postpone(
            &db,
            &by,
            first,
            starts - Duration::days(1),
            starts - Duration::days(1) + Duration::hours(2),
            "场地检修",
        )
        .await,
        Rule::PostponeMustBeLater { current: starts },
    );
    match service::hearings::postpone(&db, &by, first, starts + Duration::hours(4), starts + Duration::hours(6), "场地检修").await {
        Err(service::ServiceError::Refused(errors)) => {
            assert!(matches!(errors[0].rule, Rule::VenueTaken { hearing, .. } if hearing == second), "{errors:?}")
        }
        other => panic!("expected a venue clash, got {other:?}"),
    }
    service::hearings::postpone(&db, &by, first, starts + Duration::days(7), starts + Duration::days(7) + Duration::hours(3), "场地检修")
        .await
        .unwrap();
    let moved = db.hearing_detail(first, Some((p.organizer, true))).await.unwrap().unwrap();
    assert_eq!((moved.summary.starts_at, moved.summary.revision), (starts + Duration::days(7), 1));
    assert_eq!(moved.status_reason.as_deref(), Some("场地检修"));
    // a proposal that needs no hearing gets one only with a reason, and then the gate
    let c = closed_proposal(&db, p.agency, p.official, &[PolicyDomain::Transport]).await;
    refused_with(
        service::hearings::schedule(&db, &by, input(c, &p.officers, "市民中心 B厅", starts, 15)).await,
        Rule::HearingReasonRequired,
    );
    let mut with_reason = input(c, &p.officers, "市民中心 B厅", starts, 15);
    with_reason.reason = Some("涉及公交票价，社会关注度高".into());
    service::hearings::schedule(&db, &by, with_reason).await.unwrap();
    assert_eq!(hearing_state(&db, GateSubject::Proposal(c), t0()).await, GateState::Missing, "the hearing gate is on its checklist now");
}

async fn too_few_applicants_fill_what_they_can_and_a_cancelled_hearing_never_counts(db: Db) {
    let p = people(&db).await;
    let id = closed_proposal(&db, p.agency, p.official, &[PolicyDomain::Fees]).await;
    let organizer = viewer(&db, p.organizer).await;
    let by = |now| Actor { viewer: &organizer, now };
    let starts = t0() + Duration::days(40);
    let h = service::hearings::schedule(&db, &by(t0()), input(id, &p.officers, "区政府会议室", starts, 5)).await.unwrap();
    service::hearings::publish_call(&db, &by(t0()), h).await.unwrap();
    apply_many(&db, h, 3, t0() + Duration::days(1)).await;
    let closes = starts - Duration::days(20);
    // the call may be extended (before the draw), not beyond the lists' deadline
    refused_with(
        service::hearings::extend_call(&db, &by(closes), h, starts - Duration::days(10)).await,
        Rule::ApplicationsCloseTooLate { latest: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap() },
    );
    service::hearings::extend_call(&db, &by(closes), h, closes + Duration::days(2)).await.unwrap();
    let record = service::hearings::run_draw(&db, &by(closes + Duration::days(2)), h).await.unwrap();
    assert_eq!((record.outcome.selected.len(), record.outcome.unfilled), (3, 2));
    assert_eq!(db.hearing_detail(h, None).await.unwrap().unwrap().unfilled, 2);
    service::hearings::cancel(&db, &by(closes + Duration::days(3)), h, "水价调整方案撤回重拟").await.unwrap();
    let subject = GateSubject::Proposal(id);
    assert_eq!(hearing_state(&db, subject, closes + Duration::days(3)).await, GateState::Missing);
    refused_with(
        service::hearings::cancel(&db, &by(closes + Duration::days(3)), h, "再取消一次").await,
        Rule::HearingNotInState { status: HearingStatus::Cancelled },
    );
    // a new hearing can follow the cancelled one
    let later = closes + Duration::days(3) + Duration::days(35);
    service::hearings::schedule(&db, &by(closes + Duration::days(3)), input(id, &p.officers, "区政府会议室", later, 5)).await.unwrap();
}

on_both_databases!(
    a_pricing_proposal_is_adopted_only_after_its_hearing_report,
    deadlines_and_the_venue_are_checked_and_a_refusal_writes_nothing,
    too_few_applicants_fill_what_they_can_and_a_cancelled_hearing_never_counts,
);
