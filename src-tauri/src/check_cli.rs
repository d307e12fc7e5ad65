//! `handover check`: the live checks headless, through the same core
//! function the window calls, and stored like every run. Three forms:
//! `handover check DOMAIN …` (a quick audit), `--project NAME|ID` (a stored
//! project; its automated items are decided like the window's run) and
//! `--config FILE` (a project file, not imported). Progress goes to stderr,
//! findings to stdout (grouped by host, worst first, or JSON), then the
//! verdict line (on stderr beside JSON).
//!
//! Exit codes: 0 go, 1 no-go, 2 bad input, 3 internal error.

use std::path::PathBuf;
use std::process::ExitCode;

use handover_core::checks::QuickAudit;
use handover_core::workbench::{run_verdict, RunOptions, WorkError};
use handover_model::{CommandError, ErrorCode, Run, RunSource, Verdict};

use crate::state::AppState;
use crate::terminal::{self, Tally};

/// Exit code: nothing blocks launch.
pub const EXIT_GO: u8 = 0;
/// Exit code: something blocks launch (or a blocker check could not run).
pub const EXIT_NO_GO: u8 = 1;
/// Exit code: the input was refused.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code: Handover itself failed (database, a bug).
pub const EXIT_INTERNAL: u8 = 3;

/// What is checked.
#[derive(Debug)]
pub enum Subject {
    /// A domain with options, no project.
    Quick(QuickAudit),
    /// A stored project, by name or id, with the checks to retry (empty: all).
    Project(String, Vec<String>),
    /// A project file, not imported.
    Config(PathBuf),
}

/// What was asked on the command line.
#[derive(Debug)]
pub struct Options {
    /// What to check.
    pub subject: Subject,
    /// JSON output.
    pub json: bool,
    /// Run the load probes too (`--load`).
    pub load: bool,
}

/// Parses `OLD=NEW` pairs for a quick audit.
pub fn legacy_pairs(pairs: &[String]) -> Result<Vec<(String, String)>, String> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(old, new)| (old.to_string(), new.to_string()))
                .ok_or_else(|| format!("--legacy {pair:?}: write it as OLD=NEW"))
        })
        .collect()
}

/// The exit code for a refused or failed command.
pub(crate) fn exit_for(err: &CommandError) -> u8 {
    match err.code {
        ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => EXIT_BAD_INPUT,
        _ => EXIT_INTERNAL,
    }
}

/// Prints an error to stderr, one line per field problem.
pub(crate) fn report(err: &CommandError) {
    if err.fields.is_empty() {
        eprintln!("handover: {}", err.message);
        return;
    }
    for field in &err.fields {
        eprintln!("handover: {}: {}", field.field, field.message);
    }
}

/// Runs the checks, stores the run and prints the findings.
pub fn run(options: Options, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => {
            report(&err);
            return ExitCode::from(EXIT_INTERNAL);
        }
    };
    let progress = terminal::progress(!options.json, None);
    let run_options = RunOptions {
        load_probes: options.load,
    };
    let outcome: Result<Run, CommandError> = tauri::async_runtime::block_on(async {
        let run: Result<Run, WorkError> = match &options.subject {
            Subject::Quick(spec) => workbench.run_quick(spec, progress).await,
            Subject::Project(name, only) => match workbench.find_project(name).await {
                Ok(project) => {
                    workbench
                        .run_checks_with(project.id, only, RunSource::Cli, run_options, progress)
                        .await
                }
                Err(err) => Err(err),
            },
            Subject::Config(path) => {
                let spec = handover_core::project::file::load(path).map_err(CommandError::from)?;
                workbench.run_spec_with(&spec, run_options, progress).await
            }
        };
        run.map_err(CommandError::from)
    });
    let run = match outcome {
        Ok(run) => run,
        Err(err) => {
            report(&err);
            return ExitCode::from(exit_for(&err));
        }
    };
    let verdict = run_verdict(workbench.catalog(), &run.findings);
    let go = verdict.verdict == Verdict::Go;
    let elapsed = (run.summary.finished_ms - run.summary.started_ms).max(0) as u64;
    let tally = Tally::of(&run.findings, elapsed);
    if options.json {
        match serde_json::to_string_pretty(&run.findings) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("handover: cannot encode the findings: {e}");
                return ExitCode::from(EXIT_INTERNAL);
            }
        }
    } else if !terminal::quiet() {
        terminal::print_findings(&run.findings);
    }
    if !terminal::quiet() {
        let summary = match verdict.verdict {
            Verdict::Go => "go".to_string(),
            Verdict::NoGo => format!("no-go: {}", verdict.reasons.join("; ")),
        };
        eprintln!("run {} stored · {summary}", run.summary.id);
    }
    if options.json {
        // Standard output stays JSON; the verdict line goes beside it.
        eprintln!("{}", terminal::verdict_line(go, None, &tally));
    } else {
        terminal::print_verdict(go, None, &tally);
    }
    if go {
        ExitCode::from(EXIT_GO)
    } else {
        ExitCode::from(EXIT_NO_GO)
    }
}
