//! Live checks: run every applicable check against a project's real hosts,
//! watch them as they go, and read the findings by host or by checklist
//! stage, with the evidence behind each one and the items it decides; what
//! could not be checked says why and can be retried on its own.

mod chart;
mod email;
pub(crate) mod finding;
mod logic;
mod picker;
mod progress;
mod results;
mod runs;
mod smoke;
mod tracker;

pub use picker::CHECKS;

use std::rc::Rc;

use handover_model::{Catalog, CommandError, Run, RunSummary};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading};
use crate::ipc;
use crate::route::path;
use logic::GroupBy;
use tracker::RunProgress;

/// What the page's parts share. All signals, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The project.
    pub project_id: i64,
    /// The checklist catalog, to map checks to items and stages.
    pub catalog: Signal<Rc<Catalog>>,
    /// The run shown, if any.
    pub run: Signal<Option<Run>>,
    /// The project's runs, newest first.
    pub runs: Signal<Vec<RunSummary>>,
    /// The progress of the run in progress, or of the run this page
    /// started last while that run is the one shown.
    pub progress: Signal<Option<RunProgress>>,
    /// Whether a run is in progress.
    running: Signal<bool>,
    /// The last failure, with what was being done.
    pub error: Signal<Option<(&'static str, CommandError)>>,
    /// How the findings are grouped.
    pub group_by: Signal<GroupBy>,
    /// Whether passing findings are hidden.
    pub hide_pass: Signal<bool>,
    /// Whether informative findings are hidden.
    pub hide_info: Signal<bool>,
    /// Whether the "Run load probes" confirmation is open.
    pub confirming_load: Signal<bool>,
    /// Numbers run loads, so only the latest answer is shown.
    load_seq: Signal<u64>,
    /// The page's scope: a run outlives the part of the page that started it.
    scope: NodeHandle,
}

impl Ctx {
    fn new(project_id: i64, catalog: Rc<Catalog>, runs: Vec<RunSummary>, run: Option<Run>) -> Self {
        Ctx {
            project_id,
            catalog: create_signal(catalog),
            run: create_signal(run),
            runs: create_signal(runs),
            progress: create_signal(None),
            running: create_signal(false),
            error: create_signal(None),
            group_by: create_signal(GroupBy::Host),
            hide_pass: create_signal(true),
            hide_info: create_signal(false),
            confirming_load: create_signal(false),
            load_seq: create_signal(0),
            scope: use_current_scope(),
        }
    }

    /// Whether a run is in progress.
    pub fn running(self) -> bool {
        self.running.get()
    }

    /// Runs every check, streaming progress into [`Ctx::progress`].
    pub fn run_all(self) {
        self.run(Vec::new(), false);
    }

    /// Runs `check` again (with the other checks of the items it decides),
    /// through the same progress as "Run all"; the new run is then shown.
    pub fn retry(self, check: String) {
        self.run(vec![check], false);
    }

    /// Runs the load probes (latency and rate limits, with the other
    /// checks of their items), which the person has just confirmed.
    pub fn run_load_probes(self) {
        self.confirming_load.set(false);
        self.run(LOAD_PROBES.map(str::to_string).to_vec(), true);
    }

    /// Runs `only` these checks, or every check when empty; `load` runs
    /// the load probes too.
    fn run(self, only: Vec<String>, load: bool) {
        if self.running.get_untracked() {
            return;
        }
        self.running.set(true);
        let candidates = if only.is_empty() {
            self.catalog.with_untracked(|c| logic::catalog_checks(c))
        } else {
            only.clone()
        };
        self.progress.set(Some(RunProgress::new(candidates)));
        self.error.set(None);
        // A load of an older run that answers now must not replace this run.
        self.load_seq.set(self.load_seq.get_untracked() + 1);
        let progress = self.progress;
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                let result = ipc::checks_run(self.project_id, only, load, move |event| {
                    progress.update(|p| {
                        if let Some(p) = p {
                            p.apply(event);
                        }
                    });
                })
                .await;
                match result {
                    Ok(run) => {
                        progress.update(|p| {
                            if let Some(p) = p {
                                p.settle(&run.findings);
                            }
                        });
                        self.run.set(Some(run));
                        match ipc::runs_list(self.project_id).await {
                            Ok(runs) => self.runs.set(runs),
                            Err(err) => self
                                .error
                                .set(Some(("The past runs could not be loaded", err))),
                        }
                    }
                    Err(err) => {
                        self.error.set(Some(("The checks could not run", err)));
                        self.progress.set(None);
                    }
                }
                self.running.set(false);
            })
        });
    }

    /// Shows an older run.
    pub fn open_run(self, run_id: i64) {
        if self.running.get_untracked() {
            return;
        }
        let seq = self.load_seq.get_untracked() + 1;
        self.load_seq.set(seq);
        self.scope.run_in(|| {
            spawn_local_scoped(async move {
                let result = ipc::run_get(run_id).await;
                if self.load_seq.get_untracked() != seq {
                    return;
                }
                match result {
                    Ok(run) => {
                        self.error.set(None);
                        // The progress shown belongs to the run this page started.
                        let same = self
                            .run
                            .with_untracked(|r| r.as_ref().map(|r| r.summary.id) == Some(run_id));
                        if !same {
                            self.progress.set(None);
                        }
                        self.run.set(Some(run));
                    }
                    Err(err) => self.error.set(Some(("That run could not be loaded", err))),
                }
            })
        });
    }
}

