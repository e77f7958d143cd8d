//! Markdown to safe HTML, once, when text is written.
//!
//! pulldown-cmark renders; raw HTML in the source is turned into visible text rather
//! than markup; ammonia then sanitises the result, allowing only http, https and
//! mailto links. The body is cut into clauses: every top-level block (paragraph,
//! list, quote, table, code) is one numbered clause; headings are not numbered but
//! carried along with the clause that follows them.

use crate::components::escape_html as escape;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedClause {
    pub number: u32,
    pub heading_html: Option<String>,
    pub html: String,
    /// The clause as plain text (for search and for comparing versions).
    pub plain: String,
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect()).link_rel(Some("noopener noreferrer nofollow ugc")).rm_tags(["img"]);
    b
}

/// Sanitises HTML produced from Markdown.
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Raw HTML is shown as the text it is, never interpreted.
fn defuse(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    }
}

/// Renders one Markdown fragment to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(markdown, options()).map(defuse));
    sanitize(&out)
}

/// Splits a proposal body into numbered clauses, each rendered and sanitised.
pub fn render_clauses(markdown: &str) -> Vec<RenderedClause> {
    let mut clauses = Vec::new();
    let mut pending_heading = String::new();
    let mut block: Vec<Event<'_>> = Vec::new();
    let mut depth = 0usize;
    let mut in_heading = false;

    for event in Parser::new_ext(markdown, options()).map(defuse) {
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    in_heading = matches!(tag, Tag::Heading { .. });
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let closes_block = depth == 0;
        let is_end_of_heading = matches!(event, Event::End(TagEnd::Heading(_)));
        block.push(event);
        if closes_block {
            let mut rendered = String::new();
            html::push_html(&mut rendered, block.drain(..));
            if in_heading || is_end_of_heading {
                pending_heading.push_str(&rendered);
            } else {
                let plain = plain_text(&rendered);
                if plain.is_empty() && !rendered.contains("<hr") {
                    continue;
                }
                clauses.push(RenderedClause {
                    number: clauses.len() as u32 + 1,
                    heading_html: (!pending_heading.is_empty()).then(|| sanitize(&std::mem::take(&mut pending_heading))),
                    html: sanitize(&rendered),
                    plain,
                });
            }
            in_heading = false;
        }
    }
    if !pending_heading.is_empty() {
        // headings at the very end have no clause to go with: keep them as one
        let html = sanitize(&pending_heading);
        clauses.push(RenderedClause { number: clauses.len() as u32 + 1, heading_html: None, plain: plain_text(&html), html });
    }
    clauses
}

/// Plain text of a comment, as HTML: escaped, paragraphs on blank lines, line breaks kept.
pub fn plain_to_html(text: &str) -> String {
    let normalized = text.trim().replace("\r\n", "\n");
    normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

fn plain_text(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", "\"");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_tags_are_shown_inert() {
        let html = render("hello <script>alert(1)</script> world");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn javascript_links_are_dropped_even_when_hidden_with_entities() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](&#106;avascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<a href=\"javascript:alert(1)\">x</a>",
        ] {
            let html = render(md);
            assert!(!html.to_lowercase().contains("<a href=\"javascript"), "{md} -> {html}");
            assert!(!html.contains("<a href=\"data:"), "{md} -> {html}");
        }
    }

    #[test]
    fn safe_links_survive_with_rel() {
        let html = render("[政府网](https://www.gov.cn) <mailto:xinfang@example.cn>");
        assert!(html.contains("href=\"https://www.gov.cn\""), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer nofollow ugc\""), "{html}");
        assert!(html.contains("mailto:xinfang@example.cn"), "{html}");
    }

    #[test]
    fn raw_html_and_event_handlers_never_become_markup() {
        let html = render("<img src=x onerror=alert(1)> <iframe src=//evil></iframe>\n\n<div onclick=x>y</div>");
        assert!(!html.contains("<img") && !html.contains("<iframe") && !html.contains("<div"), "{html}");
        assert!(!html.contains("onerror=") || html.contains("&lt;img"), "{html}");
    }

    #[test]
    fn body_splits_into_numbered_clauses_with_headings_attached() {
        let md = "# 第一章 总则\n\n第一条 为了规范供水价格，制定本办法。\n\n第二条 本办法适用于本市。\n\n## 第二章 价格\n\n- 居民用水\n- 非居民用水\n";
        let clauses = render_clauses(md);
        assert_eq!(clauses.len(), 3);
        assert_eq!(clauses[0].number, 1);
        assert!(clauses[0].heading_html.as_deref().unwrap().contains("第一章 总则"));
        assert_eq!(clauses[0].plain, "第一条 为了规范供水价格，制定本办法。");
        assert_eq!(clauses[1].heading_html, None);
        assert!(clauses[2].heading_html.as_deref().unwrap().contains("第二章"));
        assert!(clauses[2].html.contains("<li>居民用水</li>"));
    }

    #[test]
    fn comment_text_is_escaped_with_paragraphs() {
        assert_eq!(plain_to_html("a <b>\nc\n\nd"), "<p>a &lt;b&gt;<br>c</p><p>d</p>");
    }
}
