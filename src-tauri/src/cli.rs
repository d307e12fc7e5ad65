//! Headless subcommands: the same core, no window.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::state::AppState;

/// Handover: get a web product ready for launch and hand it over.
#[derive(Debug, Parser)]
#[command(name = "handover", version, about, long_about = None)]
pub struct Args {
    /// Keep data in this directory instead of the platform default
    /// (also settable with HANDOVER_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Use this database file instead of handover.db in the data directory
    /// (also settable with HANDOVER_DB).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Print only the verdict line (and requested JSON): no progress, no
    /// findings, no notices.
    #[arg(long, short, global = true)]
    pub quiet: bool,

    /// What to do; without a subcommand the desktop window opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show version, data directory and keychain status.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run the live checks headless and store the run: a domain (quick
    /// audit), a stored project (--project) or a project file (--config).
    /// Exit code 0 go, 1 no-go, 2 bad input, 3 internal error.
    Check {
        /// The apex domain, e.g. example.com (a quick audit).
        #[arg(required_unless_present_any = ["project", "config"])]
        domain: Option<String>,
        /// A stored project's name or id instead of a domain; its automated
        /// checklist items are decided like the window's run.
        #[arg(long, value_name = "NAME|ID", conflicts_with_all = ["domain", "config"])]
        project: Option<String>,
        /// With --project: run only these checks (and the others deciding the
        /// same checklist items), e.g. to retry what could not be checked.
        #[arg(long = "only", value_name = "CHECK", requires = "project")]
        only: Vec<String>,
        /// A project file (TOML or JSON) to check without importing it.
        #[arg(long, value_name = "FILE", conflicts_with = "domain")]
        config: Option<PathBuf>,
        /// Subdomains to check as well, comma-separated labels (app,api,docs,status).
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "LABELS",
            requires = "domain"
        )]
        subdomains: Vec<String>,
        /// Ask this DNS server (ip[:port]) instead of the system resolver.
        #[arg(long, value_name = "IP:PORT", requires = "domain")]
        dns_server: Option<String>,
        /// Trust this extra CA certificate (PEM) beside the system roots.
        #[arg(long, value_name = "FILE", requires = "domain")]
        ca: Option<PathBuf>,
        /// HTTPS port to check (443 by default).
        #[arg(long, default_value_t = 443)]
        https_port: u16,
        /// HTTP port to check (80 by default).
        #[arg(long, default_value_t = 80)]
        http_port: u16,
        /// An old address that must redirect to a new one, as OLD=NEW
        /// (paths on the apex or full URLs); repeat for more.
        #[arg(long = "legacy", value_name = "OLD=NEW", requires = "domain")]
        legacy: Vec<String>,
        /// Also run the load probes: the latency probe sends 100 requests
        /// from 5 concurrent users to each chat, login and dashboard endpoint.
        #[arg(long)]
        load: bool,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Read the DKIM selectors a real message names from its headers (a
    /// file, or stdin), to add to the project's email setup.
    DkimSelectors {
        /// A file holding the message's headers; stdin when absent.
        file: Option<PathBuf>,
    },
    /// Write a project (audit, history, accounts, contacts; never secrets) as JSON.
    Export {
        /// The project's id or name.
        project: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List stored runs, newest first (a project's, or those of no project).
    Runs(crate::runs_cli::RunsArgs),
    /// Show one stored run with its findings.
    Run(crate::runs_cli::RunArgs),
    /// Run the smoke sequence alone (each step once, in order) against a
    /// stored project (--project) or a project file (--config), for CI.
    /// Exit code 0 every step passed, 1 a step failed or could not run,
    /// 2 bad input, 3 internal error.
    Smoke(crate::smoke_cli::SmokeArgs),
    /// Scan a repository folder (and its recent history), a build output,
    /// env files and log exports for secrets, never showing a value.
    /// Exit code 0 clean, 1 something to fix, 2 bad input.
    Secrets(crate::secrets_cli::SecretsArgs),
    /// Run the chatbot's evaluation set (hallucinated policy, prompt
    /// injection, system-prompt leaks) against a stored project's chat
    /// endpoint (--project) or a project file's (--config); or import,
    /// export its cases and make its canary. Exit code 0 every case passed,
    /// 1 a case failed, was flaky, leaked or could not run, 2 bad input,
    /// 3 internal error.
    Eval(crate::eval_cli::EvalArgs),
    /// Start the demo product (a fictional chatbot with realistic launch
    /// faults) on 127.0.0.1 in the foreground and print its project file,
    /// for `check --config`, `smoke --config` and `eval --config`. Ctrl-C
    /// stops it. Exit code 0 stopped, 2 its folder cannot be written, 3 it
    /// could not start.
    Demo(crate::demo_cli::DemoArgs),
    /// Write the handover report of a stored project (--project), or of a
    /// project file after one run of every check (--config, nothing
    /// stored), as PDF, Markdown or JSON (atomically; never a secret). Exit
    /// code 0 written, 2 bad input, 3 internal error.
    Report(crate::report_cli::ReportArgs),
    /// Projects as files: import a TOML or JSON project description, or
    /// export one. Exit code 0 done, 2 bad input, 3 internal error.
    Project {
        /// What to do.
        #[command(subcommand)]
        action: crate::project_cli::ProjectAction,
    },
    /// Recheck stored projects now (every check, stored like any run) and
    /// print what changed since each one's previous run, the notices it
    /// raised and one verdict line. Exit code 0 all go, 1 a project is
    /// no-go, 2 bad input, 3 internal error.
    Recheck(crate::recheck_cli::RecheckArgs),
    /// A project's runs over time (oldest first, counts by severity) and
    /// what changed in the latest one. Exit code 0 shown, 2 bad input,
    /// 3 internal error.
    History(crate::history_cli::HistoryArgs),
    /// What changed between two runs of a project (by default the latest
    /// two). Exit code 0 shown, 2 bad input, 3 internal error.
    Diff(crate::history_cli::DiffArgs),
    /// Weekly rechecks: set or show a project's weekday and time, and
    /// install the OS timer (hourly `handover recheck --due`) that runs
    /// them on a machine without the window. Exit code 0 done, 2 bad
    /// input, 3 internal error.
    Schedule {
        /// What to do.
        #[command(subcommand)]
        action: crate::schedule_cli::ScheduleAction,
    },
}

/// Runs one subcommand and returns the process exit code; a panic is an
/// internal error (exit code 3), its message already on stderr.
pub fn run(command: Command, state: &AppState) -> ExitCode {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(command, state)))
        .unwrap_or(ExitCode::from(crate::check_cli::EXIT_INTERNAL))
}

