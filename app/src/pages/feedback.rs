//! The feedback report (how comments were used), the gate checklist, and adoption.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{
        proposals::{get_feedback, get_proposal, list_campaigns, AdoptProposal, PublishFeedback},
        types::ProposalDetail,
    },
    app::Session,
    components::errors::{action_error, ErrorPanel, FieldError, FormError},
    domain::gate::GateSubject,
    domain::{
        feedback::{Decision, FeedbackTarget},
        proposal::WindowPhase,
    },
    i18n::{use_locale, Msg},
    pages::gates::GateBoardSection,
};

/// Every gate the rules require of this proposal, with its evidence, for everyone to
/// see; the agency's official may try to adopt, and is told every unmet gate.
#[component]
pub fn GateChecklist(detail: ProposalDetail) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let adopt = ServerAction::<AdoptProposal>::new();
    let error = action_error(adopt);
    let adopted_now = Signal::derive(move || matches!(adopt.value().get(), Some(Ok(()))));
    let agency = detail.summary.agency.id;
    let id = detail.summary.id;
    let adopted = detail.summary.adopted;
    let withdrawn = detail.summary.status == crate::domain::lifecycle::ProposalStatus::Withdrawn;
    let version = Signal::derive(move || adopt.version().get());
    view! {
        <GateBoardSection subject=GateSubject::Proposal(id) extra_version=version>
            {move || (adopted || adopted_now.get()).then(|| view! { <p><span class="tag tag-adopted">{locale.t(Msg::AdoptedBadge)}</span></p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let may = session.viewer.await.ok().flatten().map(|v| v.may_publish_for(agency)).unwrap_or(false);
                    (may && !adopted && !withdrawn).then(|| view! {
                        <ActionForm action=adopt attr:class="inline">
                            <input type="hidden" name="proposal_id" value=id.to_string()/>
                            <FormError error/>
                            <button type="submit">{locale.t(Msg::AdoptButton)}</button>
                        </ActionForm>
                    })
                })}
            </Suspense>
        </GateBoardSection>
    }
}

