//! `handover eval`: the chatbot's evaluation set from the command line.
//! `--project NAME|ID` (a stored project; the run is stored and compared
//! with the last) or `--config FILE` (a project file, not stored). One line
//! per case goes to stdout; progress to stderr; `--junit FILE` and `--json
//! FILE` (`-` for stdout) write the reports CI reads. With `--project`,
//! `--import FILE`, `--export FILE` and `--canary` manage the set instead
//! of running it.
//!
//! Exit codes: 0 every case passed, 1 a case failed, was flaky, leaked or
//! could not run, 2 bad input (a run against production without `--yes`
//! too), 3 internal error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{ArgGroup, Args};
use handover_core::eval::cases::Format;
use handover_core::eval::junit;
use handover_core::workbench::run_eval_file;
use handover_core::WorkError;
use handover_model::{CaseState, CommandError, EvalProgress, EvalReport};

use crate::check_cli::{exit_for, report, EXIT_BAD_INPUT, EXIT_NO_GO};
use crate::state::AppState;

/// `handover eval`: what to run (or manage) and where the reports go.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("subject").required(true).args(["project", "config"])))]
pub struct EvalArgs {
    /// A stored project's name or id; the run is stored.
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// A project file (TOML or JSON) with an [eval] setup, not imported.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Runs per case (1–10; e.g. 3 before launch), instead of the setup's.
    #[arg(long, value_name = "K")]
    pub runs: Option<u32>,
    /// Only this case (repeatable).
    #[arg(long = "case", value_name = "ID")]
    pub cases: Vec<String>,
    /// Confirm a run against the production chat endpoint.
    #[arg(long)]
    pub yes: bool,
    /// Write a JUnit XML report (one test case per eval case); `-` for stdout.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write the JSON report; `-` for stdout.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Replace the project's cases with a TOML or JSON file's.
    #[arg(long, value_name = "FILE", requires = "project", conflicts_with_all = ["export", "canary"])]
    pub import: Option<PathBuf>,
    /// Write the cases a run asks (the starter set if none) to a .toml or .json file.
    #[arg(
        long,
        value_name = "FILE",
        requires = "project",
        conflicts_with = "canary"
    )]
    pub export: Option<PathBuf>,
    /// Print the project's canary (made and kept in the keychain on first
    /// use) to plant in the bot's system prompt.
    #[arg(long, requires = "project")]
    pub canary: bool,
    /// With --canary: make a new one.
    #[arg(long, requires = "canary")]
    pub renew: bool,
}

fn fail(err: &CommandError) -> ExitCode {
    report(err);
    ExitCode::from(exit_for(err))
}

fn bad(message: String) -> ExitCode {
    eprintln!("handover: {message}");
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Runs (or manages) the set.
pub fn run(args: EvalArgs, state: &AppState) -> ExitCode {
    if let Some(project) = &args.project {
        if args.import.is_some() || args.export.is_some() || args.canary {
            return manage(&args, project, state);
        }
    }
    let progress: handover_core::workbench::EvalSink = Arc::new(|p: EvalProgress| {
        eprintln!(
            "[{}/{}] {} {}",
            p.done,
            p.total,
            p.case_id,
            p.verdict.as_str()
        );
    });
    let outcome = match (&args.project, &args.config) {
        (Some(project), _) => stored(project, &args, state, progress),
        (None, Some(path)) => from_file(path, &args, progress),
        (None, None) => unreachable!("clap requires --project or --config"),
    };
    let (suite, eval) = match outcome {
        Ok(done) => done,
        Err(err) => return fail(&err),
    };
    let to_stdout = |p: &Option<PathBuf>| p.as_deref() == Some(Path::new("-"));
    if !to_stdout(&args.junit) && !to_stdout(&args.json) {
        print_cases(&eval);
    }
    eprintln!(
        "{} case(s), {} run(s) each: {} passed, {} flaky, {} failed, {} leaked, {} could not run; pass rate {:.0} %, pass^k {:.0} %",
        eval.cases.len(),
        eval.runs,
        eval.passed,
        eval.flaky,
        eval.failed,
        eval.leaked,
        eval.errors,
        eval.pass_rate * 100.0,
        eval.pass_k * 100.0
    );
    for note in &eval.notes {
        eprintln!("note: {note}");
    }
    let reports = [
        (args.junit.as_deref(), junit::junit(&eval, &suite)),
        (args.json.as_deref(), junit::json(&eval)),
    ];
    for (path, text) in reports {
        let Some(path) = path else { continue };
        if path == Path::new("-") {
            println!("{text}");
        } else if let Err(err) = std::fs::write(path, text) {
            return bad(format!("cannot write {}: {err}", path.display()));
        }
    }
    if eval.cases.iter().all(|c| c.state == CaseState::Passed) && !eval.cases.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_NO_GO)
    }
}

