//! Gates with their evidence, through the services, each on SQLite and on PostgreSQL:
//! adoption and "proceed" are refused while a gate lacks its evidence, reviewers'
//! separation of duties, the legality review's working days, and a refused action leaves
//! no audit entry.

#[macro_use]
mod common;

use common::{refused_with, t0, user, viewer};

use app::{
    backend::{
        service::{
            self,
            gates::{AssessmentInput, FileOwner, StoredFileRow},
            Actor,
        },
        store, Db,
    },
    domain::{
        calendar::DayKind,
        feedback::{Decision, FeedbackItem, FeedbackTarget},
        gate::{Gate, GateState, GateSubject},
        project::{ProjectKind, ProjectStatus},
        proposal::{PolicyDomain, ProposalKind},
        review::{AssessmentMethod, AssessmentStatus, Decided, LegalityOpinion, RiskLevel, Verdict},
        role::Role,
        Rule,
    },
};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A published proposal of `kind` whose window closed a day before `t0()`.
async fn closed_proposal(db: &Db, agency: i64, official: i64, kind: ProposalKind, domains: &[PolicyDomain]) -> i64 {
    common::closed_proposal(db, agency, official, kind, domains, "轨道交通线网规划调整").await
}

fn assessment(level: RiskLevel) -> AssessmentInput {
    AssessmentInput {
        level,
        method: AssessmentMethod::ExpertReview,
        risk_points: "沿线居民出行受施工影响".into(),
        prevention: "分段施工，夜间停工".into(),
        response_plan: "设立投诉热线，24小时响应".into(),
    }
}

/// The row a stored, checked file becomes (the object itself is the file store's).
fn report(key: &str) -> StoredFileRow {
    StoredFileRow {
        object_key: key.to_owned(),
        original_name: "稳评报告.pdf".into(),
        content_type: "pdf".into(),
        size: 1024,
        sha256: "ab".repeat(32),
    }
}

async fn audit_count(db: &Db) -> u64 {
    store::audit::verify(db).await.unwrap().entries
}

async fn states(db: &Db, subject: GateSubject, now: DateTime<Utc>) -> Vec<(Gate, GateState)> {
    db.gate_board(subject, now).await.unwrap().unwrap().0.rows.into_iter().map(|r| (r.gate, r.state)).collect()
}

struct People {
    agency: i64,
    official: i64,
    reviewer: i64,
    second_reviewer: i64,
    colleague_reviewer: i64,
}

async fn people(db: &Db) -> People {
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let office = db.ensure_agency("sfj", "市司法局", "Justice").await.unwrap();
    People {
        agency,
        official: user(db, "o@example.cn", &[Role::Official], Some(agency)).await,
        reviewer: user(db, "r@example.cn", &[Role::Reviewer], Some(office)).await,
        second_reviewer: user(db, "r2@example.cn", &[Role::Reviewer], None).await,
        colleague_reviewer: user(db, "rc@example.cn", &[Role::Reviewer, Role::Admin], Some(agency)).await,
    }
}