/// The published report with its counts, or (to the agency's official, once the
/// window has closed) a link to write it.
#[component]
pub fn FeedbackSection(detail: ProposalDetail) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let id = detail.summary.id;
    let agency = detail.summary.agency.id;
    let closed = detail.summary.phase == WindowPhase::Closed;
    let (comments, commenters, campaigns) = (detail.summary.comment_count, detail.summary.commenter_count, detail.summary.campaign_count);
    let report = Resource::new(move || id, get_feedback);
    view! {
        <section class="feedback" id="feedback" aria-labelledby="feedback-title">
            <h2 id="feedback-title">{locale.t(Msg::FeedbackTitle)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let viewer = session.viewer.await.ok().flatten();
                    match report.await {
                        Ok(Some(report)) => {
                            let adopted = report.items.iter().filter(|i| matches!(i.decision, Decision::Adopted | Decision::PartlyAdopted)).count();
                            view! {
                                <p class="feedback-counts" data-testid="feedback-counts">
                                    {locale.fmt(Msg::FeedbackCounts, &[("comments", &comments), ("commenters", &commenters), ("campaigns", &campaigns), ("adopted", &adopted)])}
                                </p>
                                <p>{report.summary.clone()}</p>
                                <ul class="feedback-items">
                                    {report.items.into_iter().map(|item| {
                                        let what = match item.target {
                                            FeedbackTarget::Clause(n) => locale.fmt(Msg::FeedbackOnClause, &[("n", &n)]),
                                            FeedbackTarget::Group(_) => format!(
                                                "{}{}",
                                                locale.fmt(Msg::FeedbackOnGroup, &[("n", &item.group_size.unwrap_or(0))]),
                                                item.group_text.clone().unwrap_or_default().chars().take(60).collect::<String>()
                                            ),
                                        };
                                        view! {
                                            <li class="card">
                                                <p><strong>{what}</strong>" "<span class=format!("decision decision-{}", item.decision.as_str())>{locale.decision(item.decision)}</span></p>
                                                <p>{item.reason.clone()}</p>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                        Ok(None) => {
                            let may = viewer.map(|v| v.may_publish_for(agency)).unwrap_or(false);
                            view! {
                                <p class="empty">{locale.t(Msg::FeedbackNotYet)}</p>
                                {(may && closed).then(|| view! { <a class="button" href=format!("/proposals/{id}/feedback")>{locale.t(Msg::FeedbackWrite)}</a> })}
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/proposals/:id/feedback`: a decision and a reason per clause and per campaign.
#[component]
pub fn FeedbackFormPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0));
    let proposal = Resource::new(id, get_proposal);
    let campaigns = Resource::new(id, list_campaigns);
    let action = ServerAction::<PublishFeedback>::new();
    let error = action_error(action);
    let decision_select = move |i: usize| {
        view! {
            <select name=format!("items[{i}][decision]") aria-label=locale.t(Msg::FeedbackDecisionFor)>
                <option value="">{locale.t(Msg::FeedbackNoDecision)}</option>
                {Decision::ALL.into_iter().map(|d| view! { <option value=d.as_str()>{locale.decision(d)}</option> }).collect_view()}
            </select>
        }
    };
    view! {
        <Title text=locale.t(Msg::FeedbackWrite)/>
        <h1>{locale.t(Msg::FeedbackWrite)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let detail = match proposal.await {
                    Ok(d) => d,
                    Err(error) => return view! { <ErrorPanel error/> }.into_any(),
                };
                let groups = campaigns.await.unwrap_or_default();
                let clause_count = detail.clauses.len();
                let rows = detail.clauses.iter().enumerate().map(|(i, c)| view! {
                    <fieldset class="feedback-row">
                        <legend>{locale.fmt(Msg::FeedbackOnClause, &[("n", &c.number)])}</legend>
                        <div class="clause-text" inner_html=c.html.clone()></div>
                        <input type="hidden" name=format!("items[{i}][target]") value=FeedbackTarget::Clause(c.number).encode()/>
                        {decision_select(i)}
                        <FieldError error field=format!("items[{i}].decision")/>
                        <textarea name=format!("items[{i}][reason]") rows="2" aria-label=locale.t(Msg::FeedbackReasonFor)></textarea>
                        <FieldError error field=format!("items[{i}].reason")/>
                    </fieldset>
                }).collect_view();
                let group_rows = groups.into_iter().enumerate().map(|(j, (gid, size, text))| {
                    let i = clause_count + j;
                    view! {
                        <fieldset class="feedback-row">
                            <legend>{locale.fmt(Msg::FeedbackOnGroup, &[("n", &size)])}</legend>
                            <p>{text}</p>
                            <input type="hidden" name=format!("items[{i}][target]") value=FeedbackTarget::Group(gid).encode()/>
                            {decision_select(i)}
                            <FieldError error field=format!("items[{i}].decision")/>
                            <textarea name=format!("items[{i}][reason]") rows="2" aria-label=locale.t(Msg::FeedbackReasonFor)></textarea>
                            <FieldError error field=format!("items[{i}].reason")/>
                        </fieldset>
                    }
                }).collect_view();
                view! {
                    <p class="meta">{detail.summary.title.clone()}</p>
                    <ActionForm action attr:class="form" attr:novalidate="">
                        <FormError error/>
                        <input type="hidden" name="proposal_id" value=detail.summary.id.to_string()/>
                        <label for="summary">{locale.t(Msg::FeedbackSummary)}</label>
                        <textarea id="summary" name="summary" rows="3"></textarea>
                        <FieldError error field="summary"/>
                        {rows}
                        {group_rows}
                        <button type="submit">{locale.t(Msg::FeedbackWrite)}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}
