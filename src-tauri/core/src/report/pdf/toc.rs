//! The cover, the table of contents, and the header and footer drawn on
//! every page after the cover.

use super::layout::Flow;
use super::page::{ink, Page};
use super::wrap::{line, wrap, Style};
use crate::report::doc::{Cover, Doc, Span};

/// One entry of the contents: the section's number, title and first page
/// (1-based).
pub(super) struct Entry {
    /// `1`, `2`, …
    pub number: usize,
    /// The heading without its number.
    pub title: String,
    /// Where it starts.
    pub page: usize,
}

/// The cover page(s): title, product, domain, date, the verdict badge,
/// the counts and the reasons.
pub(super) fn cover(flow: &mut Flow<'_>, doc: &Doc) {
    let c: &Cover = &doc.cover;
    let (left, right) = (flow.geo.left, flow.geo.right);
    let top = flow.y;
    flow.page()
        .fill_rect(left, top, right - left, 3.0, ink::ACCENT);
    flow.y += 14.0;
    flow.paragraph(
        &[Span::plain("Handover report")],
        Style::new(10.0, ink::MUTED),
        0.0,
    );
    flow.gap(4.0);
    flow.paragraph(
        &[Span::plain(&doc.title)],
        Style::new(24.0, ink::TEXT).bold(),
        0.0,
    );
    flow.gap(6.0);
    flow.paragraph(&[Span::plain(&c.product)], Style::new(14.0, ink::TEXT), 0.0);
    flow.paragraph(&[Span::plain(&c.domain)], Style::new(12.0, ink::CODE), 0.0);
    flow.paragraph(&[Span::plain(&doc.date)], Style::new(11.0, ink::MUTED), 0.0);
    flow.gap(18.0);

    // The badge: the verdict in white on green or red.
    let style = Style::new(22.0, ink::WHITE).bold();
    let verdict = line(flow.faces, &c.verdict, style);
    let (w, h) = (verdict.width + 36.0, style.leading() + 12.0);
    flow.ensure(h);
    let y = flow.y;
    let color = if c.go { ink::GOOD } else { ink::BAD };
    let page = flow.page();
    page.fill_rect(left, y, w.min(right - left), h, color);
    page.text(left + 18.0, y + 6.0 + style.baseline(), &verdict.runs);
    flow.y += h + 16.0;

    let body = Style::new(11.0, ink::TEXT);
    for count in &c.counts {
        flow.paragraph(&[Span::plain(count)], body, 0.0);
    }
    if !c.reasons.is_empty() {
        flow.gap(12.0);
        flow.heading("Why", Style::new(12.0, ink::ACCENT).bold(), 20.0, false);
        let items: Vec<Vec<Span>> = c.reasons.iter().map(|r| vec![Span::plain(r)]).collect();
        flow.bullets(&items, Style::new(10.0, ink::TEXT));
    }
}

/// The contents: number, title (wrapped), a dotted leader and the page.
pub(super) fn contents(flow: &mut Flow<'_>, entries: &[Entry]) {
    flow.heading("Contents", Style::new(18.0, ink::ACCENT).bold(), 40.0, true);
    flow.gap(8.0);
    let style = Style::new(11.0, ink::TEXT);
    let number_w = 26.0;
    let page_w = 34.0;
    let (left, right) = (flow.geo.left, flow.geo.right);
    let width = right - left - number_w - page_w;
    for e in entries {
        let lines = wrap(flow.faces, &[(e.title.clone(), style)], width);
        flow.ensure(lines.len() as f32 * style.leading());
        let number = line(flow.faces, &e.number.to_string(), style.bold());
        let first = flow.y + style.baseline();
        flow.page().text(left, first, &number.runs);
        flow.lines(&lines, left + number_w, style);
        let baseline = flow.y - style.leading() + style.baseline();
        let last_w = lines.last().map_or(0.0, |l| l.width);
        let page_no = line(flow.faces, &e.page.to_string(), style);
        let (x0, x1) = (left + number_w + last_w + 6.0, right - page_no.width - 6.0);
        let page = flow.page();
        if x1 > x0 {
            page.stroke(
                &[(x0, baseline), (x1, baseline)],
                0.8,
                ink::MUTED,
                &[0.1, 3.0],
            );
        }
        page.text(right - page_no.width, baseline, &page_no.runs);
        flow.y += 4.0;
    }
}

/// The header (product · "Handover report") and footer (date · "page N of
/// M") of page `number` of `total`.
pub(super) fn furniture(
    flow: &Flow<'_>,
    page: &mut Page,
    product: &str,
    date: &str,
    number: usize,
    total: usize,
) {
    let geo = flow.geo;
    let style = Style::new(8.0, ink::MUTED);
    let header_y = geo.top - 10.0 * super::layout::MM;
    let right_text = line(flow.faces, "Handover report", style);
    let room = geo.content_width() - right_text.width - 12.0;
    let product = fit(flow, product, style, room);
    page.text(geo.left, header_y, &product.runs);
    page.text(geo.right - right_text.width, header_y, &right_text.runs);
    page.rule(geo.left, geo.right, header_y + 4.0, 0.4, ink::RULE);

    let footer_y = geo.bottom + 12.0 * super::layout::MM;
    page.rule(geo.left, geo.right, footer_y - 10.0, 0.4, ink::RULE);
    let date = line(flow.faces, date, style);
    page.text(geo.left, footer_y, &date.runs);
    let n = line(flow.faces, &format!("page {number} of {total}"), style);
    page.text(geo.right - n.width, footer_y, &n.runs);
}

/// `text` on one line no wider than `width`, shortened with an ellipsis.
fn fit(flow: &Flow<'_>, text: &str, style: Style, width: f32) -> super::wrap::Line {
    let full = line(flow.faces, text, style);
    if full.width <= width {
        return full;
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let shorter: String = chars.iter().collect::<String>() + "…";
        let l = line(flow.faces, &shorter, style);
        if l.width <= width {
            return l;
        }
    }
    line(flow.faces, "…", style)
}