fn stored(
    project: &str,
    args: &EvalArgs,
    state: &AppState,
    progress: handover_core::workbench::EvalSink,
) -> Result<(String, EvalReport), CommandError> {
    let workbench = state.workbench()?;
    tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        let eval = workbench
            .run_eval(
                found.id,
                args.runs,
                &args.cases,
                args.yes,
                handover_model::RunSource::Cli,
                progress,
            )
            .await?;
        Ok::<_, WorkError>((found.spec.name, eval))
    })
    .map_err(CommandError::from)
}

fn from_file(
    path: &Path,
    args: &EvalArgs,
    progress: handover_core::workbench::EvalSink,
) -> Result<(String, EvalReport), CommandError> {
    let spec = handover_core::project::file::load(path).map_err(CommandError::from)?;
    let eval = tauri::async_runtime::block_on(run_eval_file(
        &spec,
        args.runs,
        &args.cases,
        args.yes,
        progress,
    ))
    .map_err(CommandError::from)?;
    Ok((spec.name, eval))
}

/// One line per case: state, id, category, runs passed, the first reason.
fn print_cases(eval: &EvalReport) {
    for case in &eval.cases {
        let why = case
            .attempts
            .iter()
            .filter(|a| a.verdict != handover_model::AttemptVerdict::Passed)
            .flat_map(|a| a.reasons.first())
            .map(|r| format!("{}: {}", r.rule, r.detail))
            .next()
            .unwrap_or_default();
        println!(
            "{:<7} {:<32} {:<24} {}/{} {why}",
            case.state.as_str(),
            case.id,
            case.category.as_str(),
            case.passed,
            case.attempts.len()
        );
    }
}

/// `--import`, `--export` and `--canary`.
fn manage(args: &EvalArgs, project: &str, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(w) => w,
        Err(err) => return fail(&err),
    };
    let result = tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        if let Some(path) = &args.import {
            let format = Format::of_path(path).unwrap_or(Format::Toml);
            let text = std::fs::read_to_string(path).map_err(|e| {
                WorkError::Invalid(vec![handover_model::FieldError {
                    field: "import".into(),
                    message: format!("{}: {e}", path.display()),
                }])
            })?;
            let name = if format == Format::Json {
                "json"
            } else {
                "toml"
            };
            let view = workbench.eval_import(found.id, &text, name).await?;
            eprintln!(
                "{} case(s) imported into {}",
                view.cases.len(),
                found.spec.name
            );
        } else if let Some(path) = &args.export {
            let format = Format::of_path(path).unwrap_or(Format::Toml);
            let text = workbench.eval_export(found.id, format).await?;
            std::fs::write(path, text).map_err(|e| {
                WorkError::Invalid(vec![handover_model::FieldError {
                    field: "export".into(),
                    message: format!("{}: {e}", path.display()),
                }])
            })?;
            eprintln!("cases written to {}", path.display());
        } else {
            let canary = workbench.eval_canary(found.id, args.renew).await?;
            eprintln!("Plant this line in the bot's system prompt (kept in the keychain; a reply that holds it in any shape is a blocker):");
            println!("{}", canary.expose());
        }
        Ok::<_, WorkError>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&CommandError::from(err)),
    }
}
