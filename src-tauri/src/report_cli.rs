//! `handover report --project NAME|--config FILE --out FILE [--format
//! pdf|md|json] [--paper a4|letter] [--date YYYY-MM-DD]`: the handover
//! report, headless. With `--config` the report is of a project file: every
//! check runs against it once, in a scratch store that is deleted after
//! (with any keychain entry the run made), so nothing lands in yours.
//!
//! The format follows `--out`'s extension unless given, else PDF; a PDF
//! gets its findings JSON beside it (`<stem>.findings.json`). The same data
//! and the same `--date` give byte-identical files. Exit codes: 0 written,
//! 2 bad input (a bad flag, an unknown project, an unusable path),
//! 3 internal error.

use std::path::PathBuf;
use std::process::ExitCode;

use handover_model::{CommandError, ErrorCode, Paper, ReportExportRequest, ReportFormat};

use crate::check_cli::{EXIT_BAD_INPUT, EXIT_INTERNAL};
use crate::state::AppState;

/// `handover report …`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["project", "config"])))]
pub struct ReportArgs {
    /// The stored project's name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub project: Option<String>,
    /// A project file (TOML or JSON): run every check against it now and
    /// report on that run, storing nothing.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The file to write (replaced atomically if it exists).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// pdf, md or json; by default from --out's extension, else pdf.
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub format: Option<ReportFormat>,
    /// The PDF's paper size: a4 or letter.
    #[arg(long, value_name = "PAPER", value_parser = parse_paper, default_value = "a4")]
    pub paper: Paper,
    /// The report's date (UTC), YYYY-MM-DD; today when absent.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<String>,
}

fn parse_format(text: &str) -> Result<ReportFormat, String> {
    ReportFormat::parse(text)
        .ok_or_else(|| format!("{text:?} is not a format: use pdf, md or json"))
}

fn parse_paper(text: &str) -> Result<Paper, String> {
    Paper::parse(text).ok_or_else(|| format!("{text:?} is not a paper size: use a4 or letter"))
}

fn parse_date(text: &str) -> Result<String, String> {
    handover_model::date::days_from_civil(text)
        .map(|_| text.trim().to_string())
        .ok_or_else(|| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

/// Writes the report and returns the exit code.
pub fn run(args: ReportArgs, state: &AppState) -> ExitCode {
    match export(args, state) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("handover: {}", err.message);
            for field in &err.fields {
                eprintln!("{}: {}", field.field, field.message);
            }
            let code = match err.code {
                ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => {
                    EXIT_BAD_INPUT
                }
                _ => EXIT_INTERNAL,
            };
            ExitCode::from(code)
        }
    }
}

fn export(args: ReportArgs, state: &AppState) -> Result<(), CommandError> {
    let out = args.out.display().to_string();
    let format = args
        .format
        .or_else(|| ReportFormat::of_path(&out))
        .unwrap_or_default();
    let done = match (&args.project, &args.config) {
        (Some(project), _) => {
            let workbench = state.workbench()?;
            tauri::async_runtime::block_on(async {
                let project = workbench.find_project(project).await?;
                let request = ReportExportRequest {
                    project_id: project.id,
                    path: out,
                    format,
                    paper: args.paper,
                };
                workbench.export_report(request, args.date.as_deref()).await
            })?
        }
        (None, Some(config)) => {
            let request = |project_id| ReportExportRequest {
                project_id,
                path: out.clone(),
                format,
                paper: args.paper,
            };
            of_file(state, config, request, args.date.as_deref())?
        }
        (None, None) => unreachable!("clap requires one of them"),
    };
    eprintln!(
        "Wrote {} ({}, {} bytes).",
        done.record.path,
        format.as_str(),
        done.record.bytes
    );
    if let Some(findings) = done.findings_path {
        eprintln!("Wrote its findings beside it: {findings}.");
    }
    Ok(())
}

/// The report of a project file: a scratch store holds the project for one
/// run of every check, then goes, with the keychain entries it made.
fn of_file(
    state: &AppState,
    config: &std::path::Path,
    request: impl Fn(i64) -> ReportExportRequest,
    date: Option<&str>,
) -> Result<handover_model::ReportExported, CommandError> {
    let spec = handover_core::project::file::load(config).map_err(CommandError::from)?;
    let scratch = std::env::temp_dir().join(format!("handover-report-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| {
        CommandError::new(
            ErrorCode::Internal,
            format!("cannot make a scratch folder {}: {e}", scratch.display()),
        )
    })?;
    let result = tauri::async_runtime::block_on(async {
        let workbench = handover_core::Workbench::open(
            &scratch.join("handover.db"),
            state.vault.clone(),
            handover_core::workbench::local_actor(),
        )?;
        let project = workbench
            .save(handover_model::ProjectSaveRequest { id: None, spec })
            .await?;
        let progress = crate::terminal::progress(true, Some("checks"));
        let ran = workbench
            .run_checks(project.id, &[], handover_model::RunSource::Cli, progress)
            .await;
        let written = match ran {
            Ok(_) => workbench.export_report(request(project.id), date).await,
            Err(err) => Err(err),
        };
        // The keychain entries a run may have made (fingerprint key) go with it.
        let forgotten = workbench.delete(project.id).await;
        let done = written?;
        forgotten?;
        Ok::<_, handover_core::WorkError>(done)
    });
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(result?)
}
