//! The Secrets & env page of one project: scan its repository, recent
//! history, build output and (when ticked) deployed site with live
//! progress; read the findings by target with what to do about each;
//! ignore a fingerprint (the baseline) or take it back; env parity; log
//! exports. Everything shown is what the core computed.

mod logic;
mod sections;

use handover_model::{
    CommandError, ProjectSecrets, ScanProgress, SecretIgnore, SecretsScanRequest, SecretsView,
    DEFAULT_HISTORY_COMMITS,
};
use sycamore::futures::spawn_local_scoped;
use sycamore::prelude::*;
use sycamore::web::Suspense;

use crate::components::{demo_badge, error_alert, loading};
use crate::ipc;
use crate::pages::empty;
use crate::pages::picker::{apex_and_blockers, Destination};
use crate::route::path;

/// Where the `/secrets` entry leads.
pub static SECRETS: Destination = Destination {
    from: "/secrets",
    title: "Secrets & env",
    lede: "Leaked keys, env parity and log hygiene.",
    choose: "Choose the project to scan for secrets.",
    opening: "Opening secrets & env…",
    empty: &empty::SECRETS,
    resume: |p| path::secrets(p.project_id),
    project: path::secrets,
    facts: apex_and_blockers,
};

/// What the page shows: the last scan and the baseline, and the last error.
#[derive(Clone, Default)]
pub struct Shown {
    last: Option<ProjectSecrets>,
    ignores: Vec<SecretIgnore>,
    error: Option<(&'static str, CommandError)>,
}

impl Shown {
    fn of(view: SecretsView) -> Self {
        Shown {
            last: view.last,
            ignores: view.ignores,
            error: None,
        }
    }
}

/// `/projects/<id>/secrets`.
#[component(inline_props)]
pub fn ProjectSecrets(id: i64) -> View {
    view! {
        Suspense(fallback=|| loading("Opening secrets & env…")) {
            SecretsLoader(id=id)
        }
    }
}

fn ignore(project_id: i64, fingerprint: String, reason: String, shown: Signal<Shown>) {
    spawn_local_scoped(async move {
        match ipc::secret_ignore(project_id, fingerprint, reason).await {
            Ok(view) => shown.set(Shown::of(view)),
            Err(err) => {
                shown.update(|s| s.error = Some(("The fingerprint could not be ignored", err)))
            }
        }
    });
}

fn unignore(project_id: i64, fingerprint: String, shown: Signal<Shown>) {
    spawn_local_scoped(async move {
        match ipc::secret_unignore(project_id, fingerprint).await {
            Ok(view) => shown.set(Shown::of(view)),
            Err(err) => {
                shown.update(|s| s.error = Some(("The fingerprint could not be un-ignored", err)))
            }
        }
    });
}

#[component(inline_props)]
async fn SecretsLoader(id: i64) -> View {
    let project = match ipc::project_get(id).await {
        Ok(project) => project,
        Err(err) => return error_alert("This project could not be loaded", &err),
    };
    let first = match ipc::secrets_get(id).await {
        Ok(view) => Shown::of(view),
        Err(err) => Shown {
            error: Some(("The last scan could not be loaded", err)),
            ..Shown::default()
        },
    };
    let shown = create_signal(first);
    let running = create_signal(false);
    let progress = create_signal(Vec::<ScanProgress>::new());
    let site = create_signal(false);
    let history = create_signal(DEFAULT_HISTORY_COMMITS.to_string());
    let log_paths = create_signal(String::new());
    let actions = sections::Actions {
        ignore,
        unignore,
        project_id: id,
        shown,
    };
    let scan = move |_| {
        if running.get_untracked() {
            return;
        }
        running.set(true);
        progress.set(Vec::new());
        let request = SecretsScanRequest {
            project_id: id,
            history_commits: history
                .with_untracked(|h| h.trim().parse().unwrap_or(DEFAULT_HISTORY_COMMITS)),
            site: site.get_untracked(),
            logs: Vec::new(),
        };
        spawn_local_scoped(async move {
            let result = ipc::secrets_scan(request, move |event| {
                progress.update(|all| match all.last_mut() {
                    Some(last) if last.place == event.place && !last.finished => *last = event,
                    _ => all.push(event),
                });
            })
            .await;
            match result {
                Ok(page) => shown.update(|s| {
                    s.last = Some(page);
                    s.error = None;
                }),
                Err(err) => shown.update(|s| s.error = Some(("The scan could not run", err))),
            }
            running.set(false);
        });
    };
    let scan_logs = move |_| {
        let files = logic::typed_paths(&log_paths.get_clone_untracked());
        spawn_local_scoped(async move {
            match ipc::logs_scan(id, files).await {
                Ok(page) => shown.update(|s| {
                    s.last = Some(page);
                    s.error = None;
                }),
                Err(err) => {
                    shown.update(|s| s.error = Some(("The log exports could not be scanned", err)))
                }
            }
        });
    };
    // A chosen file joins the typed list, one path per line.
    let choose_log = move |_| {
        spawn_local_scoped(async move {
            match ipc::pick_log_file().await {
                Ok(Some(path)) => log_paths.update(|typed| {
                    if !typed.trim().is_empty() && !typed.ends_with('\n') {
                        typed.push('\n');
                    }
                    typed.push_str(&path);
                }),
                Ok(None) => {}
                Err(err) => {
                    shown.update(|s| s.error = Some(("The file dialog could not open", err)))
                }
            }
        });
    };
    let progress_view = move || {
        let lines: Vec<View> = progress
            .get_clone()
            .iter()
            .map(|p| {
                let line = logic::progress_line(p);
                view! { li { (line) } }
            })
            .collect();
        if lines.is_empty() {
            view! {}
        } else {
            view! { ul(class="scan-progress", role="status", aria-live="polite") { (lines) } }
        }
    };
    let body = View::from_dynamic(move || {
        let now = shown.get_clone();
        untrack(|| {
            let alert = now
                .error
                .as_ref()
                .map(|(title, err)| error_alert(title, err))
                .unwrap_or_default();
            let Some(page) = &now.last else {
                let baseline = sections::baseline(&now.ignores, actions);
                return view! {
                    (alert)
                    section(class="panel secrets-empty") {
                        h2(class="panel__title") { "Nothing scanned yet" }
                        p { "A scan reads the repository's working tree (honouring .gitignore) and its last commits, the build output (everything in it), the deployed site when ticked, the env files at the repository's top and the log exports you name. Secrets are shown by rule and place with a redacted preview, never in full." }
                    }
                    (baseline)
                };
            };
            let targets: Vec<View> = page
                .targets
                .iter()
                .map(|t| sections::target(t, &now.ignores, actions))
                .collect();
            let notes: Vec<View> = page
                .notes
                .iter()
                .map(|n| {
                    let n = n.clone();
                    view! { li { (n) } }
                })
                .collect();
            let summary = sections::summary(page);
            let chart = sections::chart(&page.targets);
            let env = sections::env(page.env.as_ref());
            let logs = sections::logs(&page.logs);
            let baseline = sections::baseline(&now.ignores, actions);
            view! {
                (alert)
                (summary)
                (chart)
                (targets)
                (env)
                (logs)
                ul(class="secrets-notes") { (notes) }
                (baseline)
            }
        })
    });
    let name = project.spec.name;
    let badge = demo_badge(project.demo);
    let overview = path::overview(id);
    view! {
        section(id="secrets-page") {
            header(class="walk-header") {
                nav(class="breadcrumb", aria-label="Breadcrumb") {
                    a(href=overview) { (name) }
                    (badge)
                    span(aria-hidden="true") { " › " }
                    span { "Secrets & env" }
                }
                div(class="page-header") {
                    h1(class="page-header__title", id="page-title") { "Secrets & env" }
                    p(class="page-header__lede") { "Leaked keys in the repository, its history, the build output and the deployed site; staging against production; what the logs hold." }
                }
            }
            section(class="panel secrets-controls") {
                label { input(r#type="checkbox", id="secrets-site", bind:checked=site) " Also fetch the deployed site" }
                label { "Commits of history " input(r#type="number", id="secrets-history", min="0", class="input input--narrow", bind:value=history) }
                button(r#type="button", id="secrets-scan", class="button button--primary",
                    disabled=move || running.get(), on:click=scan) {
                    (if running.get() { "Scanning…" } else { "Scan" })
                }
                (progress_view)
            }
            section(class="panel secrets-logs") {
                h2(class="panel__title") { "Log exports" }
                p(class="muted") { "One path per line: plain text, JSON lines or gzip. Counts and redacted samples only." }
                textarea(id="logs-path", class="input", rows="2", bind:value=log_paths)
                div(class="eval-actions") {
                    button(r#type="button", id="logs-choose", class="button", on:click=choose_log) { "Choose a file…" }
                    button(r#type="button", id="logs-scan", class="button", on:click=scan_logs) { "Scan logs" }
                }
            }
            (body)
        }
    }
}
