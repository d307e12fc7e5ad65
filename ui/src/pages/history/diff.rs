//! What changed since the run before the latest, as the core diffed it:
//! counts by state first, then the entries grouped by state, each with its
//! severity before → after and the numbers that moved.

use handover_model::{DiffEntry, DiffState, RunDiff, Severity};
use sycamore::prelude::*;

use super::logic::{self, count_of, STATES};
use crate::format;

/// The diff panel; `None` (no run yet) says so.
pub fn diff_panel(diff: Option<RunDiff>) -> View {
    let Some(diff) = diff else {
        return view! {
            section(class="panel", aria-labelledby="diff-title", data-testid="history-diff") {
                h2(class="panel__title", id="diff-title") { "What changed" }
                p { "No run yet. Run the checks or press “Recheck now”; each later run is compared with the one before it." }
            }
        };
    };
    let span = match diff.from_ms {
        Some(from) => format!(
            "Since {} · run of {}",
            format::timestamp(from),
            format::timestamp(diff.to_ms)
        ),
        None => format!(
            "First run ({}): every problem is new",
            format::timestamp(diff.to_ms)
        ),
    };
    let counts = STATES
        .iter()
        .map(|state| {
            let n = count_of(&diff.counts, *state);
            let name = state.as_str();
            let class = format!("diff-count diff-count--{name}");
            let label = logic::state_label(*state);
            view! {
                li(class=class, data-testid="diff-count", data-state=name) {
                    span(class="diff-count__n") { (n) }
                    span(class="diff-count__label") { (label) }
                }
            }
        })
        .collect::<Vec<_>>();
    let groups = STATES
        .iter()
        .filter_map(|state| group(*state, &diff.entries))
        .collect::<Vec<_>>();
    let nothing = diff.entries.is_empty();
    view! {
        section(class="panel", aria-labelledby="diff-title", data-testid="history-diff") {
            h2(class="panel__title", id="diff-title") { "What changed" }
            p(class="diff__span") { (span) }
            ul(class="diff-counts", aria-label="Changes by state") { (counts) }
            (if nothing {
                view! { p(class="diff__none") { "Nothing to report: every check that passed still passes." } }
            } else {
                view! {}
            })
            (groups)
        }
    }
}

/// The entries of one state, or nothing when it has none.
fn group(state: DiffState, entries: &[DiffEntry]) -> Option<View> {
    let rows = entries
        .iter()
        .filter(|e| e.state == state)
        .cloned()
        .map(entry_row)
        .collect::<Vec<_>>();
    if rows.is_empty() {
        return None;
    }
    let name = state.as_str();
    let label = logic::state_label(state);
    let heading = format!("{label} ({})", rows.len());
    Some(view! {
        div(class="diff-group", data-testid="diff-group", data-state=name) {
            h3(class="diff-group__title") { (heading) }
            ul(class="diff-entries") { (rows) }
        }
    })
}

fn severity_chip(severity: Option<Severity>) -> View {
    match severity {
        Some(s) => {
            let name = s.as_str();
            let class = format!("chip sev-chip sev-chip--{name}");
            view! { span(class=class, data-severity=name) { (name) } }
        }
        None => view! { span(class="chip sev-chip sev-chip--inconclusive") { "not judged" } },
    }
}

fn entry_row(entry: DiffEntry) -> View {
    let state = entry.state.as_str();
    let change = logic::severity_change(entry.before, entry.after);
    let before = severity_chip(entry.before);
    let after = severity_chip(entry.after);
    let deltas = entry
        .deltas
        .iter()
        .map(|d| {
            let text = logic::delta_text(d);
            let name = d.name.clone();
            view! { li(class="diff-entry__delta mono", data-metric=name) { (text) } }
        })
        .collect::<Vec<_>>();
    let where_ = format!("{} · {}", entry.check, entry.target);
    view! {
        li(
            class="diff-entry", data-testid="diff-entry", data-state=state,
            data-check=entry.check, data-fingerprint=entry.fingerprint,
        ) {
            div(class="diff-entry__head") {
                span(class="diff-entry__title") { (entry.title) }
                span(class="diff-entry__change", aria-label=change) {
                    (before) span(aria-hidden="true") { " → " } (after)
                }
            }
            div(class="diff-entry__where mono") { (where_) }
            ul(class="diff-entry__deltas") { (deltas) }
        }
    }
}
