//! A proposal: its text in numbered clauses, its comments, and the comment form.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::{
        comments::{campaign_members, list_comments, PostComment, ReportComment, SupportComment},
        proposals::{get_proposal, ExtendWindow, PublishDraft, RecordEvent},
        types::{CommentView, ProposalDetail},
    },
    app::Session,
    components::comment_item::CommentItem,
    components::{
        errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
        layout::{current_path, urlencode},
    },
    domain::{
        comment::{CommentText, Stance},
        proposal::WindowPhase,
        role::Role,
        time::format_local,
    },
    error::AppError,
    i18n::{use_locale, Msg},
    model::WithoutHtml,
};

#[component]
pub fn ProposalPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let post = ServerAction::<PostComment>::new();
    let support = ServerAction::<SupportComment>::new();
    let report = ServerAction::<ReportComment>::new();
    let publish = ServerAction::<PublishDraft>::new();
    let extend = ServerAction::<ExtendWindow>::new();
    let record = ServerAction::<RecordEvent>::new();
    let proposal = Resource::new(
        move || (id(), post.version().get(), publish.version().get(), extend.version().get(), record.version().get()),
        |(id, ..)| async move {
            WithoutHtml(match id {
                Some(id) => get_proposal(id).await,
                None => Err(AppError::NotFound),
            })
        },
    );
    let before = move || query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok()));
    let comments = Resource::new(
        move || (id(), before(), post.version().get(), support.version().get()),
        |(id, before, _, _)| async move {
            WithoutHtml(match id {
                Some(id) => list_comments(id, before).await,
                None => Err(AppError::NotFound),
            })
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match proposal.await.0 {
                    Ok(detail) => view! {
                        <ProposalView detail=detail.clone() comments post support report publish/>
                        {detail.published.then(|| view! { <crate::pages::proposal_tools::OfficialTools detail=detail.clone() extend record/> })}
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProposalView(
    detail: ProposalDetail,
    comments: Resource<WithoutHtml<Result<crate::api::types::Page<CommentView>, AppError>>>,
    post: ServerAction<PostComment>,
    support: ServerAction<SupportComment>,
    report: ServerAction<ReportComment>,
    publish: ServerAction<PublishDraft>,
) -> impl IntoView {
    let locale = use_locale();
    let s = &detail.summary;
    let phase = s.phase;
    let domains = s.domains.iter().map(|d| view! { <li class="tag">{locale.domain(*d)}</li> }).collect_view();
    let clauses = detail
        .clauses
        .iter()
        .map(|c| {
            let n = c.number;
            view! {
                {c.heading_html.clone().map(|h| view! { <div class="clause-heading" inner_html=h></div> })}
                <section class="clause" id=format!("clause-{n}") aria-label=locale.fmt(Msg::ClauseN, &[("n", &n)])>
                    <span class="clause-number">{n}</span>
                    <div class="clause-text" inner_html=c.html.clone()></div>
                    {(phase == WindowPhase::Open).then(|| view! {
                        <a class="clause-comment" href=format!("?clause={n}#comment-form")>{locale.t(Msg::CommentOnClause)}</a>
                    })}
                </section>
            }
        })
        .collect_view();
    let clause_count = detail.clauses.len() as u32;
    let proposal_id = s.id;
    view! {
        <Title text=s.title.clone()/>
        {(!detail.published).then(|| view! { <p class="draft-banner" role="status">{locale.t(Msg::DraftPreviewBanner)}</p> })}
        {s.withdrawn_reason.clone().map(|reason| view! {
            <p class="draft-banner withdrawn-banner" role="status">{locale.fmt(Msg::WithdrawnBanner, &[("reason", &reason)])}</p>
        })}
        <article class="proposal">
            <header class="proposal-header">
                <p class="phase-badge" data-phase=format!("{phase:?}")>{locale.phase(phase)}</p>
                <h1>{s.title.clone()}</h1>
                <dl class="facts">
                    <dt>{locale.t(Msg::ProposalAgency)}</dt><dd>{s.agency.name(locale).to_owned()}</dd>
                    <dt>{locale.t(Msg::ProposalKindLabel)}</dt><dd>{locale.kind(s.kind)}</dd>
                    <dt>{locale.t(Msg::ProposalDomains)}</dt>
                    <dd>
                        <ul class="tags">
                            {domains}
                            {s.hearing_required.then(|| view! { <li class="tag tag-hearing">{locale.t(Msg::HearingRequiredBadge)}</li> })}
                        </ul>
                    </dd>
                    <dt>{locale.t(Msg::ProposalWindow)}</dt>
                    <dd>{format_local(s.window.opens_at)}" — "{format_local(s.window.closes_at)}</dd>
                </dl>
                <p class="version-banner">
                    {locale.fmt(Msg::CurrentVersion, &[("n", &detail.version)])}
                    {(detail.version > 1).then(|| view! { " · "<a href=format!("/proposals/{}/versions/{}/diff", s.id, detail.version)>{locale.t(Msg::ShowChanges)}</a> })}
                    <RevisorLink proposal_id=s.id agency_id=s.agency.id/>
                </p>
                <crate::pages::proposal_tools::Extensions detail=detail.clone()/>
                {s.window.short_reason.clone().map(|reason| view! {
                    <p class="short-reason"><strong>{locale.t(Msg::ShortWindowReason)}</strong>{reason}</p>
                })}
            </header>
            <section class="proposal-text" aria-labelledby="text-title">
                <h2 id="text-title">{locale.t(Msg::ProposalText)}</h2>
                {clauses}
            </section>
        </article>
        {if detail.published {
            view! {
                <crate::pages::feedback::GateChecklist detail=detail.clone()/>
                <crate::pages::hearings::ProposalHearings proposal_id=s.id required=s.hearing_required
                    open=!matches!(s.status, crate::domain::lifecycle::ProposalStatus::Adopted | crate::domain::lifecycle::ProposalStatus::Withdrawn)/>
                <crate::pages::feedback::FeedbackSection detail=detail.clone()/>
                <crate::pages::proposal_tools::Events detail=detail.clone()/>
                <crate::pages::proposal_tools::CommentPictures detail=detail.clone()/>
                <CommentForm proposal_id clause_count phase post/>
                <CommentList comments proposal_id count=s.comment_count campaigns=s.campaign_count current_version=detail.version support report/>
            }
            .into_any()
        } else {
            view! { <DraftPublish proposal_id action=publish/> }.into_any()
        }}
    }
}

#[component]
fn CommentForm(proposal_id: i64, clause_count: u32, phase: WindowPhase, post: ServerAction<PostComment>) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let query = use_query_map();
    let chosen = query.with_untracked(|q| q.get("clause")).unwrap_or_default();
    let error = action_error(post);
    let posted = Signal::derive(move || matches!(post.value().get(), Some(Ok(_))));
    let (length, set_length) = signal(0usize);

    // signed in as a citizen; with the address verified
    let form = move |signed_in: bool, verified: bool| {
        if phase == WindowPhase::Closed {
            return view! { <p class="notice">{locale.t(Msg::WindowClosedNoComments)}</p> }.into_any();
        }
        if phase == WindowPhase::Upcoming {
            return view! { <p class="notice">{locale.t(Msg::WindowNotYetOpen)}</p> }.into_any();
        }
        if !signed_in {
            return view! {
                <p class="notice">
                    <a href=format!("/signin?next={}", urlencode(&current_path()))>{locale.t(Msg::SignIn)}</a>
                    " · "{locale.t(Msg::SignInToComment)}
                </p>
            }
            .into_any();
        }
        if !verified {
            return view! {
                <p class="notice" data-testid="verify-first">
                    {locale.t(Msg::RuleEmailNotVerified)}" "<a href="/account">{locale.t(Msg::AccountTitle)}</a>
                </p>
            }
            .into_any();
        }
        let options = (1..=clause_count)
            .map(|n| {
                let selected = chosen == n.to_string();
                view! { <option value=n.to_string() selected=selected>{locale.fmt(Msg::ClauseN, &[("n", &n)])}</option> }
            })
            .collect_view();
        let stances = Stance::ALL
            .into_iter()
            .map(|stance| {
                view! {
                    <label class="choice">
                        <input type="radio" name="stance" value=stance.as_str() checked=stance == Stance::Suggestion/>
                        {locale.stance(stance)}
                    </label>
                }
            })
            .collect_view();
        view! {
            <ActionForm action=post attr:class="form comment-form" attr:novalidate="">
                <FormError error/>
                {move || posted.get().then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::CommentPosted)}</p> })}
                <input type="hidden" name="proposal_id" value=proposal_id.to_string()/>
                <label for="clause">{locale.t(Msg::CommentTarget)}</label>
                <select id="clause" name="clause"
                    prop:value=move || query.with(|q| q.get("clause").unwrap_or_default())
                    aria-invalid=invalid(error, "clause") aria-describedby="clause-error">
                    <option value="">{locale.t(Msg::WholeText)}</option>
                    {options}
                </select>
                <FieldError error field="clause"/>
                <fieldset class="stances">
                    <legend>{locale.t(Msg::StanceLabel)}</legend>
                    {stances}
                </fieldset>
                <FieldError error field="stance"/>
                <label for="body">{locale.t(Msg::CommentBody)}</label>
                <textarea
                    id="body"
                    name="body"
                    rows="6"
                    maxlength=CommentText::MAX.to_string()
                    aria-invalid=invalid(error, "body")
                    aria-describedby="body-hint body-error"
                    on:input=move |ev| set_length.set(event_target_value(&ev).chars().count())
                ></textarea>
                <p class="hint" id="body-hint">
                    {locale.t(Msg::CommentBodyHint)}
                    " · "
                    <span aria-live="polite">{move || locale.fmt(Msg::CharactersLeft, &[("n", &(CommentText::MAX.saturating_sub(length.get())))])}</span>
                </p>
                <FieldError error field="body"/>
                <button type="submit" disabled=move || post.pending().get()>
                    {move || if post.pending().get() { locale.t(Msg::Submitting) } else { locale.t(Msg::CommentSubmit) }}
                </button>
            </ActionForm>
        }
        .into_any()
    };

    view! {
        <section class="comment-form-section" id="comment-form" aria-labelledby="comment-form-title">
            <h2 id="comment-form-title">{locale.t(Msg::LeaveComment)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let form = form.clone();
                    Suspend::new(async move {
                    let viewer = session.viewer.await.ok().flatten();
                    let citizen = viewer.filter(|v| v.has(Role::Citizen));
                    form(citizen.is_some(), citizen.is_some_and(|v| v.email_verified))
                })}}
            </Suspense>
        </section>
    }
}

