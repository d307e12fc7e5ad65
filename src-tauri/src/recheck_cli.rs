//! `handover recheck --project NAME|ID | --all | --due`: the weekly
//! recheck headless, through the same core call as the window's "recheck
//! now". Per project: what changed since its previous run, the notices it
//! raised (each once per state change), then one verdict line for all.
//!
//! Exit codes: 0 every project is go (or there was nothing to recheck),
//! 1 a project is no-go, 2 bad input (an unknown project), 3 internal error.

use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use handover_core::workbench::WorkError;
use handover_core::Workbench;
use handover_model::{CommandError, RecheckOutcome, RunSource};
use serde::Serialize;

use crate::check_cli::{exit_for, report, EXIT_GO, EXIT_INTERNAL, EXIT_NO_GO};
use crate::history_cli::{diff_heading, print_diff};
use crate::runs_cli::print_json;
use crate::state::AppState;
use crate::terminal::{self, paint, Tally, Tone};

/// The `schema` of `handover recheck --json`.
pub const RECHECK_SCHEMA: &str = "handover-recheck/1";

/// `handover recheck`: which projects.
#[derive(Debug, Args)]
#[command(group(
    clap::ArgGroup::new("which").required(true).args(["project", "all", "due"])
))]
pub struct RecheckArgs {
    /// One stored project, by name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// Every stored project, whatever its schedule.
    #[arg(long)]
    pub all: bool,
    /// Only the projects whose weekly recheck is due (once each, however
    /// many weeks were missed): what the installed timer runs every hour.
    #[arg(long)]
    pub due: bool,
    /// Print JSON (`handover-recheck/1`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One project's recheck, as `--json` prints it.
#[derive(Debug, Serialize)]
struct ProjectRecheck {
    project_id: i64,
    project: String,
    #[serde(flatten)]
    outcome: RecheckOutcome,
}

/// `handover recheck --json`.
#[derive(Debug, Serialize)]
struct RecheckJson {
    schema: &'static str,
    go: bool,
    projects: Vec<ProjectRecheck>,
}

/// Runs the rechecks and returns the exit code.
pub fn run(args: RecheckArgs, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => {
            report(&err);
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let started = Instant::now();
    let show_progress = !args.json;
    let outcomes = tauri::async_runtime::block_on(async {
        if args.due {
            let progress = terminal::progress(show_progress, None);
            let due = workbench
                .recheck_due(handover_core::store::now_ms(), progress)
                .await?;
            let mut named = Vec::new();
            for (id, outcome) in due {
                named.push((id, name_of(workbench, id).await, Ok(outcome)));
            }
            return Ok(named);
        }
        let projects: Vec<(i64, String)> = match &args.project {
            Some(wanted) => {
                let p = workbench.find_project(wanted).await?;
                vec![(p.id, p.spec.name)]
            }
            None => workbench
                .projects()
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
        };
        let mut done = Vec::new();
        for (id, name) in projects {
            let progress = terminal::progress(show_progress, Some(&name));
            let outcome = workbench.recheck(id, RunSource::Cli, progress).await;
            done.push((id, name, outcome));
        }
        Ok::<_, WorkError>(done)
    });
    let outcomes = match outcomes {
        Ok(outcomes) => outcomes,
        Err(err) => {
            let err = CommandError::from(err);
            report(&err);
            return ExitCode::from(exit_for(&err));
        }
    };
    if outcomes.is_empty() {
        let what = if args.due {
            "no project's weekly recheck is due"
        } else {
            "no projects to recheck: import one with `handover project import FILE`"
        };
        if args.json {
            return print_json(&RecheckJson {
                schema: RECHECK_SCHEMA,
                go: true,
                projects: Vec::new(),
            });
        }
        println!("{what}");
        return ExitCode::from(EXIT_GO);
    }
    let total = outcomes.len();
    let mut tally = Tally::default();
    let mut no_go = 0;
    let mut failed = 0;
    let mut json = Vec::new();
    for (id, name, outcome) in outcomes {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(err) => {
                let err = CommandError::from(err);
                eprintln!("handover: {name}: {}", err.message);
                failed += 1;
                continue;
            }
        };
        if !outcome.go {
            no_go += 1;
        }
        let run = tauri::async_runtime::block_on(workbench.run(outcome.run_id));
        if let Ok(run) = &run {
            tally.add(&run.findings);
        }
        if args.json {
            json.push(ProjectRecheck {
                project_id: id,
                project: name,
                outcome,
            });
        } else if !terminal::quiet() {
            print_outcome(&name, &outcome);
        }
    }
    tally.elapsed_ms = started.elapsed().as_millis() as u64;
    let go = no_go == 0 && failed == 0;
    let lead = match (no_go, total) {
        (0, 1) | (1, 1) => None,
        (n, total) => Some(format!("{n} of {total} projects no-go")),
    };
    if args.json {
        let code = print_json(&RecheckJson {
            schema: RECHECK_SCHEMA,
            go,
            projects: json,
        });
        eprintln!("{}", terminal::verdict_line(go, lead.as_deref(), &tally));
        if failed == 0 && code != ExitCode::SUCCESS {
            return code;
        }
    } else {
        terminal::print_verdict(go, lead.as_deref(), &tally);
    }
    ExitCode::from(match (failed, no_go) {
        (0, 0) => EXIT_GO,
        (0, _) => EXIT_NO_GO,
        _ => EXIT_INTERNAL,
    })
}

/// A project's name for a line (its id when it cannot be read).
async fn name_of(workbench: &Workbench, id: i64) -> String {
    match workbench.project(id).await {
        Ok(project) => project.spec.name,
        Err(_) => format!("project {id}"),
    }
}

/// One project's part: heading, diff, notices, go or no-go.
fn print_outcome(name: &str, outcome: &RecheckOutcome) {
    let state = if outcome.go {
        paint("go", Tone::Good)
    } else {
        paint("no-go", Tone::Bad)
    };
    println!(
        "{} · {state} · {}",
        paint(name, Tone::Strong),
        diff_heading(&outcome.diff)
    );
    print_diff(&outcome.diff);
    for notice in &outcome.notices {
        println!("  notice: {} — {}", notice.title, notice.body);
    }
}
