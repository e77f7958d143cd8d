//! The gate checklist with its evidence, shown on every proposal and project: each gate,
//! its state, what would satisfy it, and the documents and decisions on file. The
//! agency's officials submit and attach here; reviewers decide here.

use leptos::{form::ActionForm, prelude::*};
use leptos_router::hooks::use_query_map;

use crate::{
    api::{
        gates::{get_gates, AddGate, AttachMitigation, DecideAssessment, RecordOpinion, RequestLegality, SubmitAssessment},
        types::{AssessmentView, FileView, GateBoard, LegalityView},
    },
    app::Session,
    components::errors::{action_error, invalid, FieldError, FormError},
    domain::{
        account::Viewer,
        gate::{GateState, GateSubject, ADDABLE},
        review::{AssessmentMethod, AssessmentStatus, LegalityOpinion, LegalityStatus, RiskLevel, Verdict},
        role::Role,
        time::format_local,
        Rule,
    },
    i18n::{use_locale, Locale, Msg},
};

/// Every action that changes a board, so that the board reloads after any of them.
#[derive(Clone, Copy)]
pub struct BoardActions {
    pub add: ServerAction<AddGate>,
    pub submit: ServerAction<SubmitAssessment>,
    pub mitigate: ServerAction<AttachMitigation>,
    pub decide: ServerAction<DecideAssessment>,
    pub request: ServerAction<RequestLegality>,
    pub opinion: ServerAction<RecordOpinion>,
}

impl BoardActions {
    pub fn new() -> Self {
        Self {
            add: ServerAction::new(),
            submit: ServerAction::new(),
            mitigate: ServerAction::new(),
            decide: ServerAction::new(),
            request: ServerAction::new(),
            opinion: ServerAction::new(),
        }
    }

    /// Changes whenever any of them completes.
    pub fn version(&self) -> usize {
        self.add.version().get()
            + self.submit.version().get()
            + self.mitigate.version().get()
            + self.decide.version().get()
            + self.request.version().get()
            + self.opinion.version().get()
    }
}

impl Default for BoardActions {
    fn default() -> Self {
        Self::new()
    }
}

