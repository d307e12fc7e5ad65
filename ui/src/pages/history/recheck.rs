//! "Recheck now": the project's recheck run as its schedule would run it,
//! with the Live checks' progress events counted into a bar, then the
//! notices the core raised (already de-duplicated) and the verdict.

use handover_model::{CommandError, Notice, Progress, RecheckOutcome, Verdict};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use crate::components::{error_alert, verdict_chip};
use crate::ipc;

/// How far a recheck is, from its progress events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Checks the run said it would do, once it says.
    pub planned: Option<u32>,
    /// Checks started.
    pub started: u32,
    /// Checks finished.
    pub finished: u32,
}

impl Tally {
    /// Takes in one event.
    pub fn apply(&mut self, event: &Progress) {
        match event {
            Progress::Planned { checks } => self.planned = Some(*checks),
            Progress::Started { .. } => self.started += 1,
            Progress::Finished { .. } => self.finished += 1,
        }
    }

    /// `12 of 26 checks done`.
    pub fn summary(&self) -> String {
        match self.planned {
            Some(planned) => format!("{} of {planned} checks done", self.finished),
            None => "Starting the recheck…".to_string(),
        }
    }
}

/// The recheck panel; `on_done` runs after a recheck stored its run (to
/// reload the page's history).
pub fn recheck_panel(project_id: i64, on_done: impl Fn() + Copy + 'static) -> View {
    let running = create_signal(false);
    let tally = create_signal(None::<Tally>);
    let outcome = create_signal(None::<RecheckOutcome>);
    let error = create_signal(None::<CommandError>);
    let start = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        error.set(None);
        outcome.set(None);
        tally.set(Some(Tally::default()));
        spawn_local_scoped(async move {
            let result = ipc::recheck_now(project_id, move |event| {
                tally.update(|t| {
                    if let Some(t) = t {
                        t.apply(&event);
                    }
                });
            })
            .await;
            match result {
                Ok(done) => {
                    outcome.set(Some(done));
                    on_done();
                }
                Err(err) => error.set(Some(err)),
            }
            tally.set(None);
            running.set(false);
        });
    };
    let label = move || {
        if running.get() {
            "Rechecking…"
        } else {
            "Recheck now"
        }
    };
    let progress = move || {
        tally.get().map(|t| {
            let value = t.finished.to_string();
            let max = t.planned.unwrap_or(0).max(1).to_string();
            let summary = t.summary();
            view! {
                div(data-testid="recheck-progress") {
                    p(class="check-progress__summary", role="status", aria-live="polite") { (summary) }
                    progress(class="progress check-progress__bar", value=value, max=max, aria-label="Checks done")
                }
            }
        })
    };
    let result = move || {
        outcome
            .with(|o| o.as_ref().map(outcome_view))
            .unwrap_or_default()
    };
    let alert = move || {
        error.with(|e| {
            e.as_ref()
                .map(|err| error_alert("The recheck could not run", err))
                .unwrap_or_default()
        })
    };
    view! {
        section(class="panel", aria-labelledby="recheck-title", data-testid="recheck") {
            div(class="recheck__head") {
                h2(class="panel__title", id="recheck-title") { "Recheck" }
                button(
                    r#type="button", class="button button--primary", data-testid="recheck-now",
                    disabled=move || running.get(), on:click=start,
                ) { (label) }
            }
            (progress)
            (alert)
            (result)
        }
    }
}

/// The verdict and notices of a finished recheck.
fn outcome_view(outcome: &RecheckOutcome) -> View {
    let verdict = verdict_chip(if outcome.go {
        Verdict::Go
    } else {
        Verdict::NoGo
    });
    let notices = outcome
        .notices
        .iter()
        .cloned()
        .map(notice_row)
        .collect::<Vec<_>>();
    let none = outcome.notices.is_empty();
    view! {
        div(class="recheck__outcome", data-testid="recheck-outcome") {
            p { "Recheck stored. Verdict: " (verdict) }
            (if none {
                view! { p(class="recheck__quiet") { "Nothing new to tell: no new blocker, regression or expiry step." } }
            } else {
                view! { ul(class="notices", aria-label="Notices") { (notices) } }
            })
        }
    }
}

fn notice_row(notice: Notice) -> View {
    let kind = format!("{:?}", notice.kind);
    view! {
        li(class="notice", data-testid="notice", data-kind=kind) {
            strong(class="notice__title") { (notice.title) }
            p(class="notice__body") { (notice.body) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::Severity;

    #[test]
    fn progress_events_are_counted() {
        let mut t = Tally::default();
        assert_eq!(t.summary(), "Starting the recheck…");
        t.apply(&Progress::Planned { checks: 3 });
        t.apply(&Progress::Started { check: "a".into() });
        t.apply(&Progress::Finished {
            check: "a".into(),
            worst: Severity::Pass,
            inconclusive: 0,
            elapsed_ms: 5,
        });
        assert_eq!(t.summary(), "1 of 3 checks done");
        assert_eq!(t.started, 1);
    }
}
