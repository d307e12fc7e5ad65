//! A finished run: counts per severity, findings grouped by host or by
//! stage with their evidence and the checklist items they decide, and the
//! list of past runs.

use handover_model::{Finding, Position, RunSummary, Severity};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;

use super::logic::{self, Block, Filter, GroupBy, Section, WORST_FIRST};
use super::Ctx;
use crate::route::path;
use crate::{browser, format, ipc};

/// A coloured chip naming a severity.
pub fn severity_chip(severity: Severity) -> View {
    let name = severity.as_str();
    let class = format!("chip sev-chip sev-chip--{name}");
    view! { span(class=class, data-severity=name) { (logic::severity_label(severity)) } }
}

/// The shown run: what it found, grouped and filtered.
pub fn results_panel(ctx: Ctx) -> View {
    let heading = move || {
        ctx.run.with(|run| {
            run.as_ref().map_or_else(String::new, |run| {
                format!(
                    "Run of {} · took {}",
                    format::timestamp(run.summary.started_ms),
                    logic::run_duration(&run.summary)
                )
            })
        })
    };
    let run_id = move || {
        ctx.run
            .with(|r| r.as_ref().map_or(0, |r| r.summary.id).to_string())
    };
    let counts = WORST_FIRST
        .into_iter()
        .map(|severity| {
            let n = move || {
                ctx.run.with(|r| {
                    r.as_ref()
                        .map_or(0, |r| logic::count_of(&r.summary.counts, severity))
                })
            };
            let name = severity.as_str();
            let class = move || {
                let zero = if n() == 0 { " sev-count--zero" } else { "" };
                format!("sev-count sev-chip sev-chip--{name}{zero}")
            };
            view! {
                li(class=class, data-testid="count", data-severity=name) {
                    span(class="sev-count__n") { (n().to_string()) }
                    span(class="sev-count__label") { (logic::severity_label(severity)) }
                }
            }
        })
        .collect::<Vec<_>>();
    let sections = create_selector(move || {
        let filter = Filter {
            hide_pass: ctx.hide_pass.get(),
            hide_info: ctx.hide_info.get(),
        };
        let group_by = ctx.group_by.get();
        ctx.run.with(|run| {
            let Some(run) = run else { return Vec::new() };
            match group_by {
                GroupBy::Host => logic::by_host(&run.findings, filter),
                GroupBy::Stage => ctx
                    .catalog
                    .with(|catalog| logic::by_stage(&run.findings, catalog, filter)),
            }
        })
    });
    let list = View::from_dynamic(move || {
        let sections = sections.get_clone();
        untrack(|| {
            if sections.is_empty() {
                let text = if ctx
                    .run
                    .with(|r| r.as_ref().is_some_and(|r| r.findings.is_empty()))
                {
                    "This run found nothing to report."
                } else {
                    "Nothing to show with these filters: everything else passed or is only informative."
                };
                return view! { p(class="open-list__empty", data-testid="findings-none") { (text) } };
            }
            let views = sections
                .into_iter()
                .map(|s| section(ctx, s))
                .collect::<Vec<_>>();
            view! { (views) }
        })
    });
    view! {
        section(class="panel", aria-labelledby="results-title", data-testid="results", data-run-id=run_id) {
            h2(class="panel__title", id="results-title") { (heading) }
            ul(class="sev-counts", aria-label="Findings by severity") { (counts) }
            div(class="results-toolbar") {
                div(class="segmented results-toolbar__group", role="group", aria-label="Group findings") {
                    (group_button(ctx, GroupBy::Host, "By host", "group-by-host"))
                    (group_button(ctx, GroupBy::Stage, "By stage", "group-by-stage"))
                }
                div(class="filter-chips", role="group", aria-label="Filter findings") {
                    (filter_chip(ctx, Severity::Pass, ctx.hide_pass, "Hide passing", "hide-passing"))
                    (filter_chip(ctx, Severity::Info, ctx.hide_info, "Hide info", "hide-info"))
                }
            }
            (list)
        }
    }
}

fn group_button(ctx: Ctx, by: GroupBy, label: &'static str, testid: &'static str) -> View {
    view! {
        button(
            r#type="button", class="segmented__option", data-testid=testid,
            aria-pressed=move || if ctx.group_by.get() == by { "true" } else { "false" },
            on:click=move |_| ctx.group_by.set(by),
        ) { (label) }
    }
}

fn filter_chip(
    ctx: Ctx,
    severity: Severity,
    on: Signal<bool>,
    label: &'static str,
    testid: &'static str,
) -> View {
    // How many findings of the run this chip hides or shows.
    let n = move || {
        ctx.run.with(|r| {
            r.as_ref().map_or(0, |r| {
                logic::count_of(&logic::counts(&r.findings), severity)
            })
        })
    };
    let count = move || format!(" ({})", n());
    view! {
        button(
            r#type="button", class="filter-chip", data-testid=testid,
            aria-pressed=move || if on.get() { "true" } else { "false" },
            on:click=move |_| on.set(!on.get_untracked()),
        ) { (label) span(class="filter-chip__count") { (count) } }
    }
}

