//! Atom feeds (RFC 4287) of the public events of proposals: every proposal
//! (`/feeds/proposals.atom`), one agency's (`/feeds/agencies/{slug}.atom`) or one policy
//! domain's (`/feeds/domains/{domain}.atom`). Written by `atom_syndication`, which escapes
//! every text; each entry has a permanent id, so a reader shows an event once.

use app::{
    backend::{
        store::feeds::{proposal_events, FeedEvent, FeedEventKind, FeedFilter},
        AppState,
    },
    domain::{proposal::PolicyDomain, time::format_local},
};
use atom_syndication::{Entry, Feed, Link, Person, Text};
use axum::{
    extract::Path,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};

/// Entries per feed.
const ENTRIES: i64 = 50;

pub async fn all(state: Extension<AppState>, headers: HeaderMap) -> Response {
    feed(&state.0, &headers, FeedFilter::default(), "全部草案", "/feeds/proposals.atom").await
}

pub async fn agency(state: Extension<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".atom") else {
        return (StatusCode::NOT_FOUND, "feeds end in .atom").into_response();
    };
    let agencies = match state.db.agencies().await {
        Ok(a) => a,
        Err(error) => return unavailable(error),
    };
    match agencies.into_iter().find(|a| a.slug == slug) {
        Some(a) => {
            let filter = FeedFilter { agency_id: Some(a.id), domain: None };
            feed(&state.0, &headers, filter, &a.name_zh, &format!("/feeds/agencies/{slug}.atom")).await
        }
        None => {
            (StatusCode::BAD_REQUEST, "no agency has this short name; /feeds/proposals.atom lists every agency's proposals").into_response()
        }
    }
}

pub async fn domain(state: Extension<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(name) = file.strip_suffix(".atom") else {
        return (StatusCode::NOT_FOUND, "feeds end in .atom").into_response();
    };
    match PolicyDomain::parse(name) {
        Ok(d) => {
            let filter = FeedFilter { agency_id: None, domain: Some(d) };
            feed(&state.0, &headers, filter, d.as_str(), &format!("/feeds/domains/{name}.atom")).await
        }
        Err(_) => {
            let known: Vec<&str> = PolicyDomain::ALL.iter().map(|d| d.as_str()).collect();
            (StatusCode::BAD_REQUEST, format!("unknown policy domain; one of: {}", known.join(", "))).into_response()
        }
    }
}

fn unavailable(error: sqlx::Error) -> Response {
    tracing::error!(error = ?error, "reading a feed");
    (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], "storage unavailable, try again shortly").into_response()
}

fn headline(e: &FeedEvent) -> String {
    let what = match e.kind {
        FeedEventKind::Published => "发布征求意见",
        FeedEventKind::NewVersion => "发布新版本",
        FeedEventKind::WindowExtended => "延长征求意见期",
        FeedEventKind::Opened => "开始征求意见",
        FeedEventKind::ClosingSoon => "征求意见即将截止",
        FeedEventKind::FeedbackPublished => "公布意见采纳情况",
        FeedEventKind::Adopted => "通过",
        FeedEventKind::Withdrawn => "撤回",
        FeedEventKind::HearingScheduled => "举行听证会",
    };
    format!("【{what}】{}", e.title)
}

fn summary(e: &FeedEvent) -> String {
    if let Some(h) = &e.hearing {
        return format!("{}。听证会：{}（北京时间），{}。", e.agency_zh, format_local(h.starts_at), h.venue);
    }
    format!("{}。征求意见期：{} 至 {}（北京时间）。", e.agency_zh, format_local(e.opens_at), format_local(e.closes_at))
}

async fn feed(state: &AppState, headers: &HeaderMap, filter: FeedFilter, name: &str, path: &str) -> Response {
    let now = state.now();
    let events = match proposal_events(&state.db, filter, now, ENTRIES).await {
        Ok(e) => e,
        Err(error) => return unavailable(error),
    };
    let origin = crate::ical::origin(headers, state);
    let host = origin.split("://").nth(1).unwrap_or("minyi").split(':').next().unwrap_or("minyi").to_owned();
    let link = |href: String, rel: &str| Link { href, rel: rel.to_owned(), ..Default::default() };
    let entries: Vec<Entry> = events
        .iter()
        .map(|e| {
            let mut entry = Entry::default();
            // tag URIs (RFC 4151): the same event keeps the same id on every fetch
            let what = match e.seq {
                Some(seq) => format!("{}-{seq}", e.kind.as_str()),
                None => format!("{}-{}", e.kind.as_str(), e.at.timestamp()),
            };
            entry.set_id(format!("tag:{host},2026:proposal-{}-{what}", e.proposal_id));
            let page = match &e.hearing {
                Some(h) => format!("{origin}/hearings/{}", h.id),
                None => format!("{origin}/proposals/{}", e.proposal_id),
            };
            entry.set_title(Text::plain(headline(e)));
            entry.set_updated(e.at.fixed_offset());
            entry.set_summary(Some(Text::plain(summary(e))));
            entry.set_links(vec![link(page, "alternate")]);
            entry.set_authors(vec![Person { name: e.agency_zh.clone(), ..Default::default() }]);
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("tag:{host},2026:{path}"));
    feed.set_title(Text::plain(format!("民意 · {name}")));
    feed.set_subtitle(Some(Text::plain(
        "重大行政决策草案的公开事件：发布、开始与即将截止征求意见、新版本、听证会、意见采纳情况、通过、撤回",
    )));
    feed.set_updated(events.first().map(|e| e.at).unwrap_or(now).fixed_offset());
    feed.set_links(vec![link(format!("{origin}{path}"), "self"), link(format!("{origin}/proposals"), "alternate")]);
    feed.set_authors(vec![Person { name: "民意".to_owned(), ..Default::default() }]);
    feed.set_lang(Some("zh-CN".to_owned()));
    feed.set_entries(entries);
    ([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")], feed.to_string())
        .into_response()
}
