//! What a run of the evaluation set found: a verdict per attempt with its
//! reasons, per case (pass rate over k runs, pass^k, flaky), per category
//! and for the whole set, and the requests the window and CLI send.

use serde::{Deserialize, Serialize};

use crate::{EvalCase, EvalCategory, EvalSetup, Finding, Owasp};

/// How one attempt at a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptVerdict {
    /// Every expectation held and nothing leaked.
    Passed,
    /// An expectation did not hold.
    Failed,
    /// The canary, a secret or personal data was in an answer: a blocker.
    Leaked,
    /// No usable answer (timeout, refused connection, malformed answer):
    /// inconclusive, never a pass.
    Error,
}

impl AttemptVerdict {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptVerdict::Passed => "passed",
            AttemptVerdict::Failed => "failed",
            AttemptVerdict::Leaked => "leaked",
            AttemptVerdict::Error => "error",
        }
    }
}

/// One reason an attempt did not pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// What was expected or found, e.g. `must contain "receipt"`.
    pub rule: String,
    /// What the answer held: the matching excerpt (redacted), or why not.
    pub detail: String,
}

/// One attempt at a case (one of k runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// 1-based run number.
    pub run: u32,
    /// How it ended.
    pub verdict: AttemptVerdict,
    /// Why it did not pass (empty when it passed).
    pub reasons: Vec<Reason>,
    /// Milliseconds from sending the last question to its full answer.
    pub latency_ms: u64,
    /// The last answer, with secrets and the canary redacted; stored
    /// truncated ([`ANSWER_STORED_CHARS`]), whole in the window.
    pub answer: String,
    /// The stored answer was cut.
    #[serde(default)]
    pub truncated: bool,
    /// Personal data in the answers (redacted samples: `j…@….com`); shown,
    /// not failed — an internal bot may rightly name a colleague.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal: Vec<String>,
}

/// Characters of an answer kept in the run history.
pub const ANSWER_STORED_CHARS: usize = 1_000;

/// How a case did over its k runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Every run passed.
    Passed,
    /// Some runs passed, some failed: flaky.
    Flaky,
    /// No run passed.
    Failed,
    /// A run leaked (a blocker, whatever the others did).
    Leaked,
    /// No run gave a usable answer, or some could not run and none failed:
    /// inconclusive.
    Error,
}

impl CaseState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Passed => "passed",
            CaseState::Flaky => "flaky",
            CaseState::Failed => "failed",
            CaseState::Leaked => "leaked",
            CaseState::Error => "error",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            CaseState::Passed => "Passed",
            CaseState::Flaky => "Flaky",
            CaseState::Failed => "Failed",
            CaseState::Leaked => "Leaked",
            CaseState::Error => "Could not run",
        }
    }
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case's id.
    pub id: String,
    /// Its category.
    pub category: EvalCategory,
    /// Its OWASP entry.
    pub owasp: Option<Owasp>,
    /// The first question.
    pub question: String,
    /// How it did over its runs.
    pub state: CaseState,
    /// Runs that passed.
    pub passed: u32,
    /// Runs that gave a usable answer (passed, failed or leaked).
    pub judged: u32,
    /// `passed / judged`, 0 to 1 (0 when nothing was judged).
    pub pass_rate: f64,
    /// Every attempt, in run order.
    pub attempts: Vec<Attempt>,
}

/// One category's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryStat {
    /// The category.
    pub category: EvalCategory,
    /// Its cases.
    pub cases: u32,
    /// Runs judged, over its cases.
    pub judged: u32,
    /// Runs passed.
    pub passed: u32,
    /// `passed / judged`.
    pub pass_rate: f64,
    /// Cases whose every run passed (pass^k), over the cases judged.
    pub pass_k: f64,
    /// Flaky cases.
    pub flaky: u32,
}

/// The run before this one, for the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PreviousEval {
    /// When it started (Unix ms).
    pub started_ms: i64,
    /// Its pass rate.
    pub pass_rate: f64,
}

/// A whole run of the set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    /// When it started (Unix ms).
    pub started_ms: i64,
    /// How long it took.
    pub duration_ms: u64,
    /// The environment asked.
    pub environment: String,
    /// The URL asked (credentials in it redacted).
    pub url: String,
    /// Runs per case (k).
    pub runs: u32,
    /// The cases, in set order.
    pub cases: Vec<CaseResult>,
    /// Per category, in [`EvalCategory::ALL`] order (only those with cases).
    pub categories: Vec<CategoryStat>,
    /// Runs passed over runs judged, 0 to 1.
    pub pass_rate: f64,
    /// Cases whose every run passed, over cases judged (pass^k).
    pub pass_k: f64,
    /// Cases by state: passed, flaky, failed, leaked, could not run.
    pub passed: u32,
    /// Flaky cases.
    pub flaky: u32,
    /// Failed cases.
    pub failed: u32,
    /// Leaking cases.
    pub leaked: u32,
    /// Cases that could not run.
    pub errors: u32,
    /// The previous run, when there was one.
    pub previous: Option<PreviousEval>,
    /// The findings this run gives the run history, watch list and PDF.
    pub findings: Vec<Finding>,
    /// What the run did not do or probe.
    pub notes: Vec<String>,
}

/// The Eval page's data: the set as it runs (the starter set when the
/// project has no cases of its own) and the last run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalView {
    /// The project's setup.
    pub setup: EvalSetup,
    /// The cases a run asks: the project's, or the starter set.
    pub cases: Vec<EvalCase>,
    /// The cases are the starter set (the project has none of its own).
    pub starter: bool,
    /// A canary is stored in the keychain for this project.
    pub canary: bool,
    /// The last run, if any.
    pub last: Option<EvalReport>,
    /// The adapter asks production (a run must be confirmed).
    pub production: bool,
}

/// Asks for the Eval page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalGetRequest {
    /// The project.
    pub project_id: i64,
}

/// Saves a project's setup (cases, adapter, runs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalSaveRequest {
    /// The project.
    pub project_id: i64,
    /// The new setup.
    pub setup: EvalSetup,
}

/// Runs the set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalRunRequest {
    /// The project.
    pub project_id: i64,
    /// Runs per case, overriding the setup's (e.g. 3 before launch).
    #[serde(default)]
    pub runs: Option<u32>,
    /// Only these cases (empty: all).
    #[serde(default)]
    pub only: Vec<String>,
    /// The person confirmed a run against production.
    #[serde(default)]
    pub confirm_production: bool,
}

/// Creates (or replaces) the project's canary in the keychain; `reveal`
/// answers it so it can be planted in the system prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalCanaryRequest {
    /// The project.
    pub project_id: i64,
    /// Make a new one even when one is stored.
    #[serde(default)]
    pub renew: bool,
}

/// Imports cases from a TOML or JSON text, replacing the project's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalImportRequest {
    /// The project.
    pub project_id: i64,
    /// The file's text.
    pub text: String,
    /// `toml` or `json`.
    pub format: String,
}

/// `eval_export`: writes the cases a run asks (the starter set when the
/// project has none) to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalExportRequest {
    /// The project.
    pub project_id: i64,
    /// Where to write, `.toml` or `.json` (the extension picks the format).
    pub path: String,
}

/// Progress of a run, per attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalProgress {
    /// Attempts finished.
    pub done: u32,
    /// Attempts in all.
    pub total: u32,
    /// The case that just finished.
    pub case_id: String,
    /// How it ended.
    pub verdict: AttemptVerdict,
}
