//! An official publishes a draft for comment.

use chrono::Duration;
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::proposals::{list_agencies, server_now, PublishProposal},
    app::Session,
    components::errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
    domain::{
        proposal::{PolicyDomain, ProposalKind, MIN_WINDOW_DAYS},
        role::Role,
        text::{ProposalBody, Title as TitleText},
        time::to_input_value,
    },
    error::AppError,
    i18n::{use_locale, Msg},
};

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let agencies = Resource::new(|| (), |_| list_agencies());
    // the server's clock, so that server and browser render the same defaults
    let now = Resource::new(|| (), |_| server_now());
    view! {
        <Title text=locale.t(Msg::NewProposalTitle)/>
        <h1>{locale.t(Msg::NewProposalTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = session.viewer.await.ok().flatten();
                let agencies = agencies.await.unwrap_or_default();
                let now = now.await.ok();
                match viewer {
                    None => view! { <ErrorPanel error=AppError::Unauthenticated/> }.into_any(),
                    Some(v) if !v.has(Role::Official) => view! { <ErrorPanel error=AppError::Forbidden(Role::Official)/> }.into_any(),
                    Some(v) => {
                        let agency = v.agency_id.and_then(|id| agencies.into_iter().find(|a| a.id == id));
                        match agency {
                            None => view! { <p class="notice">{locale.t(Msg::NoAgencyAssigned)}</p> }.into_any(),
                            Some(agency) => view! { <ProposalForm agency_name=agency.name(locale).to_owned() now/> }.into_any(),
                        }
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProposalForm(agency_name: String, now: Option<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<PublishProposal>::new();
    let error = action_error(action);
    // a sensible default: open tomorrow morning for the 30-day minimum
    let tomorrow = now.and_then(|now| (now + Duration::days(1)).date_naive().and_hms_opt(1, 0, 0)).map(|t| t.and_utc());
    let opens = tomorrow.map(to_input_value).unwrap_or_default();
    let closes = tomorrow.map(|t| to_input_value(t + Duration::days(MIN_WINDOW_DAYS))).unwrap_or_default();
    let kinds = ProposalKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{locale.kind(*k)}</option> }).collect_view();
    let domains = PolicyDomain::ALL
        .iter()
        .enumerate()
        .map(|(i, d)| {
            view! {
                <label class="choice">
                    <input type="checkbox" name=format!("domains[{i}]") value=d.as_str()/>
                    {locale.domain(*d)}
                    {d.requires_hearing().then(|| view! { <span class="hint-inline">" ("{locale.t(Msg::HearingRequiredBadge)}")"</span> })}
                </label>
            }
        })
        .collect_view();
    view! {
        <ActionForm action attr:class="form proposal-form" attr:novalidate="">
            <FormError error/>
            <p class="meta">{locale.t(Msg::FieldAgency)}": "<strong>{agency_name}</strong></p>
            <FieldError error field="agency"/>
            <label for="title">{locale.t(Msg::FieldTitle)}</label>
            <input id="title" name="title" type="text" required maxlength=TitleText::MAX.to_string()
                aria-invalid=invalid(error, "title") aria-describedby="title-error"/>
            <FieldError error field="title"/>
            <label for="kind">{locale.t(Msg::FieldKind)}</label>
            <select id="kind" name="kind" aria-invalid=invalid(error, "kind") aria-describedby="kind-error">{kinds}</select>
            <FieldError error field="kind"/>
            <fieldset class="domains" aria-describedby="domains-error">
                <legend>{locale.t(Msg::FieldDomains)}</legend>
                {domains}
            </fieldset>
            <FieldError error field="domains"/>
            <label for="body">{locale.t(Msg::FieldBody)}</label>
            <p class="hint" id="body-hint">{locale.t(Msg::FieldBodyHint)}</p>
            <textarea id="body" name="body" rows="16" maxlength=ProposalBody::MAX.to_string()
                aria-invalid=invalid(error, "body") aria-describedby="body-hint body-error"></textarea>
            <FieldError error field="body"/>
            <div class="row">
                <div>
                    <label for="opens_at">{locale.t(Msg::FieldOpensAt)}</label>
                    <input id="opens_at" name="opens_at" type="datetime-local" value=opens
                        aria-invalid=invalid(error, "opens_at") aria-describedby="opens_at-error"/>
                    <FieldError error field="opens_at"/>
                </div>
                <div>
                    <label for="closes_at">{locale.t(Msg::FieldClosesAt)}</label>
                    <input id="closes_at" name="closes_at" type="datetime-local" value=closes
                        aria-invalid=invalid(error, "closes_at") aria-describedby="closes_at-error"/>
                    <FieldError error field="closes_at"/>
                </div>
            </div>
            <label for="short_reason">{locale.t(Msg::FieldShortReason)}</label>
            <p class="hint" id="short_reason-hint">{locale.t(Msg::FieldShortReasonHint)}</p>
            <input id="short_reason" name="short_reason" type="text" maxlength="1000"
                aria-invalid=invalid(error, "short_reason") aria-describedby="short_reason-hint short_reason-error"/>
            <FieldError error field="short_reason"/>
            <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::SaveDraft)}</button>
        </ActionForm>
    }
}
