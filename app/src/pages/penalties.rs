//! Penalty review: the public list with each agency's record of following its panels, a
//! case's page (what the public, the agency's officials and the panelists can do there),
//! the submission form, the published draw, and the reviewer pool.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::penalties::{
        get_penalty, get_penalty_draw, list_penalties, my_pool, reviewer_pool, AnswerInvitation, ApproveReviewer, CloseReview,
        ConfirmMasking, DeclareConflicts, DrawPanel, GiveOpinion, LeavePool, PartyStatement, RejectReviewer, ReplyPenalty, SubmitPenalty,
        Volunteer, WithdrawPenalty,
    },
    app::Session,
    components::{
        chart::{share, Bar, BarChart},
        errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
        layout::{current_path, urlencode},
    },
    domain::{
        mask::{Masked, Segment},
        penalty::{
            CaseStatus, ConflictKind, Exclusion, Opinion, PenaltyKind, ReplyKind, SeatState, DEFAULT_PANEL, DEFAULT_REVIEW_DAYS,
            DEFAULT_TERM_YEARS, MAX_REVIEW_DAYS, MIN_REVIEW_DAYS, REPLY_DAYS,
        },
        role::Role,
        time::format_local,
    },
    error::AppError,
    i18n::{use_locale, Locale, Msg},
    model::{AgencyFollow, PenaltyDetail, PenaltySummary},
};

fn status_tag(locale: Locale, s: &PenaltySummary) -> impl IntoView {
    let overdue = s.overdue.then(|| view! { " "<span class="tag case-overdue">{locale.t(Msg::CaseOverdue)}</span> });
    view! { <span class=format!("tag case-{}", s.status.as_str())>{locale.case_status(s.status)}</span>{overdue} }
}

/// "罚款 50,000 元" / "Fine, 50,000 yuan".
pub fn penalty_text(locale: Locale, kind: PenaltyKind, amount: Option<i64>) -> String {
    match amount {
        Some(a) => locale.fmt(Msg::PenAmount, &[("kind", &locale.penalty_kind(kind)), ("amount", &group_digits(a))]),
        None => locale.penalty_kind(kind).to_owned(),
    }
}

fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[component]
pub fn CaseCard(c: PenaltySummary) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="card case-card">
            <p class="meta">{status_tag(locale, &c)}" "{c.agency.name(locale).to_owned()}" · "{c.district.clone()}</p>
            <h2><a href=format!("/penalties/{}", c.id)>{c.case_number.clone()}</a></h2>
            <p>
                {locale.t(Msg::PenProposed)}{penalty_text(locale, c.penalty_kind, c.penalty_amount)}
                {c.panel_opinion.map(|o| view! { " · "{locale.t(Msg::PenPanelSaid)}<strong>{locale.penalty_opinion(o)}</strong> })}
                {c.reply.map(|r| view! { " · "{locale.t(Msg::PenAgencyReplied)}<strong>{locale.reply_kind(r)}</strong> })}
            </p>
        </li>
    }
}