/// The board of one subject, loaded with its own resource; it reloads after any of
/// `actions` (the page may watch them too) or when `extra_version` changes. `children`
/// (the adopt or proceed control) render under the checklist.
#[component]
pub fn GateBoardSection(
    subject: GateSubject,
    #[prop(optional, into)] extra_version: Signal<usize>,
    #[prop(optional)] actions: Option<BoardActions>,
    children: ChildrenFn,
) -> impl IntoView {
    let locale = use_locale();
    let actions = actions.unwrap_or_default();
    let (kind, id) = (subject.as_str().to_owned(), subject.id());
    let board = Resource::new(move || (actions.version(), extra_version.get()), move |_| get_gates(kind.clone(), id));
    let session = Session::use_session();
    view! {
        <section class="gates panel" id="gates" aria-labelledby="gates-title">
            <h2 id="gates-title">{locale.t(Msg::GatesTitle)}</h2>
            <UploadError/>
            <Suspense fallback=|| ()>
                {move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        let viewer = session.viewer.await.ok().flatten();
                        match board.await {
                            Ok(board) => view! {
                                <Checklist board=board.clone()/>
                                {children()}
                                <Evidence board viewer actions/>
                            }
                            .into_any(),
                            Err(_) => ().into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// A refused upload comes back to the page with its rule in the query.
#[component]
pub fn UploadError() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    move || {
        query.with(|q| q.get("file_error")).and_then(|raw| serde_json::from_str::<Rule>(&raw).ok()).map(|rule| {
            view! { <div class="form-error" role="alert" data-testid="file-error">{locale.t(Msg::FileRefused)}{locale.rule(&rule)}</div> }
        })
    }
}

#[component]
fn Checklist(board: GateBoard) -> impl IntoView {
    let locale = use_locale();
    let items = board
        .rows
        .into_iter()
        .map(|row| {
            let met = row.state == GateState::Met;
            view! {
                <li class=if met { "gate gate-met" } else { "gate gate-unmet" } data-gate=format!("{:?}", row.gate)>
                    <span class="gate-state">{locale.gate_state(row.state)}</span>
                    " "<strong>{locale.gate(row.gate)}</strong>
                    {(!met).then(|| view! { <span class="gate-need">{locale.gate_need(row.gate, row.state)}</span> })}
                    {row.added.map(|a| view! {
                        <span class="gate-added">{locale.fmt(Msg::GateAddedBy, &[("who", &a.added_by), ("when", &format_local(a.added_at)), ("reason", &a.reason)])}</span>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="gate-list">{items}</ul> }
}

#[component]
fn Files(files: Vec<FileView>) -> impl IntoView {
    let locale = use_locale();
    (!files.is_empty()).then(|| {
        view! {
            <ul class="files">
                {files.into_iter().map(|f| view! {
                    <li>
                        <a href=format!("/files/{}", f.id) download="">{f.name.clone()}</a>
                        " · "{crate::i18n::byte_size(f.size.max(0) as u64)}
                        <br/><span class="sha256" title=locale.t(Msg::Sha256Hint)>"SHA-256 "<code>{f.sha256.clone()}</code></span>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// A plain form that sends one file to the server, which checks it by its bytes.
#[component]
pub fn Upload(owner: &'static str, owner_id: i64, label: Msg) -> impl IntoView {
    let locale = use_locale();
    let input_id = format!("file-{owner}-{owner_id}");
    view! {
        <form class="form upload" method="post" action="/evidence/upload" enctype="multipart/form-data">
            <input type="hidden" name="owner" value=owner/>
            <input type="hidden" name="owner_id" value=owner_id.to_string()/>
            <input type="hidden" name="next" value=crate::components::layout::current_path/>
            <label for=input_id.clone()>{locale.t(label)}</label>
            <input id=input_id type="file" name="file" required=""
                accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls"/>
            <p class="hint">{locale.t(Msg::FileHint)}</p>
            <button type="submit">{locale.t(Msg::FileUpload)}</button>
        </form>
    }
}

#[component]
fn Evidence(board: GateBoard, viewer: Option<Viewer>, actions: BoardActions) -> impl IntoView {
    let locale = use_locale();
    let subject = board.subject;
    let official = viewer.as_ref().is_some_and(|v| v.may_publish_for(board.agency_id)) && board.open;
    let reviewer = viewer.as_ref().is_some_and(|v| v.has(Role::Reviewer) && v.agency_id != Some(board.agency_id));
    let wants_risk = board.rows.iter().any(|r| r.gate == crate::domain::gate::Gate::StabilityRisk);
    let wants_legality = board.rows.iter().any(|r| r.gate == crate::domain::gate::Gate::LegalityReview);
    view! {
        {(!board.assessments.is_empty() || (official && wants_risk)).then(|| view! {
            <h3>{locale.t(Msg::AssessmentsTitle)}</h3>
            {board.assessments.clone().into_iter().map(|a| view! { <Assessment a official reviewer actions/> }).collect_view()}
            {(official && wants_risk).then(|| view! { <SubmitAssessmentForm subject action=actions.submit/> })}
        })}
        {(!board.legality.is_empty() || (official && wants_legality)).then(|| view! {
            <h3>{locale.t(Msg::LegalityTitle)}</h3>
            {board.legality.clone().into_iter().map(|l| view! { <Legality l official reviewer action=actions.opinion/> }).collect_view()}
            {(official && wants_legality).then(|| view! { <RequestLegalityForm subject action=actions.request/> })}
        })}
        {viewer.as_ref().is_some_and(|v| v.has(Role::Reviewer)).then(|| view! { <AddGateForm subject action=actions.add/> })}
    }
}

fn assessment_status_class(status: AssessmentStatus) -> &'static str {
    match status {
        AssessmentStatus::Pending => "tag",
        AssessmentStatus::Approved => "tag tag-adopted",
        AssessmentStatus::Rejected => "tag tag-rejected",
        AssessmentStatus::Superseded => "tag tag-muted",
    }
}

#[component]
fn Assessment(a: AssessmentView, official: bool, reviewer: bool, actions: BoardActions) -> impl IntoView {
    let locale = use_locale();
    let pending = a.status == AssessmentStatus::Pending;
    let needs_mitigation = pending && a.level == RiskLevel::Medium && a.mitigation.is_none();
    view! {
        <article class="card evidence" data-testid=format!("assessment-{}", a.id)>
            <p class="meta">
                <span class=assessment_status_class(a.status)>{locale.assessment_status(a.status)}</span>" "
                <span class=format!("tag risk-{}", a.level.as_str())>{locale.risk_level(a.level)}</span>" · "
                {locale.method(a.method)}" · "{a.submitted_by.clone()}" · "{format_local(a.submitted_at)}
            </p>
            <dl class="evidence-fields">
                <dt>{locale.t(Msg::FieldRiskPoints)}</dt><dd class="prewrap">{a.risk_points.clone()}</dd>
                <dt>{locale.t(Msg::FieldPrevention)}</dt><dd class="prewrap">{a.prevention.clone()}</dd>
                <dt>{locale.t(Msg::FieldResponsePlan)}</dt><dd class="prewrap">{a.response_plan.clone()}</dd>
                {a.mitigation.clone().map(|m| view! { <dt>{locale.t(Msg::FieldMitigation)}</dt><dd class="prewrap">{m}</dd> })}
                {a.control_measures.clone().map(|m| view! { <dt>{locale.t(Msg::ControlMeasures)}</dt><dd class="prewrap">{m}</dd> })}
            </dl>
            <Files files=a.files.clone()/>
            <Files files=a.mitigation_files.clone()/>
            <Decisions decisions=a.decisions.clone()/>
            // a high-risk assessment is never approved: its answer is a new assessment, not a file
            {(official && pending && a.level != RiskLevel::High).then(|| view! { <Upload owner="assessment" owner_id=a.id label=Msg::FileReport/> })}
            {(official && needs_mitigation).then(|| view! { <MitigationForm id=a.id action=actions.mitigate/> })}
            {(official && pending && a.level == RiskLevel::Medium).then(|| view! { <Upload owner="mitigation" owner_id=a.id label=Msg::FileMitigation/> })}
            {(reviewer && pending).then(|| view! { <DecideForm id=a.id action=actions.decide/> })}
        </article>
    }
}

#[component]
fn Decisions(decisions: Vec<crate::api::types::DecisionView>) -> impl IntoView {
    let locale = use_locale();
    (!decisions.is_empty()).then(|| {
        view! {
            <ul class="decisions">
                {decisions.into_iter().map(|d| {
                    let outcome = outcome_text(locale, &d.outcome);
                    view! {
                        <li>
                            <strong>{outcome}</strong>" · "{d.reviewer.clone()}" · "{format_local(d.decided_at)}
                            <p class="prewrap">{d.reason.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

fn outcome_text(locale: Locale, outcome: &str) -> String {
    if let Ok(v) = Verdict::parse(outcome) {
        return locale.verdict(v).to_owned();
    }
    LegalityOpinion::parse(outcome).map(|o| locale.opinion(o).to_owned()).unwrap_or_else(|_| outcome.to_owned())
}

#[component]
fn Legality(l: LegalityView, official: bool, reviewer: bool, action: ServerAction<RecordOpinion>) -> impl IntoView {
    let locale = use_locale();
    let pending = l.status == LegalityStatus::Pending;
    let clock = locale.fmt(
        Msg::WorkingDayClock,
        &[
            ("n", &l.working_days),
            ("min", &crate::domain::calendar::LEGALITY_REVIEW_MIN_WORKING_DAYS),
            ("earliest", &l.earliest.format("%Y-%m-%d")),
        ],
    );
    view! {
        <article class="card evidence" data-testid=format!("legality-{}", l.id)>
            <p class="meta">
                {match l.opinion {
                    Some(o) => view! { <span class=if o.meets_gate() { "tag tag-adopted" } else { "tag tag-rejected" }>{locale.opinion(o)}</span> }.into_any(),
                    None if l.status == LegalityStatus::Superseded => view! { <span class="tag tag-muted">{locale.t(Msg::AssessmentSuperseded)}</span> }.into_any(),
                    None => view! { <span class="tag">{locale.t(Msg::AssessmentPending)}</span> }.into_any(),
                }}
                " · "{l.requested_by.clone()}" · "{format_local(l.requested_at)}
            </p>
            <p class="working-days">{clock}</p>
            <p class="prewrap">{l.materials.clone()}</p>
            <Files files=l.files.clone()/>
            {l.opinion_text.clone().map(|t| view! {
                <p><strong>{locale.t(Msg::OpinionTitle)}</strong>" "{l.decided_by.clone().unwrap_or_default()}" · "
                    {l.decided_at.map(format_local).unwrap_or_default()}</p>
                <p class="prewrap">{t}</p>
            })}
            {(official && pending).then(|| view! { <Upload owner="legality" owner_id=l.id label=Msg::FileMaterials/> })}
            {(reviewer && pending).then(|| view! { <OpinionForm id=l.id action/> })}
        </article>
    }
}

#[component]
fn SubmitAssessmentForm(subject: GateSubject, action: ServerAction<SubmitAssessment>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <details class="tool">
            <summary>{locale.t(Msg::SubmitAssessmentTitle)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="subject" value=subject.as_str()/>
                <input type="hidden" name="id" value=subject.id().to_string()/>
                <label for="risk-level">{locale.t(Msg::FieldRiskLevel)}</label>
                <select id="risk-level" name="level" aria-invalid=invalid(error, "level")>
                    <option value="">"—"</option>
                    {RiskLevel::ALL.iter().map(|l| view! { <option value=l.as_str()>{locale.risk_level(*l)}</option> }).collect_view()}
                </select>
                <FieldError error field="level"/>
                <label for="risk-method">{locale.t(Msg::FieldMethod)}</label>
                <select id="risk-method" name="method" aria-invalid=invalid(error, "method")>
                    <option value="">"—"</option>
                    {AssessmentMethod::ALL.iter().map(|m| view! { <option value=m.as_str()>{locale.method(*m)}</option> }).collect_view()}
                </select>
                <FieldError error field="method"/>
                <label for="risk-points">{locale.t(Msg::FieldRiskPoints)}</label>
                <textarea id="risk-points" name="risk_points" rows="4" aria-invalid=invalid(error, "risk_points")></textarea>
                <FieldError error field="risk_points"/>
                <label for="risk-prevention">{locale.t(Msg::FieldPrevention)}</label>
                <textarea id="risk-prevention" name="prevention" rows="4" aria-invalid=invalid(error, "prevention")></textarea>
                <FieldError error field="prevention"/>
                <label for="risk-response">{locale.t(Msg::FieldResponsePlan)}</label>
                <textarea id="risk-response" name="response_plan" rows="4" aria-invalid=invalid(error, "response_plan")></textarea>
                <FieldError error field="response_plan"/>
                <p class="hint">{locale.t(Msg::SubmitAssessmentHint)}</p>
                <button type="submit">{locale.t(Msg::SubmitAssessmentButton)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn MitigationForm(id: i64, action: ServerAction<AttachMitigation>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    let field_id = format!("mitigation-{id}");
    view! {
        <ActionForm action attr:class="form" attr:novalidate="">
            <FormError error/>
            <input type="hidden" name="assessment_id" value=id.to_string()/>
            <label for=field_id.clone()>{locale.t(Msg::FieldMitigation)}</label>
            <textarea id=field_id name="mitigation" rows="4" aria-invalid=invalid(error, "mitigation")></textarea>
            <FieldError error field="mitigation"/>
            <button type="submit">{locale.t(Msg::MitigationButton)}</button>
        </ActionForm>
    }
}

#[component]
fn DecideForm(id: i64, action: ServerAction<DecideAssessment>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    let reason_id = format!("decide-reason-{id}");
    view! {
        <ActionForm action attr:class="form decide" attr:novalidate="">
            <FormError error/>
            <input type="hidden" name="assessment_id" value=id.to_string()/>
            <label for=reason_id.clone()>{locale.t(Msg::DecisionReason)}</label>
            <textarea id=reason_id name="reason" rows="3" aria-invalid=invalid(error, "reason")></textarea>
            <FieldError error field="reason"/>
            <div class="buttons">
                <button type="submit" name="verdict" value="approve">{locale.t(Msg::VerdictApproveLow)}</button>
                <button type="submit" name="verdict" value="reject" class="danger">{locale.t(Msg::VerdictReject)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn OpinionForm(id: i64, action: ServerAction<RecordOpinion>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    let (opinion_id, reason_id) = (format!("opinion-{id}"), format!("opinion-reason-{id}"));
    view! {
        <ActionForm action attr:class="form" attr:novalidate="">
            <FormError error/>
            <input type="hidden" name="review_id" value=id.to_string()/>
            <label for=opinion_id.clone()>{locale.t(Msg::OpinionTitle)}</label>
            <select id=opinion_id name="opinion" aria-invalid=invalid(error, "opinion")>
                <option value="">"—"</option>
                {LegalityOpinion::ALL.iter().map(|o| view! { <option value=o.as_str()>{locale.opinion(*o)}</option> }).collect_view()}
            </select>
            <FieldError error field="opinion"/>
            <label for=reason_id.clone()>{locale.t(Msg::DecisionReason)}</label>
            <textarea id=reason_id name="reason" rows="3" aria-invalid=invalid(error, "reason")></textarea>
            <FieldError error field="reason"/>
            <button type="submit">{locale.t(Msg::OpinionButton)}</button>
        </ActionForm>
    }
}

#[component]
fn RequestLegalityForm(subject: GateSubject, action: ServerAction<RequestLegality>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <details class="tool">
            <summary>{locale.t(Msg::RequestLegalityTitle)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="subject" value=subject.as_str()/>
                <input type="hidden" name="id" value=subject.id().to_string()/>
                <label for="legality-materials">{locale.t(Msg::FieldMaterials)}</label>
                <textarea id="legality-materials" name="materials" rows="4" aria-invalid=invalid(error, "materials")></textarea>
                <FieldError error field="materials"/>
                <button type="submit">{locale.t(Msg::RequestLegalityButton)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddGateForm(subject: GateSubject, action: ServerAction<AddGate>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <details class="tool">
            <summary>{locale.t(Msg::AddGateTitle)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="subject" value=subject.as_str()/>
                <input type="hidden" name="id" value=subject.id().to_string()/>
                <label for="add-gate">{locale.t(Msg::AddGateField)}</label>
                <select id="add-gate" name="gate" aria-invalid=invalid(error, "gate")>
                    {ADDABLE.iter().map(|g| {
                        let value = serde_json::to_value(g).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                        view! { <option value=value>{locale.gate(*g)}</option> }
                    }).collect_view()}
                </select>
                <FieldError error field="gate"/>
                <label for="add-gate-reason">{locale.t(Msg::AddGateReason)}</label>
                <input id="add-gate-reason" name="reason" type="text" maxlength="1000" aria-invalid=invalid(error, "reason")/>
                <FieldError error field="reason"/>
                <button type="submit">{locale.t(Msg::AddGateButton)}</button>
            </ActionForm>
        </details>
    }
}
