//! `handover smoke`: the post-deploy smoke sequence alone, for CI. Two
//! forms: `--project NAME|ID` (a stored project; the run is stored and
//! decides the smoke checklist items, like `handover check --only
//! smoke.endpoints`) and `--config FILE` (a project file, not imported and
//! not stored). Both run `smoke.endpoints` through the core's runner.
//!
//! One line per step goes to stdout, in step order; `--junit FILE` and
//! `--json FILE` write the reports CI reads.
//!
//! A project with a chat adapter also runs its evaluation set (`ai.eval`)
//! after the steps: one line per finding; a leak, a failed security case,
//! a drop in pass rate or a set that could not run fails the command.
//!
//! Exit codes: 0 every step passed, 1 a step failed or could not run,
//! 2 bad input (including a report file that cannot be written),
//! 3 internal error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{ArgGroup, Args};
use handover_core::checks::smoke::{self, report::Tally, StepState, CHECK};
use handover_core::checks::CheckTarget;
use handover_core::eval::CHECK as EVAL;
use handover_core::workbench::{audit, ProgressSink};
use handover_core::WorkError;
use handover_model::{CommandError, Finding, RunSource};

use crate::check_cli::{exit_for, report, EXIT_BAD_INPUT, EXIT_NO_GO};
use crate::state::AppState;

/// `handover smoke`: what to run and where the reports go.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("subject").required(true).args(["project", "config"])))]
pub struct SmokeArgs {
    /// A stored project's name or id; the run is stored.
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// A project file (TOML or JSON) to run the sequence of, without importing it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write a JUnit XML report (one test case per step) to this file.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON report to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Runs the smoke sequence, prints a line per step, writes the reports.
pub fn run(args: SmokeArgs, state: &AppState) -> ExitCode {
    let outcome = match (&args.project, &args.config) {
        (Some(project), _) => stored(project, state),
        (None, Some(path)) => from_file(path),
        (None, None) => unreachable!("clap requires --project or --config"),
    };
    let (suite, findings) = match outcome {
        Ok(done) => done,
        Err(err) => {
            report(&err);
            return ExitCode::from(exit_for(&err));
        }
    };
    let (findings, eval): (Vec<Finding>, Vec<Finding>) = findings
        .into_iter()
        .filter(|f| f.check == CHECK || f.check == EVAL)
        .partition(|f| f.check == CHECK);
    print_steps(&findings);
    let eval_ok = print_eval(&eval);
    let tally = Tally::of(&findings);
    eprintln!(
        "{} step{}: {} passed, {} failed, {} could not run, {} skipped",
        tally.tests,
        if tally.tests == 1 { "" } else { "s" },
        tally.passed,
        tally.failures,
        tally.errors,
        tally.skipped
    );
    let reports = [
        (args.junit.as_deref(), smoke::junit(&findings, &suite)),
        (args.json.as_deref(), smoke::json_report(&findings, &suite)),
    ];
    for (path, text) in reports {
        let Some(path) = path else { continue };
        if let Err(err) = std::fs::write(path, text) {
            eprintln!("handover: cannot write {}: {err}", path.display());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    }
    if tally.all_passed() && eval_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_NO_GO)
    }
}

/// Progress is per check, and this run has one: the step lines say more.
fn quiet() -> ProgressSink {
    Arc::new(|_| {})
}

/// A stored project's sequence, run and stored like any CLI run.
fn stored(project: &str, state: &AppState) -> Result<(String, Vec<Finding>), CommandError> {
    // No database is a storage error: exit 3, not bad input.
    let workbench = state.workbench()?;
    tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        let mut only = vec![CHECK.to_string()];
        if found.spec.eval.adapter.is_some() {
            only.push(EVAL.to_string());
        }
        let run = workbench
            .run_checks(found.id, &only, RunSource::Cli, quiet())
            .await?;
        eprintln!("run {} stored", run.summary.id);
        Ok::<_, WorkError>((found.spec.name, run.findings))
    })
    .map_err(CommandError::from)
}

/// A project file's sequence, run through the same runner, not stored.
fn from_file(path: &Path) -> Result<(String, Vec<Finding>), CommandError> {
    let spec = handover_core::project::file::load(path).map_err(CommandError::from)?;
    let target = CheckTarget::from_project(&spec)
        .map_err(|err| CommandError::from(WorkError::Target(err)))?;
    let only: &[&str] = if target.eval.is_some() {
        &[CHECK, EVAL]
    } else {
        &[CHECK]
    };
    let findings = tauri::async_runtime::block_on(audit(target, only, quiet()));
    Ok((spec.name, findings))
}

/// The evaluation set's findings after the steps (a project with a chat
/// adapter runs it after each deploy); whether none is high, a blocker or
/// inconclusive.
fn print_eval(findings: &[Finding]) -> bool {
    for f in findings {
        let says = match f.outcome.reason() {
            Some(reason) => format!("{}: {reason}", f.title),
            None => f.title.clone(),
        };
        println!("eval     {:<8} {says}", f.severity.as_str());
    }
    findings
        .iter()
        .all(|f| !f.outcome.is_inconclusive() && f.severity < handover_model::Severity::High)
}

/// One line per step, in step order: state, number, name, target, title
/// (or why it could not run).
fn print_steps(findings: &[Finding]) {
    for f in smoke::report::ordered(findings) {
        let (number, name) = smoke::step_of(f).unwrap_or((0, f.check.clone()));
        let state = StepState::of(f);
        let says = match (state, f.outcome.reason()) {
            (StepState::Error | StepState::Skipped, Some(reason)) => {
                format!("{}: {reason}", f.title)
            }
            _ => f.title.clone(),
        };
        println!(
            "{:<8} {number:>2} {name:<20} {:<40} {says}",
            state.as_str(),
            f.target
        );
    }
}
