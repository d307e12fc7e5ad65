//! `handover project list [--json]` and `handover project show NAME|ID
//! [--json]`: the stored projects, headless — what the window's project
//! list and overview show, from the same core calls.
//!
//! Exit codes: 0 shown, 2 an unknown project, 3 internal error.

use std::process::ExitCode;

use handover_model::{Project, ProjectSummary, RunSummary, Schedule};
use serde::Serialize;

use crate::history_cli::schedule_text;
use crate::runs_cli::{fail, print_json, when};
use crate::state::AppState;
use crate::terminal::{self, paint, Tone};

/// The `schema` of `handover project show --json`.
pub const PROJECT_SCHEMA: &str = "handover-project/1";

/// `handover project show --json`.
#[derive(Debug, Serialize)]
struct ProjectJson {
    schema: &'static str,
    project: Project,
    checklist: Option<ProjectSummary>,
    schedule: Schedule,
    latest_run: Option<RunSummary>,
}

/// Lists the stored projects.
pub fn list(state: &AppState, json: bool) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let projects = match tauri::async_runtime::block_on(workbench.projects()) {
        Ok(projects) => projects,
        Err(err) => return fail(err.into()),
    };
    if json {
        return print_json(&projects);
    }
    if !projects.is_empty() {
        println!(
            "{:>5}  {:<24} {:<32} {:>9} {:>13}",
            "id", "name", "apex", "checklist", "open blockers"
        );
    }
    for p in &projects {
        let name = if p.demo {
            format!("{} (demo)", p.name)
        } else {
            p.name.clone()
        };
        println!(
            "{:>5}  {:<24} {:<32} {:>9} {:>13}",
            p.id,
            name,
            p.apex,
            format!("{}/{}", p.done, p.total),
            p.open_blockers
        );
    }
    if !terminal::quiet() {
        println!(
            "{}",
            terminal::plural(projects.len(), "project", "projects")
        );
    }
    ExitCode::SUCCESS
}

/// Shows one project.
pub fn show(state: &AppState, wanted: &str, json: bool) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let answer = tauri::async_runtime::block_on(async {
        let project = workbench.find_project(wanted).await?;
        let checklist = workbench
            .projects()
            .await?
            .into_iter()
            .find(|p| p.id == project.id);
        let schedule = workbench.schedule(project.id).await?;
        let latest_run = workbench.runs(Some(project.id)).await?.into_iter().next();
        Ok::<_, handover_core::WorkError>(ProjectJson {
            schema: PROJECT_SCHEMA,
            project,
            checklist,
            schedule,
            latest_run,
        })
    });
    let answer = match answer {
        Ok(answer) => answer,
        Err(err) => return fail(err.into()),
    };
    if json {
        return print_json(&answer);
    }
    let spec = &answer.project.spec;
    println!(
        "{} (project {})",
        paint(&spec.name, Tone::Strong),
        answer.project.id
    );
    if !spec.description.is_empty() {
        println!("  {}", spec.description);
    }
    println!("  apex          {}", spec.apex);
    if !spec.subdomains.is_empty() {
        let labels: Vec<&str> = spec.subdomains.iter().map(|s| s.label.as_str()).collect();
        println!("  subdomains    {}", labels.join(", "));
    }
    for env in &spec.environments {
        println!("  {:<13} {}", env.kind.as_str(), env.base_url);
    }
    if !spec.endpoints.is_empty() {
        println!("  endpoints     {}", spec.endpoints.len());
    }
    if let Some(c) = &answer.checklist {
        println!(
            "  checklist     {} of {} done, {}",
            c.done,
            c.total,
            terminal::plural(c.open_blockers as usize, "open blocker", "open blockers")
        );
    }
    println!("  recheck       {}", schedule_text(&answer.schedule));
    match &answer.latest_run {
        Some(run) => println!(
            "  latest run    {} at {}: {}",
            run.id,
            when(run.started_ms),
            run_counts(run)
        ),
        None => println!("  latest run    none yet"),
    }
    ExitCode::SUCCESS
}

/// `1 blocker, 2 high, 3 could not be checked` (or `nothing to fix`).
fn run_counts(run: &RunSummary) -> String {
    use handover_model::Severity;
    let mut parts = Vec::new();
    for s in [
        Severity::Blocker,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ] {
        let n = run.counts[s as usize];
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str()));
        }
    }
    if run.inconclusive > 0 {
        parts.push(format!("{} could not be checked", run.inconclusive));
    }
    if parts.is_empty() {
        "nothing to fix".to_string()
    } else {
        parts.join(", ")
    }
}
