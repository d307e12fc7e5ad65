//! What a run found, as the core computed it: the counts and pass rates,
//! the comparison with the previous run, a bar per category, the
//! findings, and a row per case that opens onto its expectations and
//! every attempt's answer and reasons.

use handover_model::{Attempt, CaseResult, EvalCase, EvalProgress, EvalReport, EvalRunRequest};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::{logic, Eval};
use crate::pages::checks::finding::severity_chip;
use crate::{format, ipc};

/// The `#eval-results` section: the fresh run's report, else the last one.
pub fn section(page: Eval) -> View {
    View::from_dynamic(move || {
        let fresh = page.fresh.get_clone();
        let report = fresh.or_else(|| page.view.with(|v| v.last.clone()));
        let cases = page.view.with(|v| v.cases.clone());
        untrack(|| match report {
            None => view! {
                section(id="eval-results", class="panel eval-results") {
                    h2(class="panel__title") { "Results" }
                    p(class="muted") { "The set has not run yet." }
                }
            },
            Some(report) => report_view(&report, &cases),
        })
    })
}

fn report_view(r: &EvalReport, cases: &[EvalCase]) -> View {
    let summary = summary(r);
    let chart = chart(r);
    let findings: Vec<View> = r
        .findings
        .iter()
        .map(|f| {
            let (chip, title, detail) = (severity_chip(f.severity), f.title.clone(), f.detail.clone());
            view! { li(class="eval-finding") { (chip) " " strong { (title) } p(class="muted") { (detail) } } }
        })
        .collect();
    let rows: Vec<View> = r
        .cases
        .iter()
        .map(|c| row(c.clone(), cases.iter().find(|e| e.id == c.id).cloned()))
        .collect();
    let notes: Vec<View> = r
        .notes
        .iter()
        .map(|n| {
            let n = n.clone();
            view! { li { (n) } }
        })
        .collect();
    view! {
        section(id="eval-results", class="panel eval-results") {
            h2(class="panel__title") { "Results" }
            (summary)
            (chart)
            ul(class="eval-findings") { (findings) }
            table(id="eval-result-table", class="table eval-table") {
                thead { tr { th { "State" } th { "Case" } th { "Category" } th { "OWASP" } th { "Runs passed" } th { "Slowest" } th { "" } } }
                tbody { (rows) }
            }
            ul(class="eval-notes muted") { (notes) }
        }
    }
}

fn summary(r: &EvalReport) -> View {
    let (passed, flaky, failed, leaked, errors) = (
        r.passed.to_string(),
        r.flaky.to_string(),
        r.failed.to_string(),
        r.leaked.to_string(),
        r.errors.to_string(),
    );
    let rate = format!("{:.2}", r.pass_rate);
    let tile = |label: &'static str, value: String| {
        view! { div(class="stat") { span(class="stat__value") { (value) } span(class="stat__label") { (label) } } }
    };
    let tiles: Vec<View> = vec![
        tile("pass rate (runs)", logic::percent(r.pass_rate)),
        tile("pass^k (cases)", logic::percent(r.pass_k)),
        tile("passed", passed.clone()),
        tile("flaky", flaky.clone()),
        tile("failed", failed.clone()),
        tile("leaked (blockers)", leaked.clone()),
        tile("could not run", errors.clone()),
    ];
    let when = format!(
        "Ran {} against {} ({}), {} run(s) per case, in {} ms.",
        format::timestamp(r.started_ms),
        r.environment,
        r.url,
        r.runs,
        r.duration_ms
    );
    let previous = r.previous.map(|p| {
        let line = format!(
            "Previous run {}: {} — {}.",
            format::timestamp(p.started_ms),
            logic::percent(p.pass_rate),
            logic::change(r.pass_rate, p.pass_rate)
        );
        view! { p(id="eval-previous", class="eval-previous") { (line) } }
    });
    view! {
        p(class="muted") { (when) }
        div(id="eval-summary", class="stats", data-passed=passed, data-flaky=flaky,
            data-failed=failed, data-leaked=leaked, data-errors=errors, data-pass-rate=rate) {
            (tiles)
        }
        (previous)
    }
}

fn chart(r: &EvalReport) -> View {
    let rows: Vec<View> = r
        .categories
        .iter()
        .map(|s| {
            let svg = crate::components::bar(
                &[(s.pass_rate * 100.0, "eval-bar__fill")],
                s.category.label(),
            );
            let note = format!("{}/{} runs", s.passed, s.judged);
            let flaky = if s.flaky == 0 {
                String::new()
            } else {
                format!("{} flaky", s.flaky)
            };
            let (name, label, pct) = (
                s.category.as_str(),
                s.category.label(),
                logic::percent(s.pass_rate),
            );
            view! {
                div(class="eval-bar", data-category=name) {
                    span(class="eval-bar__label") { (label) }
                    span(class="eval-bar__track", dangerously_set_inner_html=svg)
                    span(class="eval-bar__note") { (pct) " · " (note) }
                    span(class="eval-bar__flaky") { (flaky) }
                }
            }
        })
        .collect();
    view! {
        figure(id="eval-chart", class="eval-chart", aria-label="Pass rate per category") {
            figcaption(class="panel__title") { "By category" }
            (rows)
        }
    }
}

