//! Projects as files: a [`ProjectSpec`] written as TOML or JSON, with
//! exactly the serde field names of the spec (the `spec` object of the JSON
//! export), read back through the same validation as the form.
//!
//! Reading is strict and complete: a key Handover does not know is refused
//! with its dotted path (`subdomains.1.lable`), a value of the wrong type is
//! reported on its field, and every validation problem comes back at once,
//! each against the field it belongs to. Missing fields take their defaults.
//! Local paths (`ca_file`, `repo_path`, `build_output`,
//! `environments.N.env_file`) may be relative to the file's directory.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use handover_model::{CommandError, ErrorCode, FieldError, ProjectSpec};
use serde_json::Value;

use super::sentence;

mod decode;

use decode::{Decoder, UNKNOWN};

/// Largest project file read (1 MiB).
pub const MAX_FILE: u64 = 1024 * 1024;

/// The top-level fields of a project file, in the order they are written.
const FIELDS: [&str; 20] = [
    "name",
    "description",
    "apex",
    "subdomains",
    "environments",
    "endpoints",
    "cors_origins",
    "legacy_urls",
    "email",
    "latency_targets",
    "smoke_steps",
    "tenant_probe",
    "chat_failure",
    "repo_path",
    "build_output",
    "dns_server",
    "ca_file",
    "notes",
    "eval",
    "ports",
];

/// File formats for a project description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// TOML (`.toml`), the default.
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// Both formats, TOML first.
    pub const ALL: [Format; 2] = [Format::Toml, Format::Json];

    /// The name and file extension, `toml` or `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    /// The format a file name's extension (`.toml`, `.json`, any case) names.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        ext.parse().ok()
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| format!("{name:?} is not a project file format; use toml or json"))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Toml => "TOML",
            Format::Json => "JSON",
        })
    }
}

/// Why a project file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProjectFileError {
    /// The file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE`].
    #[error("the file is larger than 1 MiB; that is not a project file")]
    TooLarge,
    /// The file name ends in neither `.toml` nor `.json`.
    #[error("{} is neither a .toml nor a .json file", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The text is not valid TOML or JSON (or not a table of fields).
    #[error("{}", syntax_line(*format, message, *line, *column))]
    Syntax {
        /// The format it was read as.
        format: Format,
        /// The parser's message.
        message: String,
        /// 1-based line, when the parser says.
        line: Option<usize>,
        /// 1-based column, when the parser says.
        column: Option<usize>,
    },
    /// The file is otherwise fine but has keys Handover does not know (typos);
    /// each entry's `field` is the key's dotted path.
    #[error("{} unknown field(s): {}", .0.len(), fields_of(.0))]
    UnknownFields(Vec<FieldError>),
    /// Every problem found: values of the wrong type, unknown keys and
    /// validation problems, each against its dotted field path.
    #[error("{} problem(s): {}", .0.len(), fields_of(.0))]
    Invalid(Vec<FieldError>),
    /// The spec could not be written in the format (should not happen).
    #[error("cannot write the project as {format}: {message}")]
    Render {
        /// The format asked for.
        format: Format,
        /// What the encoder said.
        message: String,
    },
}

impl ProjectFileError {
    /// The per-field problems (empty for errors about the file as a whole).
    pub fn problems(&self) -> &[FieldError] {
        match self {
            ProjectFileError::UnknownFields(problems) | ProjectFileError::Invalid(problems) => {
                problems
            }
            _ => &[],
        }
    }
}

impl From<ProjectFileError> for CommandError {
    fn from(err: ProjectFileError) -> Self {
        let problems = err.problems().to_vec();
        if problems.is_empty() {
            let code = match &err {
                ProjectFileError::Render { .. } => ErrorCode::Internal,
                _ => ErrorCode::InvalidInput,
            };
            return CommandError::new(code, sentence(&err.to_string()));
        }
        let mut message = match problems.len() {
            1 => "The project file has a problem:".to_string(),
            n => format!("The project file has {n} problems:"),
        };
        for problem in &problems {
            message.push_str(&format!("\n{}: {}", problem.field, problem.message));
        }
        let mut error = CommandError::invalid_fields(problems);
        error.message = message;
        error
    }
}

fn syntax_line(
    format: Format,
    message: &str,
    line: Option<usize>,
    column: Option<usize>,
) -> String {
    match (line, column) {
        (Some(line), Some(column)) => {
            format!("{format} syntax error at line {line}, column {column}: {message}")
        }
        (Some(line), None) => format!("{format} syntax error at line {line}: {message}"),
        _ => format!("{format} syntax error: {message}"),
    }
}