/// `/projects/<id>/checks`: the Live checks page of project `id`.
#[component(inline_props)]
pub fn ProjectChecks(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Loading the live checks…")) {
            ChecksLoader(id=id)
        }
    }
}

#[component(inline_props)]
async fn ChecksLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return failure("This project could not be loaded", &err),
    };
    let catalog = match ipc::catalog().await {
        Ok(catalog) => catalog,
        Err(err) => return failure("The checklist could not be loaded", &err),
    };
    let runs = match ipc::runs_list(id).await {
        Ok(runs) => runs,
        Err(err) => return failure("The past runs could not be loaded", &err),
    };
    // The latest run, if there is one; a failure here still lets checks run.
    let (run, error) = match runs.first() {
        Some(latest) => match ipc::run_get(latest.id).await {
            Ok(run) => (Some(run), None),
            Err(err) => (None, Some(("The latest run could not be loaded", err))),
        },
        None => (None, None),
    };
    let ctx = Ctx::new(id, catalog, runs, run);
    ctx.error.set(error);
    let has_endpoints = !project.spec.endpoints.is_empty();
    let badge = demo_badge(project.demo);
    page(
        ctx,
        project.spec.name,
        badge,
        project.spec.apex,
        has_endpoints,
    )
}

fn failure(title: &'static str, err: &CommandError) -> View {
    let alert = error_alert(title, err);
    view! {
        h1(class="page-header__title", id="page-title") { "Live checks" }
        (alert)
        p { a(href="/") { "Back to all projects" } }
    }
}

fn page(ctx: Ctx, project_name: String, badge: View, apex: String, has_endpoints: bool) -> View {
    let overview = path::overview(ctx.project_id);
    let lede = if apex.is_empty() {
        "DNS, TLS, redirects, headers, CORS, caching, email and latency, measured against the real product.".to_string()
    } else {
        format!("DNS, TLS, redirects, headers, CORS, caching, email and latency, measured live against {apex}.")
    };
    let error = move || {
        ctx.error
            .get_clone()
            .map(|(title, err)| error_alert(title, &err))
    };
    let body = View::from_dynamic(move || {
        if ctx.running() {
            return untrack(|| progress::progress_panel(ctx));
        }
        let has_run = ctx.run.with(Option::is_some);
        untrack(|| {
            if has_run {
                let recap = progress::progress_recap(ctx);
                view! {
                    (email::email_panel(ctx))
                    (smoke::smoke_panel(ctx, has_endpoints))
                    (results::results_panel(ctx))
                    (recap)
                }
            } else {
                view! {
                    section(class="panel", data-testid="no-runs") {
                        h2(class="panel__title") { "No checks have run yet" }
                        p(class="panel__lede") {
                            "Run all to check DNS, TLS, redirects, headers and the rest against this project's hosts. Nothing is changed on them: every check only reads."
                        }
                    }
                    (smoke::smoke_panel(ctx, has_endpoints))
                }
            }
        })
    });
    let button_label = move || {
        if ctx.running() {
            "Running…"
        } else {
            "Run all"
        }
    };
    view! {
        header(class="walk-header") {
            nav(class="breadcrumb", aria-label="Breadcrumb") {
                a(href=overview, data-testid="checks-project") { (project_name) }
                (badge)
                span(aria-hidden="true") { " › " }
                span { "Live checks" }
            }
            div(class="page-header page-header--row") {
                div(class="page-header__text") {
                    h1(class="page-header__title", id="page-title") { "Live checks" }
                    p(class="page-header__lede") { (lede) }
                }
                div(class="page-header__actions") {
                    button(
                        r#type="button", class="button", data-testid="load-probes",
                        disabled=move || ctx.running(),
                        on:click=move |_| ctx.confirming_load.set(true),
                    ) { "Run load probes" }
                    button(
                        r#type="button", class="button button--primary", data-testid="run-checks",
                        disabled=move || ctx.running(), on:click=move |_| ctx.run_all(),
                    ) { (button_label) }
                }
            }
        }
        (load_confirmation(ctx))
        (error)
        (body)
        (runs::past_runs(ctx))
    }
}

/// The checks that send load, run only once the person confirms.
const LOAD_PROBES: [&str; 5] = [
    "latency.chat",
    "latency.login",
    "latency.dashboard",
    "ratelimit.login",
    "ratelimit.chat",
];

/// The confirmation the load probes ask for: they send hundreds of
/// requests to the product, which must not surprise anyone.
fn load_confirmation(ctx: Ctx) -> View {
    view! {
        (if ctx.confirming_load.get() {
            view! {
                section(class="panel confirm-strip", data-testid="confirm-load", role="alertdialog",
                        aria-labelledby="confirm-load-title") {
                    h2(class="panel__title", id="confirm-load-title") { "Send load to this product?" }
                    p {
                        "The latency probe sends 100 requests from 5 concurrent users to each chat, \
                         sign-in and dashboard endpoint and reports p50 to p99 against the targets; \
                         the rate-limit probe sends a burst of 30 requests in 2 s to the sign-in and \
                         chat endpoints. A POST endpoint receives its configured body each time. Run \
                         them against production only when a short burst of traffic is fine."
                    }
                    div(class="confirm-strip__actions") {
                        button(r#type="button", class="button", data-testid="confirm-load-cancel",
                               on:click=move |_| ctx.confirming_load.set(false)) { "Cancel" }
                        button(r#type="button", class="button button--primary",
                               data-testid="confirm-load-go",
                               on:click=move |_| ctx.run_load_probes()) { "Send the requests" }
                    }
                }
            }
        } else {
            view! {}
        })
    }
}
