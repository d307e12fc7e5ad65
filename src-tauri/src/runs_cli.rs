//! `handover runs` and `handover run ID`: the stored runs, headless — what
//! the Live checks page lists, from the same core calls.

use std::process::ExitCode;

use clap::Args;
use handover_core::workbench::run_verdict;
use handover_model::{CommandError, RunSummary, Severity, Verdict};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::check_cli::{exit_for, report, EXIT_INTERNAL};
use crate::state::AppState;
use crate::terminal;

/// `handover runs`: which runs to list.
#[derive(Debug, Args)]
pub struct RunsArgs {
    /// A stored project's name or id; without it, the runs of no stored
    /// project (quick audits and project files).
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `handover run ID`: one run with its findings.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The run id (from `handover runs`).
    pub id: i64,
    /// Print JSON (the run with its findings) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `2026-12-01T22:25:00Z` for a time in ms since the epoch.
pub(crate) fn when(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("handover: cannot encode the answer: {e}");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

pub(crate) fn fail(err: CommandError) -> ExitCode {
    report(&err);
    ExitCode::from(exit_for(&err))
}

/// Lists runs, newest first.
pub fn list(args: RunsArgs, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let runs = tauri::async_runtime::block_on(async {
        let project_id = match &args.project {
            Some(name) => Some(workbench.find_project(name).await?.id),
            None => None,
        };
        workbench.runs(project_id).await
    });
    let runs = match runs {
        Ok(runs) => runs,
        Err(err) => return fail(err.into()),
    };
    if args.json {
        return print_json(&runs);
    }
    for run in &runs {
        println!("{}", line(run));
    }
    println!(
        "{} run{}",
        runs.len(),
        if runs.len() == 1 { "" } else { "s" }
    );
    ExitCode::SUCCESS
}

/// One line of `handover runs`.
fn line(run: &RunSummary) -> String {
    let count = |s: Severity| run.counts[s as usize];
    format!(
        "{:>5}  {}  {:<6} {:<24} {} blocker, {} high, {} medium, {} could not check",
        run.id,
        when(run.started_ms),
        run.source.as_str(),
        run.subject,
        count(Severity::Blocker),
        count(Severity::High),
        count(Severity::Medium),
        run.inconclusive
    )
}

/// Shows one run.
pub fn show(args: RunArgs, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    match tauri::async_runtime::block_on(workbench.run(args.id)) {
        Ok(run) if args.json => print_json(&run),
        Ok(run) => {
            if !terminal::quiet() {
                println!("{}", line(&run.summary));
                terminal::print_findings(&run.findings);
            }
            let verdict = run_verdict(workbench.catalog(), &run.findings);
            let elapsed = (run.summary.finished_ms - run.summary.started_ms).max(0) as u64;
            terminal::print_verdict(
                verdict.verdict == Verdict::Go,
                None,
                &terminal::Tally::of(&run.findings, elapsed),
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(err.into()),
    }
}
