//! Small building blocks shared by the pages.

use handover_model::{CommandError, ItemStatus, Risk, Verdict};
use sycamore::prelude::*;

use crate::labels;

/// What a page shows when it has nothing yet: a title, what will appear here
/// and, where the feature is not built yet, plainly saying so.
#[component(inline_props)]
pub fn EmptyState(
    /// A short headline, e.g. "No projects yet".
    title: &'static str,
    /// What this page will hold once there is data.
    body: &'static str,
    /// An honest note about what is not available yet; empty for none.
    note: &'static str,
    /// A way to start, e.g. a button, shown under the text; none by default.
    children: Children,
) -> View {
    let children = children.call();
    view! {
        section(class="empty-state", role="status") {
            div(class="empty-state__mark", aria-hidden="true")
            h2(class="empty-state__title") { (title) }
            p(class="empty-state__body") { (body) }
            (if note.is_empty() {
                view! {}
            } else {
                view! { p(class="empty-state__note") { (note) } }
            })
            (children)
        }
    }
}

/// A page heading with a one-line description under it.
#[component(inline_props)]
pub fn PageHeader(
    /// The page title.
    title: &'static str,
    /// One line under the title.
    lede: &'static str,
) -> View {
    view! {
        header(class="page-header") {
            h1(class="page-header__title", id="page-title") { (title) }
            p(class="page-header__lede") { (lede) }
        }
    }
}

/// A page heading whose text comes from data (a project name), with a mark
/// after it (e.g. [`demo_badge`]; `view! {}` for none), a line under it and
/// optional actions on the right.
pub fn title_header(title: String, mark: View, lede: String, actions: View) -> View {
    let lede = if lede.is_empty() {
        view! {}
    } else {
        view! { p(class="page-header__lede") { (lede) } }
    };
    view! {
        header(class="page-header page-header--row") {
            div(class="page-header__text") {
                div(class="page-header__name") {
                    h1(class="page-header__title", id="page-title") { (title) }
                    (mark)
                }
                (lede)
            }
            div(class="page-header__actions") { (actions) }
        }
    }
}

/// The "Demo" mark of the demo product's project, wherever its name shows;
/// nothing for any other project.
pub fn demo_badge(demo: bool) -> View {
    if !demo {
        return view! {};
    }
    view! {
        span(
            class="badge badge--demo", data-testid="demo-badge",
            title="The demo product: a fictional chatbot served on this computer only",
        ) { "Demo" }
    }
}

/// "Loading…" while the backend answers, announced to screen readers.
pub fn loading(text: &'static str) -> View {
    view! { p(class="loading", role="status", aria-live="polite") { (text) } }
}

/// A failed command, said plainly: a title, the backend's sentence and its code.
pub fn error_alert(title: &'static str, err: &CommandError) -> View {
    let message = err.message.clone();
    let code = err.code.as_str();
    view! {
        div(class="alert alert--bad", role="alert", data-testid="error") {
            p(class="alert__title") { (title) }
            p { (message) }
            p(class="alert__code mono") { (code) }
        }
    }
}

/// A coloured chip naming an item's risk.
pub fn risk_chip(risk: Risk) -> View {
    let class = format!("chip chip--risk chip--{}", labels::risk_name(risk));
    view! {
        span(class=class, data-risk=labels::risk_name(risk)) { (labels::risk_label(risk)) }
    }
}

/// The Go / No-go chip.
pub fn verdict_chip(verdict: Verdict) -> View {
    let class = format!("chip chip--verdict chip--{}", labels::verdict_wire(verdict));
    view! {
        span(class=class, data-verdict=labels::verdict_wire(verdict)) { (labels::verdict_label(verdict)) }
    }
}

/// A small status mark; the glyph is decorative, the label is read aloud.
pub fn status_icon(status: ItemStatus) -> View {
    let class = format!("status-icon status-icon--{}", status.as_str());
    view! {
        span(class=class, title=status.label()) {
            span(aria-hidden="true") { (labels::status_glyph(status)) }
            span(class="visually-hidden") { (status.label()) }
        }
    }
}

/// One segment of a [`bar`]: its share in percent (0–100) and its CSS class.
pub type Segment<'a> = (f64, &'a str);

/// A horizontal bar of stacked segments as SVG markup, for
/// `dangerously_set_inner_html` (the window's CSP refuses inline `style`
/// attributes, so widths are SVG geometry, not CSS).
pub fn bar(segments: &[Segment<'_>], label: &str) -> String {
    let mut x = 0.0;
    let mut rects = String::new();
    for (share, class) in segments {
        let width = share.clamp(0.0, 100.0 - x);
        if width > 0.0 {
            rects.push_str(&format!(
                "<rect class=\"{class}\" x=\"{x:.2}\" y=\"0\" width=\"{width:.2}\" height=\"8\"/>"
            ));
        }
        x += width;
    }
    let label: String = label
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&' | '"'))
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\" \
         class=\"bar\" role=\"img\" aria-label=\"{label}\"><rect class=\"bar__track\" x=\"0\" y=\"0\" \
         width=\"100\" height=\"8\"/>{rects}</svg>"
    )
}

#[cfg(test)]
mod bar_tests {
    #[test]
    fn segments_stack_and_never_overflow() {
        let svg = super::bar(&[(60.0, "a"), (70.0, "b"), (0.0, "c")], "x <y>");
        assert!(
            svg.contains("class=\"a\" x=\"0.00\" y=\"0\" width=\"60.00\""),
            "{svg}"
        );
        assert!(
            svg.contains("class=\"b\" x=\"60.00\" y=\"0\" width=\"40.00\""),
            "{svg}"
        );
        assert!(!svg.contains("class=\"c\""), "{svg}");
        assert!(svg.contains("aria-label=\"x y\""), "{svg}");
    }
}
