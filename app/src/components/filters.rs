//! The selects that narrow a list of proposals — agency, policy domain, kind — shared by
//! the home page, `/proposals`, `/blocked` and search, so each offers the same choices.

use leptos::prelude::*;

use crate::{
    api::proposals::list_agencies,
    domain::proposal::{PolicyDomain, ProposalKind},
    i18n::{use_locale, Msg},
};

/// The values chosen so far (as in the query string; "" for any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chosen {
    pub agency: String,
    pub domain: String,
    pub kind: String,
}

/// Three labelled selects inside the caller's GET form. `kind_name` is the kind's
/// parameter (`kind`, or `proposal_kind` on the search page, whose `kind` is the kind
/// of hit).
#[component]
pub fn FilterSelects(chosen: Chosen, #[prop(default = "kind")] kind_name: &'static str) -> impl IntoView {
    let locale = use_locale();
    let agencies = Resource::new(|| (), |_| list_agencies());
    let Chosen { agency, domain, kind } = chosen;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let agency = agency.clone();
                Suspend::new(async move {
                    let options = agencies
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .map(|a| {
                            let id = a.id.to_string();
                            let selected = id == agency;
                            view! { <option value=id selected=selected>{a.name(locale).to_owned()}</option> }
                        })
                        .collect_view();
                    view! {
                        <label class="filter">
                            <span>{locale.t(Msg::FilterAgency)}</span>
                            <select name="agency">
                                <option value="">{locale.t(Msg::SearchAllAgencies)}</option>
                                {options}
                            </select>
                        </label>
                    }
                })
            }}
        </Suspense>
        <label class="filter">
            <span>{locale.t(Msg::FilterDomain)}</span>
            <select name="domain">
                <option value="">{locale.t(Msg::SearchAllDomains)}</option>
                {PolicyDomain::ALL
                    .iter()
                    .map(|d| view! { <option value=d.as_str() selected=d.as_str() == domain>{locale.domain(*d)}</option> })
                    .collect_view()}
            </select>
        </label>
        <label class="filter">
            <span>{locale.t(Msg::FilterKind)}</span>
            <select name=kind_name>
                <option value="">{locale.t(Msg::FilterAllKinds)}</option>
                {ProposalKind::ALL
                    .iter()
                    .map(|k| view! { <option value=k.as_str() selected=k.as_str() == kind>{locale.kind(*k)}</option> })
                    .collect_view()}
            </select>
        </label>
    }
    .into_any()
}