fn section(ctx: Ctx, section: Section) -> View {
    let key = section.key.clone();
    let title = section.title;
    let blocks = section
        .blocks
        .into_iter()
        .map(|b| block(ctx, b))
        .collect::<Vec<_>>();
    view! {
        section(class="result-group", data-testid="result-group", data-group=key) {
            h3(class="result-group__title") { (title) }
            (blocks)
        }
    }
}

fn block(ctx: Ctx, block: Block) -> View {
    let title = block
        .title
        .map(|t| view! { h4(class="result-group__item", data-testid="group-item") { (t) } });
    let rows = block
        .findings
        .into_iter()
        .map(|f| finding_row(ctx, f))
        .collect::<Vec<_>>();
    view! {
        (title)
        ul(class="check-finding-list") { (rows) }
    }
}

fn finding_row(ctx: Ctx, finding: Finding) -> View {
    let severity = finding.severity.as_str();
    let class = format!("check-finding check-finding--{severity}");
    let chip = severity_chip(finding.severity);
    let items = ctx
        .catalog
        .with_untracked(|c| logic::items_for_check(c, &finding.check));
    let links = items
        .into_iter()
        .map(|item| {
            let href = path::walk(ctx.project_id, &item.stage_id);
            let position = Position {
                project_id: ctx.project_id,
                stage_id: item.stage_id,
                item_id: item.item_id.clone(),
            };
            let go = {
                let href = href.clone();
                move |ev: web_sys::MouseEvent| {
                    ev.prevent_default();
                    let (position, href) = (position.clone(), href.clone());
                    spawn_local_scoped(async move {
                        // Open the walkthrough on this item; go anyway if that fails.
                        let _ = ipc::position_set(position).await;
                        browser::go(href);
                    });
                }
            };
            view! {
                li { a(href=href, data-testid="finding-item", data-item-id=item.item_id, on:click=go) { (item.title) } }
            }
        })
        .collect::<Vec<_>>();
    let links = if links.is_empty() {
        view! { p(class="check-finding__none") { "No checklist item uses this check." } }
    } else {
        view! {
            p(class="check-finding__label") { "Decides" }
            ul(class="check-finding__items") { (links) }
        }
    };
    let evidence = (!finding.evidence.is_empty()).then(|| {
        let lines = finding.evidence.join("\n");
        view! {
            p(class="check-finding__label") { "Evidence" }
            pre(class="check-finding__evidence mono", data-testid="evidence") { (lines) }
        }
    });
    let measured = (!finding.measured.is_empty()).then(|| {
        let rows = finding
            .measured
            .iter()
            .map(|m| {
                let value = format!("{} {}", m.value, m.unit).trim_end().to_string();
                let name = m.name.clone();
                view! { tr { th(class="mono") { (name) } td { (value) } } }
            })
            .collect::<Vec<_>>();
        view! { table(class="check-finding__measured", data-testid="measured") { tbody { (rows) } } }
    });
    let detail = (!finding.detail.is_empty())
        .then(|| view! { p(class="check-finding__detail") { (finding.detail.clone()) } });
    let (check, target, title) = (finding.check, finding.target, finding.title);
    let (data_check, data_target) = (check.clone(), target.clone());
    view! {
        li(class=class, data-testid="finding", data-check=data_check, data-severity=severity, data-target=data_target) {
            details {
                summary(class="check-finding__summary") {
                    (chip)
                    span(class="check-finding__check mono") { (check) }
                    span(class="check-finding__title") { (title) }
                    span(class="check-finding__target mono") { (target) }
                }
                div(class="check-finding__body") {
                    (detail)
                    (evidence)
                    (measured)
                    (links)
                }
            }
        }
    }
}

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
    let counts = WORST_FIRST
        .into_iter()
        .filter(|s| logic::count_of(&summary.counts, *s) > 0)
        .map(|s| {
            let text = format!(
                "{} {}",
                logic::count_of(&summary.counts, s),
                logic::severity_label(s).to_lowercase()
            );
            let class = format!("chip sev-chip sev-chip--{}", s.as_str());
            view! { span(class=class, data-severity=s.as_str()) { (text) } }
        })
        .collect::<Vec<_>>();
    let current = move || {
        ctx.run
            .with(|r| r.as_ref().is_some_and(|r| r.summary.id == id))
            .then_some("true")
    };
    view! {
        li {
            button(
                r#type="button", class="run-row", data-testid="run", data-run-id=id.to_string(),
                aria-current=current, disabled=move || ctx.running(),
                on:click=move |_| ctx.open_run(id),
            ) {
                span(class="run-row__when") { (when) }
                span(class="run-row__took") { (took) }
                span(class="run-row__counts") { (counts) }
            }
        }
    }
}