fn fields_of(problems: &[FieldError]) -> String {
    problems
        .iter()
        .map(|p| p.field.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a project file, resolves a relative `ca_file` (and the other local
/// paths) against the file's directory, and validates exactly like the form
/// ([`crate::project::validate`]). The format comes from the extension.
pub fn load(path: &Path) -> Result<ProjectSpec, ProjectFileError> {
    let format = Format::from_path(path).ok_or_else(|| ProjectFileError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    let unreadable = |source| ProjectFileError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    if file.metadata().map_err(unreadable)?.len() > MAX_FILE {
        return Err(ProjectFileError::TooLarge);
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(ProjectFileError::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| ProjectFileError::Syntax {
        format,
        message: "the file is not UTF-8 text".into(),
        line: None,
        column: None,
    })?;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = absolute.parent().unwrap_or(Path::new("/"));
    parse(&text, format, dir)
}

/// Parses text already read; `dir` is the directory relative paths resolve
/// against. Validates like the form and reports every problem at once.
pub fn parse(text: &str, format: Format, dir: &Path) -> Result<ProjectSpec, ProjectFileError> {
    if text.len() as u64 > MAX_FILE {
        return Err(ProjectFileError::TooLarge);
    }
    let root = match syntax(text, format)? {
        Value::Object(root) => root,
        _ => {
            return Err(ProjectFileError::Syntax {
                format,
                message: "the file must hold a table of project fields (name, apex, …)".into(),
                line: None,
                column: None,
            })
        }
    };
    let mut decoded = Decoder::default().decode(root);
    resolve_paths(&mut decoded.spec, dir);
    let mut problems = std::mem::take(&mut decoded.problems);
    let only_unknown = problems.iter().all(|p| p.message.starts_with(UNKNOWN));
    let spec = match super::validate(&decoded.spec) {
        Ok(spec) => Some(spec),
        Err(errors) => {
            problems.extend(errors.into_iter().filter_map(|e| decoded.place(e)));
            None
        }
    };
    problems.sort_by_key(|p| order(&p.field));
    match spec {
        Some(spec) if problems.is_empty() => Ok(spec),
        Some(_) if only_unknown => Err(ProjectFileError::UnknownFields(problems)),
        _ => Err(ProjectFileError::Invalid(problems)),
    }
}

/// Writes a spec as TOML or JSON text, fields in [`ProjectSpec`] order, so
/// that [`parse`] gives the same spec back.
pub fn render(spec: &ProjectSpec, format: Format) -> Result<String, ProjectFileError> {
    let failed = |message: String| ProjectFileError::Render { format, message };
    match format {
        Format::Toml => {
            let body = toml::to_string_pretty(spec).map_err(|e| failed(e.to_string()))?;
            Ok(format!(
                "# A Handover project. Import it with `handover project import FILE`.\n\n{body}"
            ))
        }
        Format::Json => serde_json::to_string_pretty(spec)
            .map(|text| text + "\n")
            .map_err(|e| failed(e.to_string())),
    }
}

/// The text as a tree of values, or where its syntax breaks.
fn syntax(text: &str, format: Format) -> Result<Value, ProjectFileError> {
    match format {
        Format::Toml => toml::from_str::<Value>(text).map_err(|err| {
            let (line, column) = match err.span() {
                Some(span) => {
                    let (line, column) = line_column(text, span.start);
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            ProjectFileError::Syntax {
                format,
                message: err.message().trim().replace('\n', "; "),
                line,
                column,
            }
        }),
        Format::Json => serde_json::from_str::<Value>(text).map_err(|err| {
            let full = err.to_string();
            let message = full
                .rfind(" at line ")
                .map_or(full.as_str(), |at| &full[..at])
                .to_string();
            ProjectFileError::Syntax {
                format,
                message,
                line: (err.line() > 0).then_some(err.line()),
                column: (err.column() > 0).then_some(err.column()),
            }
        }),
    }
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Makes relative local paths absolute against the file's directory.
fn resolve_paths(spec: &mut ProjectSpec, dir: &Path) {
    let resolve = |typed: &mut String| {
        let trimmed = typed.trim();
        if !trimmed.is_empty() && Path::new(trimmed).is_relative() {
            let joined = dir.join(trimmed);
            let joined = std::path::absolute(&joined).unwrap_or(joined);
            *typed = joined.display().to_string();
        }
    };
    resolve(&mut spec.ca_file);
    resolve(&mut spec.repo_path);
    resolve(&mut spec.build_output);
    for env in &mut spec.environments {
        resolve(&mut env.env_file);
    }
}

/// Sort key for problems: the field's place in the file, then the row.
fn order(field: &str) -> (usize, usize) {
    let mut parts = field.split('.');
    let top = parts.next().unwrap_or("");
    let row = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let place = FIELDS
        .iter()
        .position(|f| *f == top)
        .unwrap_or(FIELDS.len());
    (place, row)
}

#[cfg(test)]
mod tests;