fn dispatch(command: Command, state: &AppState) -> ExitCode {
    match command {
        Command::Check {
            domain,
            project,
            only,
            config,
            subdomains,
            dns_server,
            ca,
            https_port,
            http_port,
            legacy,
            load,
            json,
        } => {
            use crate::check_cli::{Options, Subject};
            let subject = match (domain, project, config) {
                (_, Some(project), _) => Subject::Project(project, only),
                (_, _, Some(config)) => Subject::Config(config),
                (Some(domain), None, None) => {
                    let legacy = match crate::check_cli::legacy_pairs(&legacy) {
                        Ok(pairs) => pairs,
                        Err(message) => {
                            eprintln!("handover: {message}");
                            return ExitCode::from(crate::check_cli::EXIT_BAD_INPUT);
                        }
                    };
                    Subject::Quick(handover_core::checks::QuickAudit {
                        domain,
                        subdomains,
                        dns_server,
                        ca_file: ca,
                        https_port,
                        http_port,
                        legacy,
                    })
                }
                (None, None, None) => unreachable!("clap requires one of them"),
            };
            crate::check_cli::run(
                Options {
                    subject,
                    json,
                    load,
                },
                state,
            )
        }
        Command::DkimSelectors { file } => dkim_selectors(file.as_deref()),
        Command::Export { project, out } => match export(state, &project, out.as_deref()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                crate::check_cli::report(&err);
                ExitCode::from(crate::check_cli::exit_for(&err))
            }
        },
        Command::Recheck(args) => crate::recheck_cli::run(args, state),
        Command::History(args) => crate::history_cli::history(args, state),
        Command::Diff(args) => crate::history_cli::diff(args, state),
        Command::Schedule { action } => crate::schedule_cli::run(action, state),
        Command::Project { action } => crate::project_cli::run(action, state),
        Command::Report(args) => crate::report_cli::run(args, state),
        Command::Runs(args) => crate::runs_cli::list(args, state),
        Command::Smoke(args) => crate::smoke_cli::run(args, state),
        Command::Secrets(args) => crate::secrets_cli::run(args, state),
        Command::Eval(args) => crate::eval_cli::run(args, state),
        Command::Demo(args) => crate::demo_cli::run(args, state),
        Command::Run(args) => crate::runs_cli::show(args, state),
        Command::Info { json } => {
            let info = handover_core::app_info(
                crate::VERSION,
                &state.data_dir,
                &state.db_path,
                state.database_problem(),
                &state.vault,
            );
            if json {
                match serde_json::to_string_pretty(&info) {
                    Ok(text) => println!("{text}"),
                    Err(err) => {
                        eprintln!("handover: cannot encode the answer: {err}");
                        return ExitCode::from(crate::check_cli::EXIT_INTERNAL);
                    }
                }
            } else {
                println!("{} {}", info.name, info.version);
                println!("data directory  {}", info.data_dir);
                match &info.database_problem {
                    None => println!("database        {}", info.database),
                    Some(problem) => println!("database        {problem}"),
                }
                println!("platform        {}", info.platform);
                println!("keychain        {}", info.keychain.summary());
            }
            ExitCode::SUCCESS
        }
    }
}

