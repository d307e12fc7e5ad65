//! The Smoke sequence panel: the shown run's `smoke.endpoints` findings in
//! step order, one row per step with how it ended, its time and every
//! expectation the core judged (✓ or ✗), under a tally; and "Run the smoke
//! sequence", which runs that check alone. How a step ended and the order
//! are the model's ([`handover_model::smoke`]), as in the CI reports.

use handover_model::{smoke, Finding, StepState, Tally};
use sycamore::prelude::*;

use super::logic;
use super::Ctx;

/// The smoke check's id.
pub const CHECK: &str = "smoke.endpoints";

/// One step of the sequence as the panel shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepRow {
    /// The step number (1-based); `None` for a finding about the whole
    /// sequence (the check was cut off).
    pub number: Option<usize>,
    /// The step's name (or, about no step, the finding's title).
    pub name: String,
    /// How it ended.
    pub state: StepState,
    /// The whole answer's time, for reading (`12.3 ms`), when measured.
    pub time: Option<String>,
    /// The evidence after the step line: the request, then each
    /// expectation with ✓ or ✗.
    pub lines: Vec<String>,
    /// Why the step could not run or did not apply.
    pub reason: Option<String>,
}

/// The rows of the run's smoke findings, in step order; empty when the
/// run has none.
pub fn step_rows(findings: &[Finding]) -> Vec<StepRow> {
    let mine: Vec<Finding> = findings
        .iter()
        .filter(|f| f.check == CHECK)
        .cloned()
        .collect();
    smoke::ordered(&mine)
        .into_iter()
        .map(|f| {
            let step = smoke::step_of(f);
            let skip = usize::from(step.is_some());
            let time = f
                .measured
                .iter()
                .find(|m| m.name == "total_ms")
                .map(|m| format!("{} ms", logic::number(m.value)));
            let (number, name) = match step {
                Some((n, name)) => (Some(n), name),
                None => (None, f.title.clone()),
            };
            StepRow {
                number,
                name,
                state: StepState::of(f),
                time,
                lines: f.evidence.iter().skip(skip).cloned().collect(),
                reason: f.outcome.reason().map(str::to_string),
            }
        })
        .collect()
}

/// The counts in words: `4 of 5 steps passed, 1 could not run`.
pub fn tally_line(tally: &Tally) -> String {
    let steps = if tally.tests == 1 { "step" } else { "steps" };
    let mut parts = vec![format!(
        "{} of {} {steps} passed",
        tally.passed, tally.tests
    )];
    for (n, what) in [
        (tally.failures, "failed"),
        (tally.errors, "could not run"),
        (tally.skipped, "skipped"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.join(", ")
}

/// The chip class of a state: passes green, failures like a high finding,
/// what could not run in the colour of what could not be checked.
fn chip_class(state: StepState) -> &'static str {
    match state {
        StepState::Passed => "chip sev-chip sev-chip--pass",
        StepState::Failed => "chip sev-chip sev-chip--high",
        StepState::Error => "chip sev-chip sev-chip--inconclusive",
        StepState::Skipped => "chip sev-chip sev-chip--info",
    }
}

/// The panel: shown when the run has smoke findings, or (with only the
/// run button) before any run of a project that has endpoints.
pub fn smoke_panel(ctx: Ctx, has_endpoints: bool) -> View {
    let findings = create_selector(move || {
        ctx.run.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.findings
                        .iter()
                        .filter(|f| f.check == CHECK)
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let no_run = create_selector(move || ctx.run.with(Option::is_none));
    View::from_dynamic(move || {
        let findings = findings.get_clone();
        let no_run = no_run.get();
        untrack(|| {
            if findings.is_empty() && !(no_run && has_endpoints) {
                return view! {};
            }
            panel(ctx, &findings)
        })
    })
}

fn panel(ctx: Ctx, findings: &[Finding]) -> View {
    let run = move |_| ctx.retry(CHECK.to_string());
    let button = view! {
        button(
            r#type="button", class="button", data-testid="run-smoke",
            disabled=move || ctx.running(), on:click=run,
        ) { "Run the smoke sequence" }
    };
    let body = if findings.is_empty() {
        view! {
            p(class="panel__lede") {
                "Not run yet: the sequence requests each step's endpoint once and checks the answer, as right after a deploy."
            }
        }
    } else {
        let tally = tally_line(&Tally::of(findings));
        let rows = step_rows(findings)
            .into_iter()
            .map(step_row)
            .collect::<Vec<_>>();
        view! {
            p(class="smoke-panel__tally", data-testid="smoke-tally") { (tally) }
            table(class="smoke-panel__table") {
                thead { tr { th { "Step" } th { "Name" } th { "Result" } th { "Time" } th { "Expectations" } } }
                tbody { (rows) }
            }
        }
    };
    view! {
        section(class="panel smoke-panel", aria-labelledby="smoke-title", data-testid="smoke-panel") {
            div(class="smoke-panel__head") {
                h2(class="panel__title", id="smoke-title") { "Smoke sequence" }
                (button)
            }
            (body)
        }
    }
}

fn step_row(row: StepRow) -> View {
    let state = row.state.as_str();
    let number = row.number.map_or_else(String::new, |n| n.to_string());
    let data_step = number.clone();
    let chip =
        view! { span(class=chip_class(row.state), data-state=state) { (row.state.label()) } };
    let time = row.time.unwrap_or_else(|| "—".to_string());
    let reason = row
        .reason
        .map(|r| view! { li(class="smoke-panel__reason") { (r) } });
    let lines = row
        .lines
        .into_iter()
        .map(|line| {
            let mark = if line.starts_with('✓') {
                "pass"
            } else if line.starts_with('✗') {
                "fail"
            } else {
                "info"
            };
            view! { li(class="smoke-panel__line", data-mark=mark) { (line) } }
        })
        .collect::<Vec<_>>();
    let name = row.name;
    view! {
        tr(data-testid="smoke-step", data-state=state, data-step=data_step) {
            td(class="smoke-panel__number") { (number) }
            th(scope="row") { (name) }
            td { (chip) }
            td(class="smoke-panel__time") { (time) }
            td { ul(class="smoke-panel__lines") { (reason) (lines) } }
        }
    }
}

#[cfg(test)]
#[path = "smoke_tests.rs"]
mod tests;
