//! Pictures drawn on the server as SVG: horizontal bars (one row per group, its label
//! above the bar, its figure at the end) and a strip of cells. Each is a figure whose
//! caption says the same in words, so it reads without JavaScript, without sight and
//! when printed: screen readers read the caption (the drawing itself is hidden from
//! them, so nothing is read twice); colours come from `style/main.css`.

use leptos::prelude::*;

/// The width of a full bar, in the picture's units (the picture is 320 wide).
const FULL: f64 = 260.0;
const ROW: i32 = 46;

/// One row of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The bar's parts, left to right: each a share of the full width (0 to 1) and the
    /// class that colours it.
    pub parts: Vec<(f64, &'static str)>,
    /// Written at the bar's end.
    pub value: String,
    /// The row in words (the tooltip).
    pub summary: String,
    /// A tick across the bar at this share: a quota to reach.
    pub mark: Option<f64>,
}

/// The share `part / whole`, 0 for an empty whole, never above 1.
pub fn share(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part.max(0) as f64 / whole as f64).min(1.0)
    }
}

/// Bars, one per row, with `children` as the caption (the key, or the same in words);
/// `caption_id` is the caption's id.
#[component]
pub fn BarChart(bars: Vec<Bar>, caption_id: &'static str, class: &'static str, children: Children) -> impl IntoView {
    let height = bars.len() as i32 * ROW + 4;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as i32 * ROW;
            let mut x = 0.0;
            let parts = bar
                .parts
                .iter()
                .map(|(part, class)| {
                    let w = (part.clamp(0.0, 1.0) * FULL).round();
                    let at = x;
                    x += w;
                    view! { <rect x=at y=y + 22 width=w height="16" class=*class/> }
                })
                .collect_view();
            let mark = bar.mark.map(|m| {
                let at = (m.clamp(0.0, 1.0) * FULL).round();
                view! { <line x1=at x2=at y1=y + 18 y2=y + 42 class="bar-mark"/> }
            });
            view! {
                <g>
                    <title>{bar.summary}</title>
                    <text x="0" y=y + 15 class="chart-label">{bar.label}</text>
                    <rect x="0" y=y + 22 width=FULL height="16" class="bar-track"/>
                    {parts}
                    {mark}
                    <text x="268" y=y + 35 class="chart-value">{bar.value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class=format!("bar-chart {class}")>
            <svg viewBox=format!("0 0 320 {height}") aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
                {rows}
            </svg>
            <figcaption id=caption_id>{children()}</figcaption>
        </figure>
    }
}

/// A strip of equal cells, each shaded 0 to 4 (`heat-0` … `heat-4`), with a tooltip each;
/// `children` say what it shows in words.
#[component]
pub fn Strip(cells: Vec<(u8, String)>, caption_id: &'static str, children: Children) -> impl IntoView {
    let n = cells.len().max(1) as f64;
    let w = 320.0 / n;
    let gap = if w > 4.0 { 1.0 } else { 0.0 };
    let rects = cells
        .into_iter()
        .enumerate()
        .map(|(i, (heat, tip))| {
            let x = (i as f64 * w * 100.0).round() / 100.0;
            let width = ((w - gap) * 100.0).round() / 100.0;
            view! { <rect x=x y="0" width=width height="24" class=format!("heat-{heat}")><title>{tip}</title></rect> }
        })
        .collect_view();
    view! {
        <figure class="strip-chart">
            <svg viewBox="0 0 320 24" aria-hidden="true" focusable="false" preserveAspectRatio="none">
                {rects}
            </svg>
            <figcaption id=caption_id>{children()}</figcaption>
        </figure>
    }
}
