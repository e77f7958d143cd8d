//! The reviewer queue: assessments and legality reviews awaiting a decision, oldest
//! first, with each legality review's working-day clock.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::gates::review_queue,
    components::errors::ErrorPanel,
    domain::{review::ReviewItem, time::format_local},
    i18n::{use_locale, Msg},
};

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let locale = use_locale();
    let queue = Resource::new(|| (), |_| review_queue());
    view! {
        <Title text=locale.t(Msg::ReviewsTitle)/>
        <h1>{locale.t(Msg::ReviewsTitle)}</h1>
        <p class="lead">{locale.t(Msg::ReviewsLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(items) if items.is_empty() => view! { <p class="empty">{locale.t(Msg::ReviewsEmpty)}</p> }.into_any(),
                    Ok(items) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=locale.t(Msg::ReviewsTitle)>
                            <table class="queue">
                                <thead><tr>
                                    <th scope="col">{locale.t(Msg::QueueWhat)}</th>
                                    <th scope="col">{locale.t(Msg::QueueFor)}</th>
                                    <th scope="col">{locale.t(Msg::QueueAgency)}</th>
                                    <th scope="col">{locale.t(Msg::QueueSince)}</th>
                                    <th scope="col">{locale.t(Msg::QueueState)}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|q| {
                                        let what = match q.item {
                                            ReviewItem::Assessment => locale.t(Msg::GateStabilityRisk),
                                            ReviewItem::Legality => locale.t(Msg::GateLegalityReview),
                                        };
                                        let state = match (q.item, q.level, q.working_days, q.earliest) {
                                            (ReviewItem::Assessment, Some(level), _, _) => format!(
                                                "{}{}{}",
                                                locale.risk_level(level),
                                                if q.has_mitigation { locale.t(Msg::QueueMitigated) } else { "" },
                                                if q.approvals > 0 { locale.fmt(Msg::QueueApprovals, &[("n", &q.approvals)]) } else { String::new() },
                                            ),
                                            (ReviewItem::Legality, _, Some(n), Some(earliest)) => locale.fmt(
                                                Msg::WorkingDayClock,
                                                &[("n", &n), ("min", &crate::domain::calendar::LEGALITY_REVIEW_MIN_WORKING_DAYS), ("earliest", &earliest.format("%Y-%m-%d"))],
                                            ),
                                            _ => String::new(),
                                        };
                                        view! {
                                            <tr>
                                                <td>{what}</td>
                                                <td><a href=format!("{}#gates", q.subject.path())>{q.subject_title.clone()}</a></td>
                                                <td>{q.agency.name(locale).to_owned()}</td>
                                                <td>{format_local(q.submitted_at)}</td>
                                                <td>{state}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