/// The share of replied cases in which each agency followed its panel: bars drawn on the
/// server, with the same figures in a table.
#[component]
fn FollowChart(follow: Vec<AgencyFollow>) -> impl IntoView {
    let locale = use_locale();
    if follow.is_empty() {
        return view! { <p class="hint">{locale.t(Msg::PenNoReplies)}</p> }.into_any();
    }
    let bars = follow
        .iter()
        .map(|f| {
            let n = f.replied() as i64;
            Bar {
                label: f.agency.name(locale).to_owned(),
                parts: vec![
                    (share(f.adopted as i64, n), "bar-adopted"),
                    (share(f.partly as i64, n), "bar-partly"),
                    (share(f.not_adopted as i64, n), "bar-not"),
                ],
                value: f.followed_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "—".to_owned()),
                summary: locale.fmt(
                    Msg::PenFollowRow,
                    &[("agency", &f.agency.name(locale)), ("a", &f.adopted), ("p", &f.partly), ("n", &f.not_adopted), ("o", &f.overdue)],
                ),
                mark: None,
            }
        })
        .collect();
    view! {
        <BarChart bars caption_id="follow-caption" class="follow-chart">
            <span class="key key-adopted"></span>{locale.t(Msg::ReplyAdopted)}" "
            <span class="key key-partly"></span>{locale.t(Msg::ReplyPartly)}" "
            <span class="key key-not"></span>{locale.t(Msg::ReplyNotAdopted)}
        </BarChart>
        <div class="table-scroll" tabindex="0" role="region" aria-label=locale.t(Msg::PenFollowTable)>
        <table class="follow" data-testid="follow-table">
            <caption>{locale.t(Msg::PenFollowTable)}</caption>
            <thead><tr>
                <th scope="col">{locale.t(Msg::PenAgency)}</th>
                <th scope="col">{locale.t(Msg::ReplyAdopted)}</th>
                <th scope="col">{locale.t(Msg::ReplyPartly)}</th>
                <th scope="col">{locale.t(Msg::ReplyNotAdopted)}</th>
                <th scope="col">{locale.t(Msg::CaseOverdue)}</th>
                <th scope="col">{locale.t(Msg::PenFollowed)}</th>
            </tr></thead>
            <tbody>
                {follow.iter().map(|f| view! {
                    <tr>
                        <th scope="row">{f.agency.name(locale).to_owned()}</th>
                        <td>{f.adopted}</td><td>{f.partly}</td><td>{f.not_adopted}</td><td>{f.overdue}</td>
                        <td>{f.followed_percent().map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn PenaltiesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let q = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let list = Resource::new(move || (q("agency"), q("year"), q("before")), |(a, y, b)| list_penalties(a, y, b));
    view! {
        <Title text=locale.t(Msg::PenTitle)/>
        <h1>{locale.t(Msg::PenTitle)}</h1>
        <p class="lead">{locale.t(Msg::PenLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(l) => {
                        let (agency, year) = (q("agency"), q("year"));
                        let next = l.page.next.clone().map(|before| format!("?agency={}&year={}&before={before}", urlencode(&agency), urlencode(&year)));
                        view! {
                            <p class="actions">
                                {l.official.then(|| view! { <a class="button" href="/penalties/new">{locale.t(Msg::PenSubmit)}</a>" " })}
                                <a href="/penalties/pool">{locale.t(Msg::PenPoolLink)}</a>
                            </p>
                            <form method="get" class="filters">
                                <label>{locale.t(Msg::PenAgency)}" "
                                    <select name="agency">
                                        <option value="">{locale.t(Msg::FilterAll)}</option>
                                        {l.agencies.iter().map(|a| {
                                            let v = a.id.to_string();
                                            let selected = v == agency;
                                            view! { <option value=v selected=selected>{a.name(locale).to_owned()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <label>{locale.t(Msg::PenYear)}" "
                                    <select name="year">
                                        <option value="">{locale.t(Msg::FilterAll)}</option>
                                        {l.years.iter().map(|y| {
                                            let v = y.to_string();
                                            let selected = v == year;
                                            view! { <option value=v.clone() selected=selected>{v.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </label>
                                <button type="submit">{locale.t(Msg::FilterApply)}</button>
                            </form>
                            <section aria-labelledby="follow-title">
                                <h2 id="follow-title">{locale.t(Msg::PenFollowTitle)}</h2>
                                <FollowChart follow=l.follow.clone()/>
                            </section>
                            <section aria-labelledby="cases-title">
                                <h2 id="cases-title">{locale.t(Msg::PenCases)}</h2>
                                {if l.page.items.is_empty() {
                                    view! { <p class="hint">{locale.t(Msg::PenNoCases)}</p> }.into_any()
                                } else {
                                    view! { <ul class="cards" data-testid="cases">{l.page.items.iter().cloned().map(|c| view! { <CaseCard c/> }).collect_view()}</ul> }.into_any()
                                }}
                                {next.map(|href| view! { <a class="button" href=href rel="next">{locale.t(Msg::NextPage)}</a> })}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    confirm: ServerAction<ConfirmMasking>,
    statement: ServerAction<PartyStatement>,
    draw: ServerAction<DrawPanel>,
    answer: ServerAction<AnswerInvitation>,
    opinion: ServerAction<GiveOpinion>,
    close: ServerAction<CloseReview>,
    reply: ServerAction<ReplyPenalty>,
    withdraw: ServerAction<WithdrawPenalty>,
}

impl Actions {
    fn new() -> Self {
        Self {
            confirm: ServerAction::new(),
            statement: ServerAction::new(),
            draw: ServerAction::new(),
            answer: ServerAction::new(),
            opinion: ServerAction::new(),
            close: ServerAction::new(),
            reply: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.confirm.version().get()
            + self.statement.version().get()
            + self.draw.version().get()
            + self.answer.version().get()
            + self.opinion.version().get()
            + self.close.version().get()
            + self.reply.version().get()
            + self.withdraw.version().get()
    }
}

#[component]
pub fn PenaltyPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let actions = Actions::new();
    let case = Resource::new(
        move || (id(), actions.version()),
        |(id, _)| async move {
            match id {
                Some(id) => get_penalty(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match case.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(c) => view! { <Case c actions/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Case(c: PenaltyDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let s = c.summary.clone();
    let id = s.id;
    let title = locale.fmt(Msg::PenCaseTitle, &[("number", &s.case_number)]);
    let header = view! {
            <header>
                <p class="meta">{status_tag(locale, &s)}" "{s.agency.name(locale).to_owned()}</p>
                <h1>{title.clone()}</h1>
                {s.overdue.then(|| view! {
                    <p class="draft-banner" role="status" data-testid="overdue">
                        {locale.fmt(Msg::PenOverdueBanner, &[("days", &REPLY_DAYS), ("due", &c.reply_due.map(format_local).unwrap_or_default())])}
                    </p>
                })}
                {c.status_reason.clone().map(|r| view! { <p class="draft-banner" role="status">{locale.t(Msg::PenWithdrawnBecause)}{r}</p> })}
                <dl class="facts">
                    <dt>{locale.t(Msg::PenDistrict)}</dt><dd>{s.district.clone()}</dd>
                    <dt>{locale.t(Msg::PenProposedPenalty)}</dt><dd data-testid="proposed">{penalty_text(locale, s.penalty_kind, s.penalty_amount)}</dd>
                    <dt>{locale.t(Msg::PenPanel)}</dt>
                    <dd>{locale.fmt(Msg::PenPanelText, &[("n", &c.panel_size), ("sitting", &c.sitting), ("given", &c.given)])}</dd>
                    {c.review_due.map(|due| view! { <dt>{locale.t(Msg::PenReviewDue)}</dt><dd>{format_local(due)}</dd> })}
                    <dt>{locale.t(Msg::HearingCommitment)}</dt><dd><code class="hash">{c.seed_commitment.clone()}</code></dd>
                </dl>
                {c.drawn_at.map(|_| view! { <p><a href=format!("/penalties/{id}/draw")>{locale.t(Msg::PenDrawLink)}</a></p> })}
            </header>
    }
    .into_any();
    let facts = view! {
            <section aria-labelledby="facts-title">
                <h2 id="facts-title">{locale.t(Msg::PenFacts)}</h2>
                <p class="prewrap" data-testid="facts">{c.facts.clone()}</p>
                <h2>{locale.t(Msg::PenBasis)}</h2>
                <p class="prewrap">{c.basis.clone()}</p>
                <h2>{locale.t(Msg::PenDiscretion)}</h2>
                <p class="prewrap">{c.discretion.clone()}</p>
                {c.statement.clone().map(|st| view! {
                    <h2>{locale.t(Msg::PenStatement)}</h2>
                    <p class="prewrap" data-testid="statement">{st}</p>
                })}
            </section>
    }
    .into_any();
    view! {
        <Title text=title/>
        <p><a href="/penalties">"← "{locale.t(Msg::PenTitle)}</a></p>
        <article class="case">
            {header}
            <Outcome c=c.clone()/>
            {facts}
            <PanelistPanel c=c.clone() actions/>
            {c.official.then(|| view! { <AgencyPanel c=c.clone() actions/> })}
            {(c.manager && !c.official).then(|| view! { <ManagerPanel c=c.clone() actions/> })}
        </article>
    }
}

/// The panel's opinion, its breakdown, the anonymous opinions and the agency's reply.
#[component]
fn Outcome(c: PenaltyDetail) -> impl IntoView {
    let locale = use_locale();
    let Some(panel) = c.panel.clone() else { return ().into_any() };
    view! {
        <section class="panel" aria-labelledby="outcome-title" id="outcome">
            <h2 id="outcome-title">{locale.t(Msg::PenOutcome)}</h2>
            <p class="status" data-testid="panel-opinion">
                {locale.t(Msg::PenPanelSaid)}<strong>{locale.penalty_opinion(panel.opinion)}</strong>" "
                {if panel.absolute_majority { locale.t(Msg::PenByMajority) } else { locale.t(Msg::PenByMedian) }}
            </p>
            <table class="breakdown" data-testid="breakdown">
                <caption>{locale.t(Msg::PenBreakdown)}</caption>
                <tbody>
                    {Opinion::ALL.iter().zip(panel.breakdown.iter()).map(|(o, n)| view! {
                        <tr><th scope="row">{locale.penalty_opinion(*o)}</th><td>{*n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{locale.t(Msg::PenOpinions)}</h3>
            <ol class="opinions">
                {c.opinions.iter().map(|o| view! {
                    <li>
                        <strong>{locale.penalty_opinion(o.opinion)}</strong>
                        {o.amount.map(|a| view! { " · "{locale.fmt(Msg::PenSuggested, &[("amount", &group_digits(a))])} })}
                        <p class="prewrap">{o.reasons.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
            {match c.reply.clone() {
                Some(r) => view! {
                    <h3>{locale.t(Msg::PenReply)}</h3>
                    <p class="status" data-testid="reply"><strong>{locale.reply_kind(r.kind)}</strong>" · "{locale.t(Msg::PenFinal)}{penalty_text(locale, r.final_kind, r.final_amount)}" · "{format_local(r.replied_at)}</p>
                    <p class="prewrap">{r.reasons}</p>
                }.into_any(),
                None => view! {
                    <p class="hint">{locale.fmt(Msg::PenReplyDue, &[("due", &c.reply_due.map(format_local).unwrap_or_default())])}</p>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// A panelist's invitation and opinion.
#[component]
fn PanelistPanel(c: PenaltyDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let Some(mine) = c.mine.clone() else { return ().into_any() };
    let id = c.summary.id;
    let review = c.summary.status == CaseStatus::Review;
    let answer_error = action_error(actions.answer);
    let opinion_error = action_error(actions.opinion);
    let current = mine.opinion.clone();
    let chosen = current.as_ref().map(|o| o.opinion).unwrap_or(Opinion::Agree);
    let has_amount = c.summary.penalty_kind.has_amount();
    view! {
        <section class="panel" id="my-seat" aria-labelledby="seat-title">
            <h2 id="seat-title">{locale.t(Msg::PenYourSeat)}</h2>
            <p class="status" data-testid="my-seat">
                <strong>{locale.seat_state(mine.state)}</strong>" · "{locale.fmt(Msg::PenYourCode, &[("code", &mine.code)])}
                {mine.due_at.map(|d| view! { " · "{locale.fmt(Msg::PenDueBy, &[("due", &format_local(d))])} })}
            </p>
            {(review && mine.state == SeatState::Invited).then(|| view! {
                <ActionForm action=actions.answer attr:class="inline">
                    <FormError error=answer_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" name="answer" value="accept">{locale.t(Msg::PenAccept)}</button>" "
                    <button type="submit" name="answer" value="decline" class="secondary">{locale.t(Msg::PenDecline)}</button>
                </ActionForm>
            })}
            {(review && mine.state.sits()).then(|| view! {
                <ActionForm action=actions.opinion attr:class="form" attr:novalidate="">
                    <FormError error=opinion_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    {current.is_some().then(|| view! { <p class="hint">{locale.fmt(Msg::PenRevise, &[("n", &mine.revisions)])}</p> })}
                    <fieldset>
                        <legend>{locale.t(Msg::PenYourOpinion)}</legend>
                        {Opinion::ALL.iter().map(|o| view! {
                            <label class="choice"><input type="radio" name="opinion" value=o.as_str() checked=*o == chosen/>{locale.penalty_opinion(*o)}</label>
                        }).collect_view()}
                    </fieldset>
                    <FieldError error=opinion_error field="opinion"/>
                    {has_amount.then(|| view! {
                        <label for="amount">{locale.t(Msg::PenSuggestedAmount)}</label>
                        <input type="text" id="amount" name="amount" inputmode="numeric" value=current.as_ref().and_then(|o| o.amount).map(|a| a.to_string()).unwrap_or_default()
                            aria-invalid=invalid(opinion_error, "amount")/>
                        <FieldError error=opinion_error field="amount"/>
                    })}
                    <label for="reasons">{locale.t(Msg::PenReasons)}</label>
                    <textarea id="reasons" name="reasons" rows="4" aria-invalid=invalid(opinion_error, "reasons")>{current.as_ref().map(|o| o.reasons.clone()).unwrap_or_default()}</textarea>
                    <FieldError error=opinion_error field="reasons"/>
                    <button type="submit" disabled=move || actions.opinion.pending().get()>{locale.t(Msg::PenSubmitOpinion)}</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}

/// The masked text beside the original, every masked span marked.
#[component]
fn MaskingView(field: String, masked: Masked) -> impl IntoView {
    let locale = use_locale();
    let original = masked
        .segments
        .iter()
        .map(|s| match s {
            Segment::Plain(t) => view! { <span>{t.clone()}</span> }.into_any(),
            Segment::Masked { kind, original, .. } => view! { <mark title=locale.pii_kind(*kind)>{original.clone()}</mark> }.into_any(),
        })
        .collect_view();
    let replaced = masked
        .segments
        .iter()
        .map(|s| match s {
            Segment::Plain(t) => view! { <span>{t.clone()}</span> }.into_any(),
            Segment::Masked { kind, replacement, .. } => {
                view! { <mark class="masked" title=locale.pii_kind(*kind)>{replacement.clone()}</mark> }.into_any()
            }
        })
        .collect_view();
    view! {
        <div class="masking" data-testid=format!("masking-{field}")>
            <div><h4>{locale.t(Msg::PenOriginal)}</h4><p class="prewrap">{original}</p></div>
            <div><h4>{locale.t(Msg::PenMasked)}</h4><p class="prewrap">{replaced}</p></div>
        </div>
    }
}

/// What the agency's officials do: confirm the masking, draw the panel, record the party's
/// statement, follow and close the review, reply, withdraw.
#[component]
fn AgencyPanel(c: PenaltyDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let id = c.summary.id;
    let status = c.summary.status;
    let confirm_error = action_error(actions.confirm);
    let statement_error = action_error(actions.statement);
    let reply_error = action_error(actions.reply);
    let withdraw_error = action_error(actions.withdraw);
    let private = c.private.clone();
    let label = move |field: &str| match field {
        "facts" => locale.t(Msg::PenFacts),
        "basis" => locale.t(Msg::PenBasis),
        _ => locale.t(Msg::PenDiscretion),
    };
    let masked_texts = [("facts", c.facts.clone()), ("basis", c.basis.clone()), ("discretion", c.discretion.clone())];
    let statement = c.statement.clone().unwrap_or_default();
    let (case_number, penalty_kind, penalty_amount) = (c.summary.case_number.clone(), c.summary.penalty_kind, c.summary.penalty_amount);
    view! {
        <section class="panel" aria-labelledby="agency-title" id="agency">
            <h2 id="agency-title">{locale.t(Msg::PenForAgency)}</h2>
            {private.clone().map(|p| view! {
                <dl class="facts private">
                    <dt>{locale.t(Msg::PenParty)}</dt><dd data-testid="party">{p.party_name.clone()}</dd>
                    <dt>{locale.t(Msg::PenNames)}</dt><dd>{p.listed_names.join("、")}</dd>
                </dl>
                <p class="hint">{locale.t(Msg::PenPrivateHint)}</p>
            })}
            {(status == CaseStatus::Draft).then(|| view! {
                <h3>{locale.t(Msg::PenCheckMasking)}</h3>
                <p class="hint">{locale.t(Msg::PenCheckMaskingHint)}</p>
                {private.clone().map(|p| p.masking.into_iter().map(|(field, masked)| view! {
                    <h4>{label(&field)}</h4>
                    <MaskingView field masked/>
                }).collect_view())}
                <ActionForm action=actions.confirm attr:class="form" attr:novalidate="">
                    <FormError error=confirm_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="case_number">{locale.t(Msg::PenCaseNumber)}</label>
                    <input type="text" id="case_number" name="case_number" value=case_number.clone() aria-invalid=invalid(confirm_error, "case_number")/>
                    <FieldError error=confirm_error field="case_number"/>
                    {masked_texts.into_iter().map(|(field, text)| view! {
                        <label for=format!("confirm-{field}")>{label(field)}" ("{locale.t(Msg::PenMasked)}")"</label>
                        <textarea id=format!("confirm-{field}") name=field rows="6" aria-invalid=invalid(confirm_error, field)>{text}</textarea>
                        <FieldError error=confirm_error field=field/>
                    }).collect_view()}
                    <button type="submit" disabled=move || actions.confirm.pending().get()>{locale.t(Msg::PenConfirmMasking)}</button>
                </ActionForm>
            }.into_any())}
            {matches!(status, CaseStatus::Open | CaseStatus::Review).then(|| view! {
                <ActionForm action=actions.statement attr:class="form" attr:novalidate="">
                    <FormError error=statement_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="statement">{locale.t(Msg::PenStatement)}</label>
                    <p class="hint">{locale.t(Msg::PenStatementHint)}</p>
                    <textarea id="statement" name="statement" rows="4" aria-invalid=invalid(statement_error, "statement")>{statement.clone()}</textarea>
                    <FieldError error=statement_error field="statement"/>
                    <button type="submit" class="secondary">{locale.t(Msg::PenSaveStatement)}</button>
                </ActionForm>
            }.into_any())}
            <ManagerPanel c=c actions/>
            {(status == CaseStatus::Concluded).then(|| view! {
                <ActionForm action=actions.reply attr:class="form" attr:novalidate="">
                    <h3>{locale.t(Msg::PenReply)}</h3>
                    <FormError error=reply_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <fieldset>
                        <legend>{locale.t(Msg::PenHowUsed)}</legend>
                        {ReplyKind::ALL.iter().map(|r| view! {
                            <label class="choice"><input type="radio" name="reply" value=r.as_str() checked=*r == ReplyKind::Adopted/>{locale.reply_kind(*r)}</label>
                        }).collect_view()}
                    </fieldset>
                    <label for="final_kind">{locale.t(Msg::PenFinalKind)}</label>
                    <select id="final_kind" name="final_kind">
                        {PenaltyKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=*k == penalty_kind>{locale.penalty_kind(*k)}</option> }).collect_view()}
                    </select>
                    <label for="final_amount">{locale.t(Msg::PenFinalAmount)}</label>
                    <input type="text" id="final_amount" name="final_amount" inputmode="numeric" value=penalty_amount.map(|a| a.to_string()).unwrap_or_default()
                        aria-invalid=invalid(reply_error, "final_amount")/>
                    <FieldError error=reply_error field="final_amount"/>
                    <label for="reply-reasons">{locale.t(Msg::PenReplyReasons)}</label>
                    <textarea id="reply-reasons" name="reasons" rows="4" aria-invalid=invalid(reply_error, "reasons")></textarea>
                    <FieldError error=reply_error field="reasons"/>
                    <button type="submit">{locale.t(Msg::PenSendReply)}</button>
                </ActionForm>
            }.into_any())}
            {matches!(status, CaseStatus::Draft | CaseStatus::Open | CaseStatus::Review).then(|| view! {
                <details>
                    <summary>{locale.t(Msg::PenWithdraw)}</summary>
                    <ActionForm action=actions.withdraw attr:class="form" attr:novalidate="">
                        <FormError error=withdraw_error/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <label for="withdraw-reason">{locale.t(Msg::PenWithdrawReason)}</label>
                        <input type="text" id="withdraw-reason" name="reason" aria-invalid=invalid(withdraw_error, "reason")/>
                        <FieldError error=withdraw_error field="reason"/>
                        <button type="submit" class="secondary">{locale.t(Msg::PenWithdraw)}</button>
                    </ActionForm>
                </details>
            }.into_any())}
        </section>
    }
    .into_any()
}

/// Drawing the panel, following the seats and closing the review: the agency's official or an admin.
#[component]
fn ManagerPanel(c: PenaltyDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let id = c.summary.id;
    let status = c.summary.status;
    let draw_error = action_error(actions.draw);
    let close_error = action_error(actions.close);
    let closed = actions.close.value();
    view! {
        {(status == CaseStatus::Open).then(|| view! {
            <ActionForm action=actions.draw attr:class="form" attr:novalidate="">
                <h3>{locale.t(Msg::PenDrawPanel)}</h3>
                <p class="hint">{locale.t(Msg::PenDrawHint)}</p>
                <FormError error=draw_error/>
                <input type="hidden" name="id" value=id.to_string()/>
                <div class="row">
                    <div>
                        <label for="size">{locale.t(Msg::PenPanelSize)}</label>
                        <select id="size" name="size" aria-invalid=invalid(draw_error, "size")>
                            {[5u32, 7, 9].into_iter().map(|n| view! { <option value=n.to_string() selected=n == DEFAULT_PANEL>{n}</option> }).collect_view()}
                        </select>
                        <FieldError error=draw_error field="size"/>
                    </div>
                    <div>
                        <label for="review_days">{locale.fmt(Msg::PenReviewDays, &[("min", &MIN_REVIEW_DAYS), ("max", &MAX_REVIEW_DAYS)])}</label>
                        <input id="review_days" name="review_days" type="number" min=MIN_REVIEW_DAYS max=MAX_REVIEW_DAYS value=DEFAULT_REVIEW_DAYS.to_string()
                            aria-invalid=invalid(draw_error, "review_days")/>
                        <FieldError error=draw_error field="review_days"/>
                    </div>
                </div>
                <button type="submit" disabled=move || actions.draw.pending().get()>{locale.t(Msg::PenDrawPanel)}</button>
            </ActionForm>
        }.into_any())}
        {(!c.seats.is_empty()).then(|| view! {
            <h3>{locale.t(Msg::PenSeats)}</h3>
            <table class="seats" data-testid="seats">
                <thead><tr>
                    <th scope="col">{locale.t(Msg::PenReviewer)}</th>
                    <th scope="col">{locale.t(Msg::HearingState)}</th>
                    <th scope="col">{locale.t(Msg::PenReviewDue)}</th>
                    <th scope="col">{locale.t(Msg::PenGiven)}</th>
                </tr></thead>
                <tbody>
                    {c.seats.iter().map(|s| view! {
                        <tr>
                            <td><code>{s.code.clone()}</code></td>
                            <td>{locale.seat_state(s.state)}</td>
                            <td>{s.due_at.map(format_local).unwrap_or_default()}</td>
                            <td>{if s.given { locale.t(Msg::Yes) } else { "" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any())}
        {(status == CaseStatus::Review).then(|| view! {
            <ActionForm action=actions.close attr:class="inline step">
                <FormError error=close_error/>
                {move || closed.get().and_then(|r| r.ok()).filter(|r| !r.concluded).map(|r| view! {
                    <p class="form-ok" role="status">{locale.fmt(Msg::PenReplaced, &[("n", &r.replaced)])}</p>
                })}
                <input type="hidden" name="id" value=id.to_string()/>
                <button type="submit">{locale.t(Msg::PenCloseReview)}</button>
                <span class="hint">{locale.t(Msg::PenCloseHint)}</span>
            </ActionForm>
        }.into_any())}
    }
}

/// An official submits a case for their agency.
#[component]
pub fn NewPenaltyPage() -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let action = ServerAction::<SubmitPenalty>::new();
    let error = action_error(action);
    view! {
        <Title text=locale.t(Msg::PenSubmit)/>
        <p><a href="/penalties">"← "{locale.t(Msg::PenTitle)}</a></p>
        <h1>{locale.t(Msg::PenSubmit)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.viewer.await.ok().flatten() {
                    None => view! { <ErrorPanel error=AppError::Unauthenticated/> }.into_any(),
                    Some(v) if !v.has(Role::Official) => view! { <ErrorPanel error=AppError::Forbidden(Role::Official)/> }.into_any(),
                    Some(_) => view! {
                        <p class="hint">{locale.t(Msg::PenSubmitHint)}</p>
                        <ActionForm action attr:class="form" attr:novalidate="">
                            <FormError error/>
                            <div class="row">
                                <div>
                                    <label for="case_number">{locale.t(Msg::PenCaseNumber)}</label>
                                    <input type="text" id="case_number" name="case_number" aria-invalid=invalid(error, "case_number")/>
                                    <FieldError error field="case_number"/>
                                </div>
                                <div>
                                    <label for="district">{locale.t(Msg::PenDistrict)}</label>
                                    <input type="text" id="district" name="district" aria-invalid=invalid(error, "district")/>
                                    <FieldError error field="district"/>
                                </div>
                            </div>
                            <label for="party_name">{locale.t(Msg::PenParty)}</label>
                            <p class="hint">{locale.t(Msg::PenPartyHint)}</p>
                            <input type="text" id="party_name" name="party_name" aria-invalid=invalid(error, "party_name")/>
                            <FieldError error field="party_name"/>
                            <label for="names">{locale.t(Msg::PenNames)}</label>
                            <p class="hint">{locale.t(Msg::PenNamesHint)}</p>
                            <textarea id="names" name="names" rows="3" aria-invalid=invalid(error, "names")></textarea>
                            <FieldError error field="names"/>
                            <label for="facts">{locale.t(Msg::PenFacts)}</label>
                            <textarea id="facts" name="facts" rows="8" aria-invalid=invalid(error, "facts")></textarea>
                            <FieldError error field="facts"/>
                            <label for="basis">{locale.t(Msg::PenBasis)}</label>
                            <textarea id="basis" name="basis" rows="3" aria-invalid=invalid(error, "basis")></textarea>
                            <FieldError error field="basis"/>
                            <label for="discretion">{locale.t(Msg::PenDiscretion)}</label>
                            <textarea id="discretion" name="discretion" rows="3" aria-invalid=invalid(error, "discretion")></textarea>
                            <FieldError error field="discretion"/>
                            <div class="row">
                                <div>
                                    <label for="penalty_kind">{locale.t(Msg::PenProposedPenalty)}</label>
                                    <select id="penalty_kind" name="penalty_kind">
                                        {PenaltyKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=*k == PenaltyKind::Fine>{locale.penalty_kind(*k)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div>
                                    <label for="amount">{locale.t(Msg::PenAmountField)}</label>
                                    <input type="text" id="amount" name="amount" inputmode="numeric" aria-invalid=invalid(error, "amount")/>
                                    <FieldError error field="amount"/>
                                </div>
                                <div>
                                    <label for="panel_size">{locale.t(Msg::PenPanelSize)}</label>
                                    <select id="panel_size" name="panel_size">
                                        {[5u32, 7, 9].into_iter().map(|n| view! { <option value=n.to_string() selected=n == DEFAULT_PANEL>{n}</option> }).collect_view()}
                                    </select>
                                    <FieldError error field="panel_size"/>
                                </div>
                            </div>
                            <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::PenSubmitButton)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// The published panel draw.
#[component]
pub fn PenaltyDrawPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())).unwrap_or(0);
    let record = Resource::new(id, get_penalty_draw);
    view! {
        <Title text=locale.t(Msg::PenDrawLink)/>
        <p><a href=move || format!("/penalties/{}", id())>"← "{locale.t(Msg::PenBack)}</a></p>
        <h1>{locale.t(Msg::PenDrawLink)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match record.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(d) => {
                        let place = |ordinal: u32| d.outcome.lot.iter().position(|o| *o == ordinal).map(|p| p + 1).unwrap_or(0);
                        let excluded = Exclusion::ALL
                            .iter()
                            .zip(d.excluded.iter())
                            .map(|(e, n)| format!("{} {n}", exclusion_label(locale, *e)))
                            .collect::<Vec<_>>()
                            .join(" · ");
                        let rows = d.eligible.iter().enumerate().map(|(i, code)| {
                            let ordinal = i as u32 + 1;
                            let on_panel = d.outcome.panel.contains(&ordinal);
                            view! {
                                <tr class:chosen=on_panel>
                                    <td>{ordinal}</td>
                                    <td><code>{code.clone()}</code></td>
                                    <td>{place(ordinal)}</td>
                                    <td>{if on_panel { locale.t(Msg::PenOnPanel) } else { locale.t(Msg::SeatReserve) }}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <p class=if d.verified { "form-ok" } else { "form-error" } role="status" data-testid="draw-verified">
                                {if d.verified { locale.t(Msg::PenDrawVerified) } else { locale.t(Msg::DrawNotVerified) }}
                            </p>
                            <dl class="facts">
                                <dt>{locale.t(Msg::DrawAlgorithm)}</dt><dd><code>{d.algorithm.clone()}</code></dd>
                                <dt>{locale.t(Msg::DrawSeed)}</dt><dd><code class="hash">{d.seed.clone()}</code></dd>
                                <dt>{locale.t(Msg::HearingCommitment)}</dt><dd><code class="hash">{d.commitment.clone()}</code></dd>
                                <dt>{locale.t(Msg::PenPanelSize)}</dt><dd>{d.size}</dd>
                                <dt>{locale.t(Msg::PenExcluded)}</dt><dd>{excluded}</dd>
                                <dt>{locale.t(Msg::DrawWhen)}</dt><dd>{format_local(d.drawn_at)}</dd>
                            </dl>
                            <p class="hint">
                                {locale.t(Msg::DrawHowToCheck)}" "<code>{format!("minyi penalty verify-draw {}", d.case_id)}</code>" · "
                                <a href=format!("/penalties/{}/draw.json", d.case_id)>{locale.t(Msg::DrawJson)}</a>
                            </p>
                            <table class="draw">
                                <thead><tr>
                                    <th scope="col">{locale.t(Msg::DrawOrdinal)}</th>
                                    <th scope="col">{locale.t(Msg::PenReviewer)}</th>
                                    <th scope="col">{locale.t(Msg::DrawLot)}</th>
                                    <th scope="col">{locale.t(Msg::HearingState)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn exclusion_label(locale: Locale, e: Exclusion) -> &'static str {
    locale.t(match e {
        Exclusion::Agency => Msg::ConflictAgency,
        Exclusion::District => Msg::ConflictDistrict,
        Exclusion::Party => Msg::ConflictParty,
        Exclusion::OtherPanel => Msg::PenOtherPanel,
    })
}

/// The reviewer pool: volunteering with conflicts, one's panels; the admin's approvals.
#[component]
pub fn PoolPage() -> impl IntoView {
    let locale = use_locale();
    let volunteer = ServerAction::<Volunteer>::new();
    let conflicts = ServerAction::<DeclareConflicts>::new();
    let leave = ServerAction::<LeavePool>::new();
    let approve = ServerAction::<ApproveReviewer>::new();
    let reject = ServerAction::<RejectReviewer>::new();
    let version = move || {
        volunteer.version().get() + conflicts.version().get() + leave.version().get() + approve.version().get() + reject.version().get()
    };
    let pool = Resource::new(version, |_| my_pool());
    let query = use_query_map();
    let admin_list = Resource::new(
        move || (version(), query.with(|q| q.get("all").unwrap_or_default()), query.with(|q| q.get("after").unwrap_or_default())),
        |(_, all, after)| reviewer_pool(all, after),
    );
    let volunteer_error = action_error(volunteer);
    let conflicts_error = action_error(conflicts);
    let leave_error = action_error(leave);
    let approve_error = action_error(approve);
    let reject_error = action_error(reject);
    view! {
        <Title text=locale.t(Msg::PenPoolLink)/>
        <p><a href="/penalties">"← "{locale.t(Msg::PenTitle)}</a></p>
        <h1>{locale.t(Msg::PenPoolLink)}</h1>
        <p class="lead">{locale.fmt(Msg::PenPoolLead, &[("years", &DEFAULT_TERM_YEARS)])}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match pool.await {
                    Err(AppError::Unauthenticated) => view! {
                        <p class="notice"><a href=format!("/signin?next={}", urlencode(&current_path()))>{locale.t(Msg::SignIn)}</a>" · "{locale.t(Msg::PenSignInToVolunteer)}</p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(p) => {
                        let agencies = p.agencies.clone();
                        let member = p.member.clone();
                        let in_pool = member.as_ref().is_some_and(|m| m.in_term || m.state == crate::domain::penalty::PoolState::Volunteered);
                        let declared = member.as_ref().map(|m| m.conflicts.clone()).unwrap_or_default();
                        let listed = |kind: ConflictKind| declared.iter().filter(|c| c.kind == kind).map(|c| c.text.clone()).collect::<Vec<_>>().join("\n");
                        let (districts, parties) = (listed(ConflictKind::District), listed(ConflictKind::Party));
                        let ticked: Vec<i64> = declared.iter().filter_map(|c| c.agency_id).collect();
                        let conflict_fields = move |error: Signal<Option<AppError>>| {
                            let agencies = agencies.clone();
                            let ticked = ticked.clone();
                            view! {
                                <fieldset class="domains">
                                    <legend>{locale.t(Msg::PenConflictAgencies)}</legend>
                                    {agencies.iter().enumerate().map(|(i, a)| view! {
                                        <label class="choice"><input type="checkbox" name=format!("agencies[{i}]") value=a.id.to_string() checked=ticked.contains(&a.id)/>{a.name(locale).to_owned()}</label>
                                    }).collect_view()}
                                </fieldset>
                                <label for="districts">{locale.t(Msg::PenConflictDistricts)}</label>
                                <textarea id="districts" name="districts" rows="2" aria-invalid=invalid(error, "districts")>{districts.clone()}</textarea>
                                <FieldError error field="districts"/>
                                <label for="parties">{locale.t(Msg::PenConflictParties)}</label>
                                <p class="hint">{locale.t(Msg::PenConflictPartiesHint)}</p>
                                <textarea id="parties" name="parties" rows="2" aria-invalid=invalid(error, "parties")>{parties.clone()}</textarea>
                                <FieldError error field="parties"/>
                            }
                        };
                        view! {
                            <section class="panel" aria-labelledby="place-title">
                                <h2 id="place-title">{locale.t(Msg::PenYourPlace)}</h2>
                                {match member.clone() {
                                    Some(m) => view! {
                                        <p class="status" data-testid="pool-state">
                                            <strong>{locale.pool_state(m.state)}</strong>" · "{locale.fmt(Msg::PenYourCode, &[("code", &m.code)])}
                                            {m.term_ends_at.map(|t| view! { " · "{locale.fmt(Msg::PenTermEnds, &[("date", &format_local(t))])} })}
                                        </p>
                                    }.into_any(),
                                    None => view! { <p>{locale.t(Msg::PenNotInPool)}</p> }.into_any(),
                                }}
                                {if in_pool {
                                    view! {
                                        <ActionForm action=conflicts attr:class="form" attr:novalidate="">
                                            <h3>{locale.t(Msg::PenDeclare)}</h3>
                                            <FormError error=conflicts_error/>
                                            {conflict_fields(conflicts_error)}
                                            <button type="submit" class="secondary">{locale.t(Msg::PenSaveConflicts)}</button>
                                        </ActionForm>
                                        <ActionForm action=leave attr:class="inline">
                                            <FormError error=leave_error/>
                                            <button type="submit" class="secondary">{locale.t(Msg::PenLeave)}</button>
                                        </ActionForm>
                                    }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=volunteer attr:class="form" attr:novalidate="">
                                            <FormError error=volunteer_error/>
                                            <label for="motivation">{locale.t(Msg::PenMotivation)}</label>
                                            <textarea id="motivation" name="motivation" rows="3" aria-invalid=invalid(volunteer_error, "motivation")></textarea>
                                            <FieldError error=volunteer_error field="motivation"/>
                                            {conflict_fields(volunteer_error)}
                                            <button type="submit">{locale.t(Msg::PenVolunteer)}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </section>
                            {(!p.panels.is_empty()).then(|| view! {
                                <section aria-labelledby="panels-title">
                                    <h2 id="panels-title">{locale.t(Msg::PenYourPanels)}</h2>
                                    <ul class="cards" data-testid="my-panels">
                                        {p.panels.iter().map(|m| view! {
                                            <li class="card">
                                                <p class="meta"><span class=format!("tag seat-{}", m.state.as_str())>{locale.seat_state(m.state)}</span>" "{m.agency.name(locale).to_owned()}</p>
                                                <h3><a href=format!("/penalties/{}#my-seat", m.case_id)>{m.case_number.clone()}</a></h3>
                                                <p class="hint">
                                                    {locale.case_status(m.status)}
                                                    {m.due_at.map(|d| view! { " · "{locale.fmt(Msg::PenDueBy, &[("due", &format_local(d))])} })}
                                                    {m.given.then(|| view! { " · "{locale.t(Msg::PenOpinionGiven)} })}
                                                </p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {p.admin.then(|| view! {
                                <section aria-labelledby="approve-title">
                                    <h2 id="approve-title">{locale.t(Msg::PenApprovals)}</h2>
                                    <p><a href="?">{locale.t(Msg::PenWaiting)}</a>" · "<a href="?all=1">{locale.t(Msg::PenEveryone)}</a></p>
                                    <FormError error=approve_error/>
                                    <FormError error=reject_error/>
                                    <Suspense fallback=|| ()>
                                        {move || Suspend::new(async move {
                                            match admin_list.await {
                                                Err(error) => view! { <ErrorPanel error/> }.into_any(),
                                                Ok(page) if page.items.is_empty() => view! { <p class="hint">{locale.t(Msg::PenNoneWaiting)}</p> }.into_any(),
                                                Ok(page) => view! {
                                                    <ul class="cards" data-testid="pool-admin">
                                                        {page.items.into_iter().map(|m| view! {
                                                            <li class="card">
                                                                <p class="meta"><code>{m.code.clone()}</code>" "<strong>{m.name.clone()}</strong>" · "{locale.pool_state(m.state)}
                                                                    {m.term_ends_at.map(|t| view! { " · "{locale.fmt(Msg::PenTermEnds, &[("date", &format_local(t))])} })}
                                                                </p>
                                                                <p class="prewrap">{m.motivation.clone()}</p>
                                                                {(!m.conflicts.is_empty()).then(|| view! {
                                                                    <p class="hint">{locale.t(Msg::PenDeclared)}{m.conflicts.iter().map(|c| format!("{}：{}", locale.conflict_kind(c.kind), if c.text.is_empty() { c.agency_id.map(|a| format!("#{a}")).unwrap_or_default() } else { c.text.clone() })).collect::<Vec<_>>().join("；")}</p>
                                                                })}
                                                                <ActionForm action=approve attr:class="inline">
                                                                    <input type="hidden" name="member" value=m.id.to_string()/>
                                                                    <label>{locale.t(Msg::PenTermYears)}" "<input name="years" type="number" min="1" max="5" value=DEFAULT_TERM_YEARS.to_string() class="short"/></label>" "
                                                                    <button type="submit">{if m.state == crate::domain::penalty::PoolState::Active { locale.t(Msg::PenRenew) } else { locale.t(Msg::PenApprove) }}</button>
                                                                </ActionForm>
                                                                {(m.state == crate::domain::penalty::PoolState::Volunteered).then(|| view! {
                                                                    <ActionForm action=reject attr:class="inline">
                                                                        <input type="hidden" name="member" value=m.id.to_string()/>
                                                                        <input type="text" name="reason" placeholder=locale.t(Msg::PenRejectReason) aria-label=locale.t(Msg::PenRejectReason)/>" "
                                                                        <button type="submit" class="secondary">{locale.t(Msg::PenReject)}</button>
                                                                    </ActionForm>
                                                                })}
                                                            </li>
                                                        }).collect_view()}
                                                    </ul>
                                                    {page.next.map(|after| view! { <a class="button" rel="next" href=format!("?all={}&after={after}", query.with(|q| q.get("all").unwrap_or_default()))>{locale.t(Msg::NextPage)}</a> })}
                                                }.into_any(),
                                            }
                                        })}
                                    </Suspense>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