fn row(result: CaseResult, case: Option<EvalCase>) -> View {
    let open = create_signal(false);
    let (id, state) = (result.id.clone(), result.state.as_str());
    let (id_attr, id_shown) = (id.clone(), id);
    let state_class = format!("chip eval-state eval-state--{state}");
    let (label, category) = (result.state.label(), result.category.label());
    let owasp = result.owasp.map(|o| o.label()).unwrap_or("—");
    let runs = format!("{}/{}", result.passed, result.attempts.len());
    let slowest = logic::slowest(&result.attempts)
        .map(|ms| format!("{ms} ms"))
        .unwrap_or_else(|| "—".to_owned());
    let detail = move || {
        if open.get() {
            detail(&result, case.as_ref())
        } else {
            view! {}
        }
    };
    view! {
        tr(class="eval-result", data-case=id_attr, data-state=state, on:click=move |_| open.set(!open.get_untracked())) {
            td { span(class=state_class) { (label) } }
            td { code { (id_shown) } }
            td { (category) }
            td { (owasp) }
            td { (runs) }
            td { (slowest) }
            td { button(r#type="button", class="button eval-result-toggle",
                aria-expanded=move || open.get().to_string()) { (if open.get() { "Hide" } else { "Show" }) } }
        }
        (detail)
    }
}

fn detail(result: &CaseResult, case: Option<&EvalCase>) -> View {
    let id = result.id.clone();
    let expect = match case {
        Some(c) => {
            let turns: Vec<View> = c
                .turns()
                .map(|t| {
                    let t = t.to_owned();
                    view! { li { (t) } }
                })
                .collect();
            let summary = logic::expect_summary(&c.expect);
            view! { ol(class="eval-expect__turns") { (turns) } p { (summary) } }
        }
        None => {
            let q = result.question.clone();
            view! { p { (q) } p(class="muted") { "This case is no longer in the set." } }
        }
    };
    let attempts: Vec<View> = result.attempts.iter().map(attempt).collect();
    view! {
        tr(class="eval-detail", data-case=id) {
            td(colspan="7") {
                div(class="eval-detail__grid") {
                    div(class="eval-expect") { h3 { "Expected" } (expect) }
                    div(class="eval-attempts") { (attempts) }
                }
            }
        }
    }
}

fn attempt(a: &Attempt) -> View {
    let (run, verdict) = (a.run.to_string(), a.verdict.as_str());
    let head = format!("Run {} — {} — {} ms", a.run, verdict, a.latency_ms);
    let reasons: Vec<View> = a
        .reasons
        .iter()
        .map(|r| {
            let line = format!("{} — {}", r.rule, r.detail);
            view! { li(class="eval-reason") { (line) } }
        })
        .collect();
    let personal = (!a.personal.is_empty()).then(|| {
        let line = format!("Personal data in the answer: {}", a.personal.join(", "));
        view! { p(class="eval-personal") { (line) } }
    });
    let answer = a.answer.clone();
    let truncated = a
        .truncated
        .then(|| view! { p(class="muted") { "(truncated)" } });
    let class = format!("eval-attempt eval-attempt--{verdict}");
    view! {
        div(class=class, data-run=run, data-verdict=verdict) {
            p(class="eval-attempt__head") { (head) }
            ul(class="eval-reasons") { (reasons) }
            (personal)
            pre(class="eval-answer") { (answer) }
            (truncated)
        }
    }
}

/// The `#eval-run-panel`: runs per case, the production confirmation,
/// the button and the live progress.
pub fn run_panel(page: Eval) -> View {
    let runs = create_signal(page.view.with_untracked(|v| v.setup.runs.to_string()));
    let confirm = create_signal(false);
    let running = create_signal(false);
    let progress = create_signal(None::<EvalProgress>);
    let run = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        progress.set(None);
        let default = page.view.with_untracked(|v| v.setup.runs);
        let request = EvalRunRequest {
            project_id: page.project_id,
            runs: Some(logic::small_number(&runs.get_clone_untracked(), default)),
            only: Vec::new(),
            confirm_production: confirm.get_untracked(),
        };
        spawn_local_scoped(async move {
            match ipc::eval_run(request, move |event| progress.set(Some(event))).await {
                Ok(report) => {
                    page.fresh.set(Some(report));
                    page.error.set(None);
                }
                Err(err) => page.error.set(Some(("The set could not run", err))),
            }
            running.set(false);
        });
    };
    let production = move || {
        page.view.with(|v| v.production).then(|| {
            view! {
                label(class="field field--check eval-production") {
                    input(r#type="checkbox", id="eval-confirm-production", bind:checked=confirm)
                    " The adapter asks production: real people's bot, real logs and costs. Tick to run the set against it."
                }
            }
        })
    };
    let shown = move || {
        if !running.get() {
            return view! {};
        }
        let p = progress.get_clone();
        let (done, total) = p.as_ref().map_or((0, 0), |p| (p.done, p.total));
        let (done_attr, total_attr) = (done.to_string(), total.to_string());
        let (value, max) = (done.to_string(), total.max(1).to_string());
        let line = match &p {
            Some(p) => format!(
                "{done} of {total} answers; last: {} ({})",
                p.case_id,
                p.verdict.as_str()
            ),
            None => "Starting…".to_owned(),
        };
        view! {
            div(id="eval-progress", role="status", aria-live="polite", data-done=done_attr, data-total=total_attr) {
                progress(value=value, max=max)
                span(class="muted") { (line) }
            }
        }
    };
    view! {
        section(id="eval-run-panel", class="panel eval-run") {
            h2(class="panel__title") { "Run" }
            div(class="eval-actions") {
                label { "Runs per case " input(id="eval-runs", r#type="number", min="1", class="input input--number", bind:value=runs) }
                button(r#type="button", id="eval-run", class="button button--primary",
                    disabled=move || running.get(), on:click=run) {
                    (if running.get() { "Running…" } else { "Run the set" })
                }
            }
            (production)
            (shown)
        }
    }
}
