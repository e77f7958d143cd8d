use leptos::prelude::*;

use crate::{
    api::types::ProposalSummary,
    domain::time::format_local_date,
    i18n::{use_locale, Msg},
};

#[component]
pub fn ProposalCard(proposal: ProposalSummary) -> impl IntoView {
    let locale = use_locale();
    let href = format!("/proposals/{}", proposal.id);
    let domains = proposal.domains.iter().map(|d| view! { <li class="tag">{locale.domain(*d)}</li> }).collect_view();
    view! {
        <article class="card proposal-card">
            <h3><a href=href>{proposal.title.clone()}</a></h3>
            <p class="meta">
                <span>{proposal.agency.name(locale).to_owned()}</span>
                " · "
                <span>{locale.kind(proposal.kind)}</span>
            </p>
            <ul class="tags">
                {domains}
                {proposal.hearing_required.then(|| view! { <li class="tag tag-hearing">{locale.t(Msg::HearingRequiredBadge)}</li> })}
            </ul>
            <p class="meta window">
                {locale.t(Msg::OpensOn)}" "{format_local_date(proposal.window.opens_at)}
                " — "
                {locale.t(Msg::ClosesOn)}" "{format_local_date(proposal.window.closes_at)}
                " · "
                {locale.fmt(Msg::CommentsCount, &[("n", &proposal.comment_count)])}
            </p>
        </article>
    }
}
