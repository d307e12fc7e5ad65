//! A finished run: counts per severity and of what could not be checked,
//! and its findings grouped by host or by stage (see `finding` for a row).

use handover_model::Severity;
use sycamore::prelude::*;

use super::finding::finding_row;
use super::logic::{self, Block, Filter, GroupBy, Section, PROBLEMS, WORST_FIRST};
use super::Ctx;
use crate::format;

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
    let mut counts = WORST_FIRST
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
    // The core's ranking: judged problems, then what could not be checked, then the rest.
    let problems: Vec<View> = counts.drain(..PROBLEMS).collect();
    let inconclusive = move || {
        ctx.run
            .with(|r| r.as_ref().map_or(0, |r| r.summary.inconclusive))
    };
    let inconclusive_class = move || {
        let zero = if inconclusive() == 0 {
            " sev-count--zero"
        } else {
            ""
        };
        format!("sev-count sev-chip sev-chip--inconclusive{zero}")
    };
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
            ul(class="sev-counts", aria-label="Findings by severity") {
                (problems)
                li(class=inconclusive_class, data-testid="count-inconclusive", data-outcome="inconclusive") {
                    span(class="sev-count__n") { (inconclusive().to_string()) }
                    span(class="sev-count__label") { "Could not check" }
                }
                (counts)
            }
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
    // How many findings of the run this chip hides or shows (what could
    // not be checked is never hidden, and the summary does not count it).
    let n = move || {
        ctx.run.with(|r| {
            r.as_ref()
                .map_or(0, |r| logic::count_of(&r.summary.counts, severity))
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