async fn major_decision_is_adopted_only_once_risk_and_legality_are_on_file(db: Db) {
    let p = people(&db).await;
    let id = closed_proposal(&db, p.agency, p.official, ProposalKind::MajorDecision, &[PolicyDomain::Transport]).await;
    let subject = GateSubject::Proposal(id);
    let official = viewer(&db, p.official).await;
    let reviewer = viewer(&db, p.reviewer).await;
    let at = |now| Actor { viewer: &official, now };
    let items = [FeedbackItem { target: FeedbackTarget::Clause(1), decision: Decision::Adopted, reason: "采纳意见".into() }];
    service::proposals::publish_feedback(&db, &at(t0()), id, "总体说明", &items).await.unwrap();
    refused_with(
        service::proposals::adopt(&db, &at(t0()), id).await,
        Rule::GatesUnmet { gates: vec![Gate::StabilityRisk, Gate::LegalityReview] },
    );

    // the assessment: submitted, its report attached, approved by a reviewer of another agency
    let a = service::gates::submit_assessment(&db, &at(t0()), subject, assessment(RiskLevel::Low)).await.unwrap();
    assert_eq!(states(&db, subject, t0()).await[2], (Gate::StabilityRisk, GateState::AwaitingReview));
    let by_reviewer = Actor { viewer: &reviewer, now: t0() };
    refused_with(service::gates::decide_assessment(&db, &by_reviewer, a, Verdict::Approve, "风险可控").await, Rule::ReportFileRequired);
    service::gates::attach_file(&db, &at(t0()), FileOwner::Assessment(a), &report("evidence/2026/11/aaaa")).await.unwrap();
    assert_eq!(service::gates::decide_assessment(&db, &by_reviewer, a, Verdict::Approve, "风险可控").await.unwrap(), Decided::Approved);

    // the legality review: requested Monday 2026-11-02 (Beijing), opinion from the 7th working day
    let requested = t0() + Duration::days(1); // 2026-11-02 10:00 Beijing
    let r = service::gates::request_legality(&db, &at(requested), subject, "草案及起草说明").await.unwrap();
    let early = Actor { viewer: &reviewer, now: requested + Duration::days(3) };
    refused_with(
        service::gates::record_opinion(&db, &early, r, LegalityOpinion::Lawful, "合法").await,
        Rule::ReviewTimeNotElapsed { min_working_days: 7, elapsed: 3, earliest: NaiveDate::from_ymd_opt(2026, 11, 11).unwrap() },
    );
    let on_time = Actor { viewer: &reviewer, now: requested + Duration::days(9) };
    service::gates::record_opinion(&db, &on_time, r, LegalityOpinion::LawfulWithChanges, "第二条需修改表述").await.unwrap();
    let now = requested + Duration::days(9);
    assert!(states(&db, subject, now).await.iter().all(|(_, s)| *s == GateState::Met));
    service::proposals::adopt(&db, &at(now), id).await.unwrap();

    let board = db.gate_board(subject, now).await.unwrap().unwrap().0;
    assert_eq!(board.assessments[0].status, AssessmentStatus::Approved);
    assert_eq!(board.assessments[0].control_measures.as_deref(), Some("分段施工，夜间停工"), "written into the approval");
    assert_eq!(board.assessments[0].decisions[0].reason, "风险可控");
    assert_eq!(board.legality[0].working_days, 7);
    assert_eq!(board.assessments[0].files[0].sha256, "ab".repeat(32));
    let actions: Vec<String> = db.audit_for("proposal", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        [
            "drafted",
            "published",
            "feedback_published",
            "assessment_submitted",
            "file_attached",
            "assessment_decided",
            "legality_requested",
            "opinion_recorded",
            "adopted"
        ]
    );
    assert_eq!(store::audit::verify(&db).await.unwrap().broken, None);
}

