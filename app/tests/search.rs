//! Search on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm): Chinese without spaces by
//! queries of one, two and more characters, English in either case, several terms that
//! must all occur; drafts and hidden comments never found; filters and keyset pages.

#[macro_use]
mod common;

use app::{
    backend::{
        markdown::render_clauses,
        service::{self, comments::CommentInput, Actor},
        store::{
            proposals::NewProposal,
            search::{self, Hit},
        },
        Db,
    },
    domain::{
        comment::{CommentText, Stance},
        proposal::{CommentWindow, PolicyDomain, ProposalFilter, ProposalKind},
        role::Role,
        search::SearchQuery,
    },
};
use chrono::Duration;
use common::{t0, user, viewer};

fn q(raw: &str) -> SearchQuery {
    SearchQuery::parse(raw).unwrap()
}

async fn publish(db: &Db, agency: i64, official: i64, title: &str, body: &str, domain: PolicyDomain, draft: bool) -> i64 {
    db.create_proposal(
        &NewProposal {
            agency_id: agency,
            kind: ProposalKind::PolicyAdjustment,
            title: title.into(),
            domains: vec![domain],
            body_md: body.into(),
            clauses: render_clauses(body).unwrap(),
            window: CommentWindow { opens_at: t0(), closes_at: t0() + Duration::days(30), short_reason: None },
            created_by: official,
            draft,
        },
        t0(),
    )
    .await
    .unwrap()
}

fn titles(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.title.as_str()).collect()
}

fn texts(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.text.as_str()).collect()
}

