//! `handover report --project NAME --out FILE [--format pdf|md|json]
//! [--paper a4|letter] [--date YYYY-MM-DD]`: the handover report, headless.
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
pub struct ReportArgs {
    /// The stored project's name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub project: String,
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
    let workbench = state.workbench()?;
    let done = tauri::async_runtime::block_on(async {
        let project = workbench.find_project(&args.project).await?;
        let request = ReportExportRequest {
            project_id: project.id,
            path: out,
            format,
            paper: args.paper,
        };
        workbench.export_report(request, args.date.as_deref()).await
    })?;
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
