//! The set's cases as files and forms: the starter set for internal-ops
//! bots (ours, in `starter.toml`), import and export as TOML or JSON (a
//! `case` array), and the checks a setup passes before it is saved — ids,
//! regexes, JSON pointers, the body template, limits — each problem named
//! by its field (`eval.cases.3.expect.regex.0`).

use std::collections::HashSet;
use std::sync::LazyLock;

use handover_model::{
    ChatAdapter, EvalCase, EvalSetup, FieldError, ProjectSpec, MAX_CASES, MAX_CONCURRENCY, MAX_RUNS,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::adapter::asks_question;
use super::judge::compile;

/// Longest question or expectation text.
pub const MAX_TEXT: usize = 4_000;
/// Longest case id.
pub const MAX_ID: usize = 64;
/// Longest answer time limit accepted (ms).
pub const MAX_TIMEOUT_MS: u64 = 300_000;
/// Largest file imported.
pub const MAX_FILE: usize = 1024 * 1024;

/// A file of cases: `[[case]]` tables in TOML, `{"case": [...]}` in JSON.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    case: Vec<EvalCase>,
}

static STARTER: LazyLock<Vec<EvalCase>> = LazyLock::new(|| {
    let file: CaseFile =
        toml::from_str(include_str!("starter.toml")).expect("the starter set parses");
    file.case
});

/// The starter set for internal-ops bots: ~30 cases across every
/// category, with generic expectations meant to be edited.
pub fn starter() -> Vec<EvalCase> {
    STARTER.clone()
}

/// The cases a run of `setup` asks: its own, else the starter set.
pub fn cases_of(setup: &EvalSetup) -> Vec<EvalCase> {
    if setup.cases.is_empty() {
        starter()
    } else {
        setup.cases.clone()
    }
}

/// A case file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, `[[case]]` tables.
    Toml,
    /// JSON, `{"case": [...]}` (a bare array is accepted on import).
    Json,
}

impl Format {
    /// `toml` or `json` (any case), else `None`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// By a file's extension.
    pub fn of_path(path: &std::path::Path) -> Option<Self> {
        Self::parse(path.extension()?.to_str()?)
    }
}

/// Why a case file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseFileError {
    /// Larger than [`MAX_FILE`].
    #[error("the file is larger than {MAX_FILE} bytes")]
    TooLarge,
    /// Not the format, or not the shape.
    #[error("the file cannot be read as {format}: {reason}")]
    Syntax {
        /// `TOML` or `JSON`.
        format: &'static str,
        /// Where and why.
        reason: String,
    },
    /// It parsed, but its cases do not pass the checks.
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
}

/// The cases in `text`, checked.
pub fn import(text: &str, format: Format) -> Result<Vec<EvalCase>, CaseFileError> {
    if text.len() > MAX_FILE {
        return Err(CaseFileError::TooLarge);
    }
    let cases = match format {
        Format::Toml => toml::from_str::<CaseFile>(text)
            .map(|f| f.case)
            .map_err(|e| CaseFileError::Syntax {
                format: "TOML",
                reason: e.to_string().trim().to_owned(),
            })?,
        Format::Json => {
            let parsed = serde_json::from_str::<CaseFile>(text)
                .map(|f| f.case)
                .or_else(|first| serde_json::from_str::<Vec<EvalCase>>(text).map_err(|_| first));
            parsed.map_err(|e| CaseFileError::Syntax {
                format: "JSON",
                reason: e.to_string(),
            })?
        }
    };
    let mut errors = Vec::new();
    check_cases(&mut errors, "case", &cases);
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(CaseFileError::Invalid(errors))
    }
}

/// `cases` as a file.
pub fn export(cases: &[EvalCase], format: Format) -> String {
    let file = CaseFile {
        case: cases.to_vec(),
    };
    match format {
        Format::Toml => toml::to_string_pretty(&file).unwrap_or_default(),
        Format::Json => serde_json::to_string_pretty(&file).unwrap_or_default(),
    }
}

fn add(errors: &mut Vec<FieldError>, field: String, message: impl Into<String>) {
    errors.push(FieldError {
        field,
        message: message.into(),
    });
}

fn check_cases(errors: &mut Vec<FieldError>, at: &str, cases: &[EvalCase]) {
    if cases.len() > MAX_CASES {
        add(errors, at.to_owned(), format!("At most {MAX_CASES} cases."));
    }
    let mut seen = HashSet::new();
    for (i, case) in cases.iter().enumerate() {
        let here = format!("{at}.{i}");
        let id = case.id.trim();
        if id.is_empty() {
            add(errors, format!("{here}.id"), "Give the case an id.");
        } else if id.len() > MAX_ID
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            add(
                errors,
                format!("{here}.id"),
                format!("Use up to {MAX_ID} letters, digits, '-', '_' or '.'."),
            );
        } else if !seen.insert(id.to_ascii_lowercase()) {
            add(
                errors,
                format!("{here}.id"),
                format!("Another case is also called {id}."),
            );
        }
        if case.question.trim().is_empty() {
            add(errors, format!("{here}.question"), "Write the question.");
        }
        for (n, turn) in case.turns().enumerate() {
            if turn.len() > MAX_TEXT {
                add(
                    errors,
                    format!("{here}.question"),
                    format!("Turn {} is longer than {MAX_TEXT} characters.", n + 1),
                );
            }
        }
        for (n, turn) in case.follow_ups.iter().enumerate() {
            if turn.trim().is_empty() {
                add(
                    errors,
                    format!("{here}.follow_ups.{n}"),
                    "Write the message or remove it.",
                );
            }
        }
        let e = &case.expect;
        for (n, pattern) in e.regex.iter().enumerate() {
            if let Err(why) = compile(pattern) {
                add(errors, format!("{here}.expect.regex.{n}"), why);
            }
        }
        if !e.cite_regex.trim().is_empty() {
            if let Err(why) = compile(&e.cite_regex) {
                add(errors, format!("{here}.expect.cite_regex"), why);
            }
        }
        if !e.cite_field.trim().is_empty() && !e.cite_field.trim().starts_with('/') {
            add(
                errors,
                format!("{here}.expect.cite_field"),
                "A JSON pointer starts with /, e.g. /sources.",
            );
        }
        if e.max_latency_ms == Some(0) {
            add(
                errors,
                format!("{here}.expect.max_latency_ms"),
                "Give a limit above 0 ms.",
            );
        }
    }
}