async fn search_finds_chinese_by_any_run_of_characters_and_never_drafts_or_hidden_text(db: Db) {
    let water = db.ensure_agency("swj", "市水务局", "Water").await.unwrap();
    let transport = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = user(&db, "o@example.cn", &[Role::Citizen, Role::Official], Some(water)).await;
    let water_id = publish(
        &db,
        water,
        official,
        "居民生活用水价格调整方案",
        "第一条 居民生活用水实行阶梯水价。\n\n第二条 第一阶梯水价为每立方米 3.5 元。\n\n第三条 Low-income households pay the first tier only.",
        PolicyDomain::Pricing,
        false,
    )
    .await;
    let bus_id =
        publish(&db, transport, official, "公交票价 Bus Fares 调整", "第一条 公交票价按里程计价。", PolicyDomain::Transport, false).await;
    publish(&db, water, official, "水价草稿（未公开）", "第一条 草稿中的水价条款。", PolicyDomain::Pricing, true).await;

    // comments: one visible, one hidden by a moderator
    let citizen = user(&db, "c@example.cn", &[Role::Citizen], None).await;
    let citizen = viewer(&db, citizen).await;
    let by_citizen = Actor { viewer: &citizen, now: t0() + Duration::hours(1) };
    let limits = service::comments::FloodLimits { per_account: 10, per_address: 60, minutes: 10 };
    let post = |text: &'static str| {
        let db = db.clone();
        let by_citizen = Actor { viewer: by_citizen.viewer, now: by_citizen.now };
        async move {
            let body = CommentText::parse(text).unwrap();
            let input = CommentInput { proposal_id: water_id, clause: Some(2), stance: Stance::Oppose, text: &body, body_html: text };
            service::comments::post(&db, &by_citizen, "198.51.100.1", limits, input).await.unwrap()
        }
    };
    post("阶梯水价的第一档太低，三口之家不够用。").await;
    let hidden = post("水价方案的负责人是骗子，大家去他家门口闹！").await;
    let moderator = user(&db, "m@example.cn", &[Role::Citizen, Role::Moderator], None).await;
    let moderator = viewer(&db, moderator).await;
    service::comments::hide(&db, &Actor { viewer: &moderator, now: t0() + Duration::hours(2) }, hidden, "人身攻击").await.unwrap();
    let none = ProposalFilter::default();

    // one character, two characters (no trigram: a scan), three and more (the index)
    for query in ["水", "水价", "阶梯水价", "用水价格"] {
        let found = search::proposals(&db, &q(query), none, None, 10).await.unwrap();
        let expected: Vec<&str> = if query == "阶梯水价" { vec![] } else { vec!["居民生活用水价格调整方案"] };
        assert_eq!(titles(&found), expected, "title search for {query}");
        let clauses = search::clauses(&db, &q(query), none, None, 10).await.unwrap();
        assert!(clauses.iter().all(|h| h.proposal_id == water_id && q(query).matches(&h.text)), "{query}: {clauses:?}");
        let comments = search::comments(&db, &q(query), none, None, 10).await.unwrap();
        assert!(comments.iter().all(|h| !h.text.contains("骗子")), "a hidden comment is never found: {comments:?}");
    }
    let clauses = search::clauses(&db, &q("阶梯水价"), none, None, 10).await.unwrap();
    assert_eq!(clauses.iter().map(|h| h.item).collect::<Vec<_>>(), [1, 2], "both clauses, in order");
    assert_eq!(texts(&search::comments(&db, &q("水价"), none, None, 10).await.unwrap()), ["阶梯水价的第一档太低，三口之家不够用。"]);
    assert!(search::comments(&db, &q("骗子"), none, None, 10).await.unwrap().is_empty());
    // a draft is found by nothing, however exact
    for query in ["草稿", "水价草稿", "未公开"] {
        assert!(search::proposals(&db, &q(query), none, None, 10).await.unwrap().is_empty(), "{query}");
        assert!(search::clauses(&db, &q(query), none, None, 10).await.unwrap().is_empty(), "{query}");
    }
    // English in either case; every term must occur; LIKE's own characters are literal
    assert_eq!(titles(&search::proposals(&db, &q("bus FARES"), none, None, 10).await.unwrap()), ["公交票价 Bus Fares 调整"]);
    assert_eq!(search::clauses(&db, &q("LOW-INCOME"), none, None, 10).await.unwrap().len(), 1);
    assert_eq!(titles(&search::proposals(&db, &q("票价 调整"), none, None, 10).await.unwrap()), ["公交票价 Bus Fares 调整"]);
    assert!(search::proposals(&db, &q("票价 水"), none, None, 10).await.unwrap().is_empty());
    assert!(search::proposals(&db, &q("用%价"), none, None, 10).await.unwrap().is_empty());
    assert!(search::clauses(&db, &q("3_5"), none, None, 10).await.unwrap().is_empty());
    assert_eq!(search::clauses(&db, &q("3.5"), none, None, 10).await.unwrap().len(), 1);
    assert!(search::proposals(&db, &q("\"水价"), none, None, 10).await.unwrap().len() <= 1, "a quote is not FTS syntax");

    // filters: agency and domain
    let by_agency = ProposalFilter { agency_id: Some(transport), ..ProposalFilter::default() };
    assert_eq!(titles(&search::proposals(&db, &q("调整"), by_agency, None, 10).await.unwrap()), ["公交票价 Bus Fares 调整"]);
    let by_domain = ProposalFilter { domain: Some(PolicyDomain::Pricing), ..ProposalFilter::default() };
    assert_eq!(titles(&search::proposals(&db, &q("调整"), by_domain, None, 10).await.unwrap()), ["居民生活用水价格调整方案"]);

    // keyset pages: newest first, the next page after the last one shown
    let first = search::proposals(&db, &q("调整"), none, None, 1).await.unwrap();
    assert_eq!(first[0].proposal_id, bus_id);
    let second = search::proposals(&db, &q("调整"), none, Some(first[0].proposal_id), 1).await.unwrap();
    assert_eq!(second[0].proposal_id, water_id);
    let clause_page = search::clauses(&db, &q("阶梯水价"), none, Some((water_id, 1)), 10).await.unwrap();
    assert_eq!(clause_page.iter().map(|h| h.item).collect::<Vec<_>>(), [2]);
}

on_both_databases!(search_finds_chinese_by_any_run_of_characters_and_never_drafts_or_hidden_text);
