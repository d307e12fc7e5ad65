//! The History page of one project: what changed since the run before the
//! latest first, then the charts over every kept run (p95 per endpoint
//! with its target, certificate days left per host, findings by severity
//! per run, uptime of the health endpoint), "Recheck now", and the weekly
//! recheck's settings. Everything shown is what the core computed.

mod charts;
mod diff;
mod logic;
mod recheck;
mod schedule;

use handover_model::{CommandError, HistoryView};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading};
use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;
use crate::{format, ipc};

/// Where the `/history` entry leads.
pub static HISTORY: Destination = Destination {
    from: "/history",
    title: "History",
    lede: "Every run and weekly recheck, and what changed since the last one.",
    choose: "Choose the project whose history you want to see.",
    opening: "Opening the history…",
    empty: &empty::HISTORY,
    resume: |p| path::history(p.project_id),
    project: path::history,
    facts: apex_and_blockers,
};

/// `/projects/<id>/history`: the History page of project `id`.
#[component(inline_props)]
pub fn ProjectHistory(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Gathering the history…")) {
            HistoryLoader(id=id)
        }
    }
}

#[component(inline_props)]
async fn HistoryLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return failure("This project could not be loaded", &err),
    };
    let history = match ipc::history_get(id).await {
        Ok(history) => history,
        Err(err) => return failure("The history could not be loaded", &err),
    };
    // Start at login is a nicety: without it the page still works.
    let autostart = ipc::autostart_get().await.ok();
    let settings = schedule::settings_panel(
        id,
        history.schedule.clone(),
        history.retention_days,
        autostart,
    );
    let shown = create_signal(history);
    let reload_error = create_signal(None::<CommandError>);
    let reload = move || {
        spawn_local_scoped(async move {
            match ipc::history_get(id).await {
                Ok(fresh) => {
                    reload_error.set(None);
                    shown.set(fresh);
                }
                Err(err) => reload_error.set(Some(err)),
            }
        });
    };
    // A run stored by the tray or the timer shows up without leaving the page.
    let stored_elsewhere = create_signal(0u32);
    let subscription = ipc::on_runs_changed(move |changed| {
        if changed.project_id == id {
            stored_elsewhere.update(|n| *n += 1);
        }
    });
    on_cleanup(move || drop(subscription));
    create_effect(move || {
        if stored_elsewhere.get() > 0 {
            untrack(reload);
        }
    });
    let recheck = recheck::recheck_panel(id, reload);
    let diff = View::from_dynamic(move || {
        let fresh = shown.with(|h| h.diff.clone());
        untrack(|| diff::diff_panel(fresh))
    });
    let charts = View::from_dynamic(move || {
        let fresh = shown.get_clone();
        untrack(|| charts_panel(&fresh))
    });
    let alert = move || {
        reload_error.with(|e| {
            e.as_ref()
                .map(|err| error_alert("The history could not be reloaded", err))
                .unwrap_or_default()
        })
    };
    let name = project.spec.name;
    let badge = demo_badge(project.demo);
    let overview = path::overview(id);
    let lede = "Every kept run of this project, what changed since the one before, and its weekly recheck.";
    view! {
        header(class="walk-header") {
            nav(class="breadcrumb", aria-label="Breadcrumb") {
                a(href=overview, data-testid="history-breadcrumb") { (name) }
                (badge)
                span(aria-hidden="true") { " › " }
                span { "History" }
            }
            div(class="page-header") {
                h1(class="page-header__title", id="page-title") { "History" }
                p(class="page-header__lede") { (lede) }
            }
        }
        (alert)
        (diff)
        (recheck)
        (charts)
        (settings)
    }
}

/// A run's start as a short local date.
fn run_date(ms: i64) -> String {
    format::timestamp(ms)
}

/// The four charts over every kept run.
fn charts_panel(history: &HistoryView) -> View {
    let count = format::count(history.runs.len() as u32, "run", "runs");
    let lede = format!(
        "{count} kept; runs older than {} days are deleted.",
        history.retention_days
    );
    let p95 = charts::line_chart("chart-p95", "p95 per endpoint", &history.p95, run_date);
    let certificates = charts::line_chart(
        "chart-certificates",
        "Certificate days left per host",
        &history.certificate_days,
        run_date,
    );
    let severity = charts::severity_chart(&history.runs, run_date);
    let uptime = charts::line_chart(
        "chart-uptime",
        "Uptime of the health endpoint across rechecks",
        &history.uptime,
        run_date,
    );
    view! {
        section(class="panel", aria-labelledby="charts-title", data-testid="history-charts") {
            h2(class="panel__title", id="charts-title") { "Over time" }
            p(class="history-charts__lede") { (lede) }
            div(class="history-charts") {
                (p95)
                (certificates)
                (severity)
                (uptime)
            }
        }
    }
}

fn failure(title: &'static str, err: &CommandError) -> View {
    let alert = error_alert(title, err);
    view! {
        h1(class="page-header__title", id="page-title") { "History" }
        (alert)
        p { a(href="/") { "Back to all projects" } }
    }
}
