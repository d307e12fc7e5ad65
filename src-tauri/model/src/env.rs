//! Env parity and log exports: how staging, production and the sample env
//! file differ (by key names and keyed hashes, never by value), and what a
//! log export leaks (counts and redacted samples, never the text).

use serde::{Deserialize, Serialize};

use crate::Severity;

/// A place in an env file or a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvLocation {
    /// The file, as given (env files) or relative to the code root (code).
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

/// What is wrong with a key across the environments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvIssueKind {
    /// Defined in some environments, missing from the ones named.
    Missing,
    /// A sensitive key with the same value in production and another
    /// environment (compared by keyed hash).
    SharedSecret,
    /// A secret under a prefix the build inlines into the browser bundle.
    PublicSecret,
    /// Defined with an empty value.
    Empty,
    /// Read by the code but defined in no environment.
    Undefined,
    /// A sample file (`.env.example`) holds what looks like a real value.
    SampleValue,
}

impl EnvIssueKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvIssueKind::Missing => "missing",
            EnvIssueKind::SharedSecret => "shared_secret",
            EnvIssueKind::PublicSecret => "public_secret",
            EnvIssueKind::Empty => "empty",
            EnvIssueKind::Undefined => "undefined",
            EnvIssueKind::SampleValue => "sample_value",
        }
    }
}

/// One problem with one key. Never holds a value; `preview` is a redacted
/// prefix, only for public secrets and sample values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvIssue {
    /// What is wrong.
    pub kind: EnvIssueKind,
    /// The key's name.
    pub key: String,
    /// The environments involved (for `missing`: the ones missing it).
    pub environments: Vec<String>,
    /// Where the key is defined (or, for `undefined`, first read).
    pub location: Option<EnvLocation>,
    /// How bad.
    pub severity: Severity,
    /// One sentence for people.
    pub detail: String,
    /// The value redacted (`sk_l…`), for `public_secret` and `sample_value` only.
    pub preview: Option<String>,
}

/// An env file that could not be read or parsed (at least in part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvFileError {
    /// 1-based line where parsing failed; 0 when the file could not be read.
    pub line: u32,
    /// What went wrong, for people (never the line's text).
    pub message: String,
}

/// One environment's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvSummary {
    /// The environment: `staging`, `production`, `example` …
    pub name: String,
    /// The file.
    pub file: String,
    /// Whether it is a sample file (values are placeholders).
    pub sample: bool,
    /// Keys defined (distinct names).
    pub keys: u32,
    /// Lines that could not be parsed; the keys before and after still count.
    pub errors: Vec<EnvFileError>,
}

/// Env parity across the environments: every file's summary and the
/// issues found, most severe first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvParity {
    /// One per env file, in the order given.
    pub environments: Vec<EnvSummary>,
    /// Issues, most severe first, then by key.
    pub issues: Vec<EnvIssue>,
    /// Source files searched for keys the code reads.
    pub code_files: u64,
    /// Distinct keys the code reads.
    pub code_keys: u32,
}

/// What a log export leaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogKind {
    /// A token or key the secret rules find.
    Token,
    /// An `Authorization: Bearer …` credential.
    Bearer,
    /// An `Authorization: Basic …` credential (user and password).
    BasicAuth,
    /// An email address (personal data).
    Email,
    /// A phone number (personal data).
    Phone,
    /// A full prompt payload: a long user message sent to a model.
    Prompt,
}

impl LogKind {
    /// Every kind, in report order.
    pub const ALL: [LogKind; 6] = [
        LogKind::Token,
        LogKind::Bearer,
        LogKind::BasicAuth,
        LogKind::Email,
        LogKind::Phone,
        LogKind::Prompt,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LogKind::Token => "token",
            LogKind::Bearer => "bearer",
            LogKind::BasicAuth => "basic_auth",
            LogKind::Email => "email",
            LogKind::Phone => "phone",
            LogKind::Prompt => "prompt",
        }
    }
}

/// One occurrence shown as an example: where, and redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSample {
    /// 1-based line of the (decompressed) log.
    pub line: u64,
    /// Redacted: `sk-p…`, `Bearer eyJh…`, `j…@….com`, `+44…`, `prompt (812 chars)`.
    pub preview: String,
}

/// How often one kind occurs, with a few redacted samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogCount {
    /// What.
    pub kind: LogKind,
    /// Occurrences.
    pub count: u64,
    /// The first few occurrences, redacted.
    pub samples: Vec<LogSample>,
}

/// One log export's scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogScan {
    /// The file scanned.
    pub file: String,
    /// It was gzip-compressed.
    pub gzip: bool,
    /// One entry per [`LogKind`], in [`LogKind::ALL`] order.
    pub counts: Vec<LogCount>,
    /// Lines read.
    pub lines: u64,
    /// Bytes read (after decompression).
    pub bytes: u64,
    /// Lines that were JSON objects (walked field by field).
    pub json_lines: u64,
    /// Lines that looked like JSON objects but did not parse (scanned as text).
    pub malformed_json: u64,
    /// Reading stopped at this many bytes (the limit); the rest is unscanned.
    pub truncated_at: Option<u64>,
}
