//! The run in progress: an overall bar and one row per check, waiting,
//! running or done with its worst severity, what it could not check and
//! how long it took.

use sycamore::prelude::*;

use super::finding::{inconclusive_chip, severity_chip};
use super::logic;
use super::tracker::{CheckRow, CheckState};
use super::Ctx;

/// The progress panel, live while the run streams its events.
pub fn progress_panel(ctx: Ctx) -> View {
    let summary = move || {
        ctx.progress
            .with(|p| p.as_ref().map(|p| p.summary()))
            .unwrap_or_default()
    };
    let value = move || {
        ctx.progress
            .with(|p| p.as_ref().map_or(0, |p| p.done()))
            .to_string()
    };
    let max = move || {
        ctx.progress
            .with(|p| p.as_ref().and_then(|p| p.planned).unwrap_or(0).max(1))
            .to_string()
    };
    let list = rows_list(ctx);
    view! {
        section(class="panel", aria-labelledby="progress-title", data-testid="run-progress") {
            h2(class="panel__title", id="progress-title") { "Running the checks" }
            p(class="check-progress__summary", role="status", aria-live="polite") { (summary) }
            progress(
                class="progress check-progress__bar", value=value, max=max,
                data-testid="progress-bar", aria-label="Checks done",
            )
            ul(class="check-progress-list") { (list) }
        }
    }
}

/// After a run this page started: its checks, folded away under the results.
pub fn progress_recap(ctx: Ctx) -> View {
    let summary = move || {
        ctx.progress
            .with(|p| p.as_ref().map(|p| p.summary()))
            .unwrap_or_default()
    };
    let hidden = move || ctx.progress.with(Option::is_none);
    let list = rows_list(ctx);
    view! {
        section(class="panel", data-testid="run-recap", hidden=hidden) {
            details(class="check-recap") {
                summary(class="check-recap__summary") {
                    span(class="panel__title") { "Checks of this run" }
                    span(class="check-progress__summary") { (summary) }
                }
                ul(class="check-progress-list") { (list) }
            }
        }
    }
}

/// One row per check of the run, kept in step with its events.
fn rows_list(ctx: Ctx) -> View {
    let rows = create_selector(move || ctx.progress.with(|p| p.as_ref().map(|p| p.rows())));
    View::from_dynamic(move || {
        let rows = rows.get_clone().unwrap_or_default();
        untrack(|| rows.into_iter().map(row).collect::<Vec<_>>())
    })
}

fn row(row: CheckRow) -> View {
    let state = row.state.as_str();
    let class = format!("check-progress check-progress--{state}");
    let label = match row.state {
        CheckState::Waiting => "Waiting",
        CheckState::Running => "Running…",
        CheckState::Done => "Done",
    };
    let worst = row.worst_shown().map(severity_chip);
    let inconclusive = logic::inconclusive_text(row.inconclusive).map(inconclusive_chip);
    let data_inconclusive = row.inconclusive.to_string();
    let ms = row.elapsed_ms.map(logic::elapsed).unwrap_or_default();
    let check = row.check;
    let data_check = check.clone();
    view! {
        li(
            class=class, data-testid="check-progress", data-check=data_check, data-state=state,
            data-inconclusive=data_inconclusive,
        ) {
            span(class="check-progress__mark", aria-hidden="true")
            span(class="check-progress__check mono") { (check) }
            span(class="check-progress__state") { (label) }
            span(class="check-progress__worst") { (worst) (inconclusive) }
            span(class="check-progress__ms") { (ms) }
        }
    }
}
