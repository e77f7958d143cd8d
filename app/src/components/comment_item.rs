//! One comment as every list shows it: author (and, for the officials of the
//! proposal's agency, the account behind the name), stance, the clause and version it
//! was written on, its campaign, and the +1 and report forms.

use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::{
        comments::{ReportComment, SupportComment},
        types::CommentView,
    },
    domain::time::{format_local, format_local_date},
    i18n::{Locale, Msg},
};

#[component]
pub fn CommentItem(
    comment: CommentView,
    locale: Locale,
    signed_in: bool,
    #[prop(optional)] support: Option<ServerAction<SupportComment>>,
    #[prop(optional)] report: Option<ServerAction<ReportComment>>,
    /// Listed on its campaign's page: no campaign badge on every member.
    #[prop(optional)]
    members_view: bool,
    /// The proposal's current version: comments on older ones link to their text.
    #[prop(optional)]
    current_version: u32,
) -> impl IntoView {
    let target = match comment.clause {
        // a comment stays on the text it was written on
        Some(n) if current_version != 0 && comment.version != current_version => view! {
            <a href=format!("/proposals/{}/versions/{}#clause-{n}", comment.proposal_id, comment.version)>
                {locale.fmt(Msg::OnClauseOfVersion, &[("v", &comment.version), ("n", &n)])}
            </a>
        }
        .into_any(),
        Some(n) => view! { <a href=format!("/proposals/{}#clause-{n}", comment.proposal_id)>{locale.fmt(Msg::OnClause, &[("n", &n)])}</a> }
            .into_any(),
        None => view! { <span>{locale.t(Msg::OnWholeText)}</span> }.into_any(),
    };
    let id = comment.id.to_string();
    let body = match &comment.hidden_reason {
        Some(reason) => view! {
            <p class="comment-hidden">{locale.t(Msg::HiddenByModerator)}{reason.clone()}</p>
        }
        .into_any(),
        None => view! { <div class="comment-body" inner_html=comment.body_html.clone()></div> }.into_any(),
    };
    let visible = comment.hidden_reason.is_none();
    let item_class = if comment.group_size > 1 && !members_view { "comment campaign-entry" } else { "comment" };
    let actions = (visible && signed_in).then(|| {
        let supported = comment.supported_by_reader;
        let support_id = id.clone();
        let support_form = support.map(|support| {
            view! {
                <ActionForm action=support attr:class="inline">
                    <input type="hidden" name="comment_id" value=support_id/>
                    <input type="hidden" name="withdraw" value=if supported { "1" } else { "" }/>
                    <button type="submit" class=if supported { "chip chip-on" } else { "chip" } aria-pressed=supported.to_string()>
                        {if supported { locale.t(Msg::WithdrawSupport) } else { locale.t(Msg::SupportButton) }}
                    </button>
                </ActionForm>
            }
        });
        let report_form = report.map(|report| view! {
            <details class="report">
                <summary>{locale.t(Msg::ReportButton)}</summary>
                <ActionForm action=report attr:class="inline-form">
                    <input type="hidden" name="comment_id" value=id.clone()/>
                    <label class="visually-hidden" for=format!("report-{}", id)>{locale.t(Msg::ReportReason)}</label>
                    <input type="text" id=format!("report-{}", id) name="reason" maxlength="500" placeholder=locale.t(Msg::ReportReason)/>
                    <button type="submit" class="small">{locale.t(Msg::ReportButton)}</button>
                </ActionForm>
            </details>
        });
        view! { <div class="comment-actions">{support_form}{report_form}</div> }
    });
    view! {
        <li class=item_class id=format!("comment-{}", comment.id) data-hidden=(!visible).to_string()>
            <p class="comment-meta">
                <span class="author">{comment.author.clone()}</span>
                {comment.author_identity.clone().map(|who| view! { <span class="identity">{locale.t(Msg::RealIdentity)}{who}</span> })}
                <span class=format!("stance stance-{}", comment.stance.as_str())>{locale.stance(comment.stance)}</span>
                {target}
                <time datetime=comment.created_at.to_rfc3339() title=format_local(comment.created_at)>{format_local_date(comment.created_at)}</time>
                {(comment.support_count > 0).then(|| view! { <span class="supports">{locale.fmt(Msg::SupportCount, &[("n", &comment.support_count)])}</span> })}
            </p>
            {(comment.group_size > 1 && !members_view).then(|| view! {
                <p class="campaign">
                    <strong>{locale.fmt(Msg::CampaignOf, &[("n", &comment.group_size)])}</strong>
                    " · "
                    <a href=format!("/proposals/{}/campaigns/{}", comment.proposal_id, comment.group_id)>{locale.t(Msg::CampaignSeeAll)}</a>
                </p>
            })}
            {body}
            {actions}
        </li>
    }
}
