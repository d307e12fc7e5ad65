//! The project's past runs, newest first — from the window and from
//! `handover check --project` — each with its counts and what could not be
//! checked; choosing one shows it.

use handover_model::{RunSource, RunSummary, Severity};
use sycamore::prelude::*;

use super::finding::inconclusive_chip;
use super::logic::{self, PROBLEMS, WORST_FIRST};
use super::Ctx;
use crate::format;

/// The project's runs, newest first; choosing one shows it.
pub fn past_runs(ctx: Ctx) -> View {
    let list = View::from_dynamic(move || {
        let runs = ctx.runs.get_clone();
        untrack(|| {
            runs.into_iter()
                .map(|summary| run_row(ctx, summary))
                .collect::<Vec<_>>()
        })
    });
    let hidden = move || ctx.runs.with(Vec::is_empty);
    view! {
        section(class="panel", aria-labelledby="runs-title", data-testid="past-runs", hidden=hidden) {
            h2(class="panel__title", id="runs-title") { "Past runs" }
            ol(class="run-list") { (list) }
        }
    }
}

fn run_row(ctx: Ctx, summary: RunSummary) -> View {
    let id = summary.id;
    let when = format::timestamp(summary.started_ms);
    let took = logic::run_duration(&summary);
    let chip = |s: Severity| {
        let text = format!(
            "{} {}",
            logic::count_of(&summary.counts, s),
            logic::severity_label(s).to_lowercase()
        );
        let class = format!("chip sev-chip sev-chip--{}", s.as_str());
        view! { span(class=class, data-severity=s.as_str()) { (text) } }
    };
    let shown = |list: &[Severity]| {
        list.iter()
            .copied()
            .filter(|s| logic::count_of(&summary.counts, *s) > 0)
            .map(chip)
            .collect::<Vec<_>>()
    };
    // The core's ranking: judged problems, then what could not be checked, then the rest.
    let (problems, rest) = WORST_FIRST.split_at(PROBLEMS);
    let problems = shown(problems);
    let inconclusive = logic::inconclusive_text(summary.inconclusive).map(inconclusive_chip);
    let rest = shown(rest);
    let source = (summary.source == RunSource::Cli).then(
        || view! { span(class="chip run-row__source", data-source="cli") { "command line" } },
    );
    let current = move || {
        ctx.run
            .with(|r| r.as_ref().is_some_and(|r| r.summary.id == id))
            .then_some("true")
    };
    view! {
        li {
            button(
                r#type="button", class="run-row", data-testid="run", data-run-id=id.to_string(),
                data-inconclusive=summary.inconclusive.to_string(),
                aria-current=current, disabled=move || ctx.running(),
                on:click=move |_| ctx.open_run(id),
            ) {
                span(class="run-row__when") { (when) }
                span(class="run-row__took") { (took) }
                (source)
                span(class="run-row__counts") { (problems) (inconclusive) (rest) }
            }
        }
    }
}