/// Where the adapter's requests go: its URL, or its path on the
/// environment's base URL.
pub fn url_of(adapter: &ChatAdapter, spec: &ProjectSpec) -> Result<Url, String> {
    let raw = adapter.url.trim();
    if raw.starts_with("http://") || raw.starts_with("https://") {
        return Url::parse(raw).map_err(|e| format!("{raw} is not a URL: {e}"));
    }
    if !raw.starts_with('/') {
        return Err("Give a path starting with / or a full http(s) URL.".into());
    }
    let env = spec
        .environments
        .iter()
        .find(|e| e.kind == adapter.environment)
        .ok_or_else(|| {
            format!(
                "The project has no {} environment to join {raw} to.",
                adapter.environment.as_str()
            )
        })?;
    let base = Url::parse(&env.base_url).map_err(|e| format!("{}: {e}", env.base_url))?;
    base.join(raw).map_err(|e| format!("{raw}: {e}"))
}

/// Whether a run of the adapter must be confirmed as a run against
/// production: a path on the production environment, or a full URL that is
/// a production host or no staging host (unknown is treated as production).
pub fn targets_production(adapter: &ChatAdapter, spec: &ProjectSpec) -> bool {
    use handover_model::EnvironmentKind;
    if adapter.url.trim().starts_with('/') {
        return adapter.environment == EnvironmentKind::Production;
    }
    let Ok(url) = url_of(adapter, spec) else {
        return true;
    };
    let served_by = |kind: EnvironmentKind| {
        spec.environments
            .iter()
            .filter(|e| e.kind == kind)
            .filter_map(|e| Url::parse(&e.base_url).ok())
            .any(|b| {
                b.host_str() == url.host_str()
                    && b.port_or_known_default() == url.port_or_known_default()
            })
    };
    served_by(EnvironmentKind::Production) || !served_by(EnvironmentKind::Staging)
}

/// Every problem of `setup` in `spec`, fields prefixed `eval.`.
pub fn validate(setup: &EvalSetup, spec: &ProjectSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(1..=MAX_RUNS).contains(&setup.runs) {
        add(
            &mut errors,
            "eval.runs".into(),
            format!("Between 1 and {MAX_RUNS} runs per case."),
        );
    }
    if !(1..=MAX_CONCURRENCY).contains(&setup.concurrency) {
        add(
            &mut errors,
            "eval.concurrency".into(),
            format!("Between 1 and {MAX_CONCURRENCY} at once."),
        );
    }
    let env = setup.canary_env.trim();
    if !env.is_empty() && !env.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        add(
            &mut errors,
            "eval.canary_env".into(),
            "An environment variable's name: letters, digits and _.",
        );
    }
    check_cases(&mut errors, "eval.cases", &setup.cases);
    if let Some(adapter) = &setup.adapter {
        if let Err(why) = url_of(adapter, spec) {
            add(&mut errors, "eval.adapter.url".into(), why);
        }
        match serde_json::from_str::<serde_json::Value>(&adapter.body) {
            Err(e) => add(
                &mut errors,
                "eval.adapter.body".into(),
                format!("The body must be JSON: {e}."),
            ),
            Ok(_) if !asks_question(&adapter.body) => add(
                &mut errors,
                "eval.adapter.body".into(),
                format!(
                    "Put {} where the question goes.",
                    handover_model::QUESTION_PLACEHOLDER
                ),
            ),
            Ok(_) => {}
        }
        for (field, pointer) in [
            ("answer", &adapter.answer),
            ("conversation", &adapter.conversation),
        ] {
            let p = pointer.trim();
            if !p.is_empty() && !p.starts_with('/') {
                add(
                    &mut errors,
                    format!("eval.adapter.{field}"),
                    "A JSON pointer starts with /, e.g. /answer.",
                );
            }
        }
        if adapter.timeout_ms == 0 || adapter.timeout_ms > MAX_TIMEOUT_MS {
            add(
                &mut errors,
                "eval.adapter.timeout_ms".into(),
                format!("Between 1 and {MAX_TIMEOUT_MS} ms."),
            );
        }
        for (i, header) in adapter.headers.iter().enumerate() {
            if reqwest::header::HeaderName::from_bytes(header.name.trim().as_bytes()).is_err() {
                add(
                    &mut errors,
                    format!("eval.adapter.headers.{i}.name"),
                    "Not a header name.",
                );
            }
            if reqwest::header::HeaderValue::from_str(&header.value).is_err() {
                add(
                    &mut errors,
                    format!("eval.adapter.headers.{i}.value"),
                    "Not a header value.",
                );
            }
        }
    }
    errors
}
