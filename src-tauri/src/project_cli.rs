//! `handover project import FILE [--replace]` and `handover project export
//! NAME|ID [--format toml|json] [--out FILE]`: projects as files, headless
//! (`list` and `show` are in `project_show`).
//!
//! Exit codes: 0 done, 2 bad input (an unreadable or invalid file, a
//! duplicate name, an unknown project — every problem is printed as
//! `field.path: message`, one per line, on stderr), 3 internal error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use handover_core::project::file::{self, Format, ProjectFileError};
use handover_model::{CommandError, ErrorCode};

use crate::check_cli::{EXIT_BAD_INPUT, EXIT_INTERNAL};
use crate::state::AppState;

/// `handover project …`.
#[derive(Debug, Subcommand)]
pub enum ProjectAction {
    /// List the stored projects with their checklist progress.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one project: its description, checklist, weekly recheck and
    /// latest run.
    Show {
        /// The project's id or name.
        project: String,
        /// Print JSON (`handover-project/1`) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Import a project file (TOML or JSON, by its extension), validated
    /// like the form; a relative ca_file is relative to the file.
    Import {
        /// The project file, e.g. opsbot.toml.
        file: PathBuf,
        /// Update the project with the same name in place (keeping its
        /// checklist, history and accounts) instead of refusing it.
        #[arg(long)]
        replace: bool,
    },
    /// Write a project's description as a file that `import` reads back.
    Export {
        /// The project's id or name.
        project: String,
        /// toml or json; by default from --out's extension, else toml.
        #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
        format: Option<Format>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

fn parse_format(text: &str) -> Result<Format, String> {
    text.parse()
}

/// Why a `project` subcommand failed: what to print and the exit code.
struct Failure {
    lines: Vec<String>,
    code: u8,
}

impl Failure {
    fn bad_input(line: String) -> Self {
        Failure {
            lines: vec![line],
            code: EXIT_BAD_INPUT,
        }
    }

    /// A core error: input problems are the user's to fix, the rest are ours.
    fn command(err: CommandError) -> Self {
        let code = match err.code {
            ErrorCode::InvalidInput | ErrorCode::NotFound | ErrorCode::Conflict => EXIT_BAD_INPUT,
            _ => EXIT_INTERNAL,
        };
        let mut lines = vec![first_line(&err.message)];
        lines.extend(
            err.fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message)),
        );
        Failure { lines, code }
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_string()
}

/// Runs one `project` subcommand and returns the exit code.
pub fn run(action: ProjectAction, state: &AppState) -> ExitCode {
    let result = match action {
        ProjectAction::List { json } => return crate::project_show::list(state, json),
        ProjectAction::Show { project, json } => {
            return crate::project_show::show(state, &project, json)
        }
        ProjectAction::Import { file, replace } => import(state, &file, replace),
        ProjectAction::Export {
            project,
            format,
            out,
        } => export(state, &project, format, out.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let mut lines = failure.lines.into_iter();
            if let Some(first) = lines.next() {
                eprintln!("handover: {first}");
            }
            for line in lines {
                eprintln!("{line}");
            }
            ExitCode::from(failure.code)
        }
    }
}

fn import(state: &AppState, path: &Path, replace: bool) -> Result<(), Failure> {
    let spec = file::load(path).map_err(|err| file_failure(path, err))?;
    let workbench = state.workbench().map_err(Failure::command)?;
    let name = spec.name.clone();
    let before: Vec<i64> = block_on(workbench.projects())
        .map(|list| list.into_iter().map(|p| p.id).collect())
        .unwrap_or_default();
    let project = block_on(workbench.import_project(spec, replace)).map_err(|err| {
        let err = CommandError::from(err);
        if err.code == ErrorCode::Conflict {
            Failure::bad_input(format!(
                "a project named {name:?} already exists; pass --replace to update it in place"
            ))
        } else {
            Failure::command(err)
        }
    })?;
    let verb = if before.contains(&project.id) {
        "Updated"
    } else {
        "Imported"
    };
    println!(
        "{verb} project {} {:?} from {}.",
        project.id,
        project.spec.name,
        path.display()
    );
    Ok(())
}

/// A file that could not be read or is invalid: the file, then each problem.
fn file_failure(path: &Path, err: ProjectFileError) -> Failure {
    let problems = err.problems();
    let head = match problems.len() {
        0 => return Failure::bad_input(format!("{}: {err}", path.display())),
        1 => format!("{} has a problem:", path.display()),
        n => format!("{} has {n} problems:", path.display()),
    };
    let mut lines = vec![head];
    lines.extend(
        problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message)),
    );
    Failure {
        lines,
        code: EXIT_BAD_INPUT,
    }
}

fn export(
    state: &AppState,
    project: &str,
    format: Option<Format>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    let format = format
        .or_else(|| out.and_then(Format::from_path))
        .unwrap_or(Format::Toml);
    let workbench = state.workbench().map_err(Failure::command)?;
    let text = block_on(async {
        let found = workbench.find_project(project).await?;
        workbench.export_project_file(found.id, format).await
    })
    .map_err(|err| Failure::command(err.into()))?;
    match out {
        Some(path) => {
            handover_core::paths::write_private(path, text.as_bytes()).map_err(|err| {
                Failure::bad_input(format!("cannot write {}: {err}", path.display()))
            })?;
            eprintln!("Wrote {} ({}).", path.display(), format.as_str());
        }
        None => print!("{text}"),
    }
    Ok(())
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tauri::async_runtime::block_on(future)
}