async fn refused_decisions_leave_no_audit_entry(db: Db) {
    let p = people(&db).await;
    let id = closed_proposal(&db, p.agency, p.official, ProposalKind::ReformPlan, &[PolicyDomain::Other]).await;
    let subject = GateSubject::Proposal(id);
    let official = viewer(&db, p.official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    let high = service::gates::submit_assessment(&db, &by_official, subject, assessment(RiskLevel::High)).await.unwrap();
    service::gates::attach_file(&db, &by_official, FileOwner::Assessment(high), &report("evidence/2026/11/bbbb")).await.unwrap();
    let colleague = viewer(&db, p.colleague_reviewer).await;
    let reviewer = viewer(&db, p.reviewer).await;
    let before = audit_count(&db).await;

    let by_colleague = Actor { viewer: &colleague, now: t0() };
    let by_reviewer = Actor { viewer: &reviewer, now: t0() };
    // own agency (an admin too: no role bypasses separation of duties)
    refused_with(service::gates::decide_assessment(&db, &by_colleague, high, Verdict::Approve, "同意").await, Rule::OwnAgencySubmission);
    // a high-risk assessment "approved to proceed"
    refused_with(service::gates::decide_assessment(&db, &by_reviewer, high, Verdict::Approve, "同意").await, Rule::HighRiskCannotProceed);
    // mitigation answers a medium risk only
    refused_with(service::gates::attach_mitigation(&db, &by_official, high, "补充措施").await, Rule::MitigationOnlyForMedium);
    // the reviewer may not submit evidence for another agency
    refused_with(service::gates::submit_assessment(&db, &by_reviewer, subject, assessment(RiskLevel::Low)).await, Rule::NotYourAgency);
    // nobody may adopt with the gate unmet
    refused_with(
        service::proposals::adopt(&db, &by_official, id).await,
        Rule::GatesUnmet { gates: vec![Gate::FeedbackReport, Gate::StabilityRisk] },
    );
    assert_eq!(audit_count(&db).await, before, "a refusal writes nothing, not even an audit entry");
    assert_eq!(states(&db, subject, t0()).await[2], (Gate::StabilityRisk, GateState::HighRisk));

    // a new assessment supersedes the high one; medium needs mitigation, then is approved as low
    let medium = service::gates::submit_assessment(&db, &by_official, subject, assessment(RiskLevel::Medium)).await.unwrap();
    service::gates::attach_file(&db, &by_official, FileOwner::Assessment(medium), &report("evidence/2026/11/cccc")).await.unwrap();
    assert_eq!(states(&db, subject, t0()).await[2], (Gate::StabilityRisk, GateState::MitigationRequired));
    refused_with(service::gates::decide_assessment(&db, &by_reviewer, medium, Verdict::Approve, "同意").await, Rule::MitigationRequired);
    service::gates::attach_mitigation(&db, &by_official, medium, "增设临时公交接驳线").await.unwrap();
    service::gates::decide_assessment(&db, &by_reviewer, medium, Verdict::Approve, "化解措施到位，评定为低风险").await.unwrap();
    let board = db.gate_board(subject, t0()).await.unwrap().unwrap().0;
    assert_eq!(board.assessments.iter().map(|a| a.status).collect::<Vec<_>>(), [AssessmentStatus::Approved, AssessmentStatus::Superseded]);
    assert!(board.assessments[0].control_measures.as_deref().unwrap().contains("增设临时公交接驳线"));
    // a decided assessment takes no file
    refused_with(
        service::gates::attach_file(&db, &by_official, FileOwner::Assessment(medium), &report("evidence/2026/11/dddd")).await,
        Rule::AssessmentNotPending { status: AssessmentStatus::Approved },
    );
}

async fn two_independent_approvals_when_required(db: Db) {
    let p = people(&db).await;
    let admin = user(&db, "admin@example.cn", &[Role::Admin], None).await;
    let admin = viewer(&db, admin).await;
    service::gates::set_approvals(&db, &Actor { viewer: &admin, now: t0() }, "key_project", 2).await.unwrap();
    refused_with(
        service::gates::set_approvals(&db, &Actor { viewer: &admin, now: t0() }, "key_project", 3).await,
        Rule::ApprovalsOutOfRange { max: 2 },
    );
    let official = viewer(&db, p.official).await;
    let by_official = Actor { viewer: &official, now: t0() };
    let project =
        service::projects::register(&db, &by_official, ProjectKind::KeyProject, "地铁六号线", "全长 30 公里的地铁线路").await.unwrap();
    let a = service::gates::submit_assessment(&db, &by_official, GateSubject::Project(project), assessment(RiskLevel::Low)).await.unwrap();
    service::gates::attach_file(&db, &by_official, FileOwner::Assessment(a), &report("evidence/2026/11/eeee")).await.unwrap();
    let first = viewer(&db, p.reviewer).await;
    let second = viewer(&db, p.second_reviewer).await;
    let by_first = Actor { viewer: &first, now: t0() };
    assert_eq!(
        service::gates::decide_assessment(&db, &by_first, a, Verdict::Approve, "同意").await.unwrap(),
        Decided::ApprovalRecorded { approvals: 1, required: 2 }
    );
    refused_with(service::gates::decide_assessment(&db, &by_first, a, Verdict::Approve, "再次同意").await, Rule::AlreadyApprovedByYou);
    refused_with(service::projects::proceed(&db, &by_official, project).await, Rule::GatesUnmet { gates: vec![Gate::StabilityRisk] });
    service::gates::decide_assessment(&db, &Actor { viewer: &second, now: t0() }, a, Verdict::Approve, "同意").await.unwrap();
    service::projects::proceed(&db, &by_official, project).await.unwrap();
}

async fn a_high_risk_project_cannot_proceed_until_a_revised_low_one_is_approved(db: Db) {
    let p = people(&db).await;
    let official = viewer(&db, p.official).await;
    let reviewer = viewer(&db, p.reviewer).await;
    let by_official = Actor { viewer: &official, now: t0() };
    let by_reviewer = Actor { viewer: &reviewer, now: t0() };
    let project =
        service::projects::register(&db, &by_official, ProjectKind::KeyProject, "垃圾焚烧发电厂", "日处理生活垃圾 3000 吨").await.unwrap();
    let status = |db: Db| async move { db.project_detail(project).await.unwrap().unwrap().summary.status };
    assert_eq!(status(db.clone()).await, ProjectStatus::Proposed);
    let high =
        service::gates::submit_assessment(&db, &by_official, GateSubject::Project(project), assessment(RiskLevel::High)).await.unwrap();
    assert_eq!(status(db.clone()).await, ProjectStatus::Halted);
    refused_with(service::projects::proceed(&db, &by_official, project).await, Rule::GatesUnmet { gates: vec![Gate::StabilityRisk] });
    service::gates::decide_assessment(&db, &by_reviewer, high, Verdict::Reject, "邻避风险高，须调整选址").await.unwrap();

    let low =
        service::gates::submit_assessment(&db, &by_official, GateSubject::Project(project), assessment(RiskLevel::Low)).await.unwrap();
    assert_eq!(status(db.clone()).await, ProjectStatus::Assessing);
    service::gates::attach_file(&db, &by_official, FileOwner::Assessment(low), &report("evidence/2026/11/ffff")).await.unwrap();
    service::gates::decide_assessment(&db, &by_reviewer, low, Verdict::Approve, "选址调整后风险可控").await.unwrap();
    assert_eq!(status(db.clone()).await, ProjectStatus::Approved);
    service::projects::proceed(&db, &by_official, project).await.unwrap();
    assert_eq!(status(db.clone()).await, ProjectStatus::Proceeding);
    // a new assessment rated high halts a proceeding project
    service::gates::submit_assessment(&db, &by_official, GateSubject::Project(project), assessment(RiskLevel::High)).await.unwrap();
    let detail = db.project_detail(project).await.unwrap().unwrap();
    assert_eq!(detail.summary.status, ProjectStatus::Halted);
    assert!(detail.summary.halted_reason.is_some());
    let actions: Vec<String> = db.audit_for("project", project).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(actions.contains(&"project_proceeding".to_owned()), "{actions:?}");
}

async fn a_reviewer_adds_a_gate_that_the_agency_cannot_remove(db: Db) {
    let p = people(&db).await;
    let id = closed_proposal(&db, p.agency, p.official, ProposalKind::PolicyAdjustment, &[PolicyDomain::LandAndDemolition]).await;
    let subject = GateSubject::Proposal(id);
    let reviewer = viewer(&db, p.reviewer).await;
    let official = viewer(&db, p.official).await;
    let by_reviewer = Actor { viewer: &reviewer, now: t0() };
    refused_with(
        service::gates::add_gate(&db, &Actor { viewer: &official, now: t0() }, subject, Gate::StabilityRisk, "涉及征收").await,
        Rule::ReviewerOnly,
    );
    service::gates::add_gate(&db, &by_reviewer, subject, Gate::StabilityRisk, "涉及房屋征收拆迁").await.unwrap();
    refused_with(service::gates::add_gate(&db, &by_reviewer, subject, Gate::StabilityRisk, "再次").await, Rule::GateAlreadyRequired);
    refused_with(service::gates::add_gate(&db, &by_reviewer, subject, Gate::PublicComment, "无效").await, Rule::GateNotAddable);
    let board = db.gate_board(subject, t0()).await.unwrap().unwrap().0;
    let added = board.rows.iter().find(|r| r.gate == Gate::StabilityRisk).unwrap();
    assert_eq!(added.added.as_ref().unwrap().reason, "涉及房屋征收拆迁");
    let items = [FeedbackItem { target: FeedbackTarget::Clause(1), decision: Decision::Adopted, reason: "采纳意见".into() }];
    let by_official = Actor { viewer: &official, now: t0() };
    service::proposals::publish_feedback(&db, &by_official, id, "总体说明", &items).await.unwrap();
    refused_with(service::proposals::adopt(&db, &by_official, id).await, Rule::GatesUnmet { gates: vec![Gate::StabilityRisk] });

    // the queue: what awaits reviewers, oldest first
    let a = service::gates::submit_assessment(&db, &by_official, subject, assessment(RiskLevel::Low)).await.unwrap();
    let r =
        service::gates::request_legality(&db, &Actor { viewer: &official, now: t0() + Duration::hours(1) }, subject, "材料").await.unwrap();
    let queue = db.review_queue(t0() + Duration::days(2), 50).await.unwrap();
    assert_eq!(queue.iter().map(|q| q.id).collect::<Vec<_>>(), [a, r]);
    assert_eq!(queue[1].working_days, Some(2));
}

async fn holidays_and_adjusted_saturdays_move_the_earliest_opinion(db: Db) {
    let p = people(&db).await;
    let admin = user(&db, "admin@example.cn", &[Role::Admin], None).await;
    let admin = viewer(&db, admin).await;
    let by_admin = Actor { viewer: &admin, now: t0() };
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    // Wednesday 4 and Thursday 5 November marked holidays, Saturday 7 an adjusted working day
    service::gates::set_calendar_day(&db, &by_admin, day(4), Some(DayKind::Holiday), "测试假日").await.unwrap();
    service::gates::set_calendar_day(&db, &by_admin, day(5), Some(DayKind::Holiday), "测试假日").await.unwrap();
    service::gates::set_calendar_day(&db, &by_admin, day(7), Some(DayKind::Workday), "调休上班").await.unwrap();
    assert_eq!(db.calendar_year(2026).await.unwrap().len(), 3);
    let id = closed_proposal(&db, p.agency, p.official, ProposalKind::Regulation, &[PolicyDomain::Other]).await;
    let official = viewer(&db, p.official).await;
    let requested = t0() + Duration::days(1); // Monday 2 November
    let r = service::gates::request_legality(&db, &Actor { viewer: &official, now: requested }, GateSubject::Proposal(id), "材料")
        .await
        .unwrap();
    // Tue 3, Fri 6, Sat 7, Mon 9, Tue 10, Wed 11, Thu 12 → the 7th working day is Thursday 12
    let reviewer = viewer(&db, p.reviewer).await;
    refused_with(
        service::gates::record_opinion(
            &db,
            &Actor { viewer: &reviewer, now: requested + Duration::days(9) },
            r,
            LegalityOpinion::Lawful,
            "合法",
        )
        .await,
        Rule::ReviewTimeNotElapsed { min_working_days: 7, elapsed: 6, earliest: day(12) },
    );
    service::gates::record_opinion(
        &db,
        &Actor { viewer: &reviewer, now: requested + Duration::days(10) },
        r,
        LegalityOpinion::Unlawful,
        "越权设定处罚",
    )
    .await
    .unwrap();
    assert!(states(&db, GateSubject::Proposal(id), requested + Duration::days(10))
        .await
        .contains(&(Gate::LegalityReview, GateState::Unlawful)));
    // only an admin keeps the calendar
    let by_official = Actor { viewer: &official, now: t0() };
    let refused = service::gates::set_calendar_day(&db, &by_official, day(20), Some(DayKind::Holiday), "x").await;
    assert!(matches!(refused, Err(app::backend::service::ServiceError::NotFound)), "{refused:?}");
    assert_eq!(db.calendar_year(2026).await.unwrap().len(), 3);
}

on_both_databases!(
    major_decision_is_adopted_only_once_risk_and_legality_are_on_file,
    refused_decisions_leave_no_audit_entry,
    two_independent_approvals_when_required,
    a_high_risk_project_cannot_proceed_until_a_revised_low_one_is_approved,
    a_reviewer_adds_a_gate_that_the_agency_cannot_remove,
    holidays_and_adjusted_saturdays_move_the_earliest_opinion,
);