#[component]
fn CommentList(
    comments: Resource<WithoutHtml<Result<crate::api::types::Page<CommentView>, AppError>>>,
    proposal_id: i64,
    count: i64,
    campaigns: i64,
    current_version: u32,
    support: ServerAction<SupportComment>,
    report: ServerAction<ReportComment>,
) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let error = Signal::derive(move || support.value().get().and_then(|r| r.err()).or_else(|| report.value().get().and_then(|r| r.err())));
    view! {
        <section class="comments" id="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{locale.t(Msg::CommentsTitle)}" "<span class="count">{locale.fmt(Msg::CommentsCount, &[("n", &count)])}{(campaigns > 0).then(|| format!(" · {}", locale.fmt(Msg::CampaignsCount, &[("n", &campaigns)])))}</span></h2>
            {(count > 0).then(|| view! {
                <p class="hint exports">{locale.t(Msg::CommentsExport)}" "
                    <a href=format!("/proposals/{proposal_id}/comments.csv") download="">"CSV"</a>" · "
                    <a href=format!("/proposals/{proposal_id}/comments.jsonl") download="">"JSON Lines"</a>
                </p>
            })}
            <FormError error/>
            {move || matches!(report.value().get(), Some(Ok(()))).then(|| view! { <p class="form-ok" role="status">{locale.t(Msg::Reported)}</p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = session.viewer.await.ok().flatten().is_some();
                    match comments.await.0 {
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::NoComments)}</p> }.into_any(),
                        Ok(page) => view! {
                            <ol class="comment-list">
                                {page.items.into_iter().map(|c| view! { <CommentItem comment=c locale signed_in support report current_version/> }).collect_view()}
                            </ol>
                            {page.next.map(|before| view! {
                                <a class="pager" href=format!("/proposals/{proposal_id}?before={before}#comments")>{locale.t(Msg::MorePrevious)}" →"</a>
                            })}
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// `/proposals/:id/campaigns/:group`: every member of one campaign, nothing dropped.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let ids = move || {
        params.with(|p| {
            (p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0), p.get("group").and_then(|v| v.parse::<i64>().ok()).unwrap_or(0))
        })
    };
    let after = move || query.with(|q| q.get("after").and_then(|v| v.parse::<i64>().ok()));
    let members = Resource::new(move || (ids(), after()), |((proposal, group), after)| campaign_members(proposal, group, after));
    view! {
        <Title text=locale.t(Msg::CampaignTitle)/>
        <p><a href=move || format!("/proposals/{}#comments", ids().0)>"← "{locale.t(Msg::BackToProposal)}</a></p>
        <h1>{locale.t(Msg::CampaignTitle)}</h1>
        <p class="hint">{locale.t(Msg::CampaignExplained)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match members.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) => {
                        let total = page.items.first().map(|c| c.group_size).unwrap_or(0);
                        let (pid, gid) = ids();
                        view! {
                            <p class="count">{locale.fmt(Msg::CampaignOf, &[("n", &total)])}</p>
                            <ol class="comment-list">
                                {page.items.into_iter().map(|c| view! { <CommentItem comment=c locale signed_in=false members_view=true/> }).collect_view()}
                            </ol>
                            {page.next.map(|after| view! {
                                <a class="pager" href=format!("/proposals/{pid}/campaigns/{gid}?after={after}")>{locale.t(Msg::NextPage)}" →"</a>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Under a draft's preview: publish it as it is shown.
#[component]
fn DraftPublish(proposal_id: i64, action: ServerAction<PublishDraft>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <section class="panel draft-actions">
            <p>{locale.t(Msg::DraftPreviewHint)}</p>
            <ActionForm action attr:class="inline">
                <FormError error/>
                <input type="hidden" name="id" value=proposal_id.to_string()/>
                <button type="submit">{locale.t(Msg::PublishNow)}</button>
            </ActionForm>
        </section>
    }
}

/// "Publish a new version", for the officials of the proposal's agency.
#[component]
fn RevisorLink(proposal_id: i64, agency_id: i64) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let may = session.viewer.await.ok().flatten().map(|v| v.may_publish_for(agency_id)).unwrap_or(false);
                may.then(|| view! { " · "<a href=format!("/proposals/{proposal_id}/revise")>{locale.t(Msg::ReviseTitle)}</a> })
            })}
        </Suspense>
    }
}