fn export(
    state: &AppState,
    project: &str,
    out: Option<&std::path::Path>,
) -> Result<(), handover_model::CommandError> {
    use handover_model::{CommandError, ErrorCode};
    let workbench = state.workbench()?;
    let document = tauri::async_runtime::block_on(async {
        let found = workbench.find_project(project).await?;
        workbench.export(found.id).await
    })
    .map_err(CommandError::from)?;
    let text = serde_json::to_string_pretty(&document).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("cannot encode the export: {e}"),
        )
    })?;
    match out {
        Some(path) => {
            handover_core::paths::write_private(path, (text + "\n").as_bytes()).map_err(|e| {
                CommandError::new(
                    ErrorCode::InvalidInput,
                    format!("cannot write {}: {e}", path.display()),
                )
            })
        }
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

/// `handover dkim-selectors [FILE]`: each `DKIM-Signature`'s `d=` and `s=`,
/// one per line; exit 1 when there is none, 2 on unreadable input.
fn dkim_selectors(file: Option<&std::path::Path>) -> ExitCode {
    use std::io::Read;
    let mut text = String::new();
    let read = match file {
        Some(path) => std::fs::File::open(path).and_then(|f| {
            f.take(handover_core::workbench::MAX_PASTED_HEADERS as u64 + 1)
                .read_to_string(&mut text)
        }),
        None => std::io::stdin()
            .take(handover_core::workbench::MAX_PASTED_HEADERS as u64 + 1)
            .read_to_string(&mut text),
    };
    if let Err(err) = read {
        eprintln!("handover: the headers could not be read: {err}");
        return ExitCode::from(2);
    }
    match handover_core::workbench::read_dkim_selectors(&text) {
        Ok(found) if found.signatures.is_empty() => {
            eprintln!("handover: no DKIM-Signature header found");
            ExitCode::from(1)
        }
        Ok(found) => {
            for s in found.signatures {
                println!("{}\t{}", s.domain, s.selector);
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            let err = handover_model::CommandError::from(err);
            crate::check_cli::report(&err);
            ExitCode::from(crate::check_cli::exit_for(&err))
        }
    }
}
