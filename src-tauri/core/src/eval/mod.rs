//! # The chatbot's evaluation set
//!
//! A small set of internal-ops questions asked of the live chat endpoint —
//! on demand (the Eval page, `handover eval`), after a deploy and with
//! every weekly recheck (the `ai.eval` check) — so a bot that starts
//! inventing policy, hands over its system prompt or loses its retrieval
//! shows up as findings, not as a customer's screenshot.
//!
//! - [`cases`]: the starter set (ours), import/export, validation;
//! - [`adapter`]: one question to the endpoint, JSON or streamed answers;
//! - [`judge`]: expectations on the last answer;
//! - [`leak`]: the canary in any shape, keys and personal data;
//! - [`run`]: k runs per case, bounded concurrency, progress;
//! - [`score`]: states, pass rates, pass^k, findings.
//!
//! What it does not probe: meaning (a case judges words), tools the bot
//! calls on its own, answers longer than [`adapter::ANSWER_CAP`].

pub mod adapter;
#[cfg(test)]
mod bed_tests;
pub mod cases;
pub mod judge;
pub mod junit;
pub mod leak;
pub mod run;
pub mod score;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use handover_model::{EvalCase, EvalReport, EvalSetup, PreviousEval, ProjectSpec, SecretText};
use reqwest::header::{HeaderName, HeaderValue};
use url::Url;

use crate::checks::credentials::Credentials;
use crate::secrets::FingerprintKey;

pub use score::CHECK;

/// The evaluation input of a run's target: the setup with its URL
/// resolved, the canary, the previous pass rate, and where the check
/// leaves its report for the workbench to store.
#[derive(Clone, Debug)]
pub struct EvalInput {
    /// The project's setup.
    pub setup: EvalSetup,
    /// The cases asked (the project's or the starter set).
    pub cases: Vec<EvalCase>,
    /// The adapter's URL, or why it has none.
    pub url: Result<Url, String>,
    /// The environment's name.
    pub environment: String,
    /// A run asks production.
    pub production: bool,
    /// The canary planted in the system prompt.
    pub canary: Option<SecretText>,
    /// The last run, for the comparison.
    pub previous: Option<PreviousEval>,
    /// The report of the run, once the check has run.
    pub sink: Arc<Mutex<Option<EvalReport>>>,
}

impl PartialEq for EvalInput {
    fn eq(&self, other: &Self) -> bool {
        self.setup == other.setup && self.cases == other.cases && self.url == other.url
    }
}

impl Eq for EvalInput {}

impl EvalInput {
    /// The input of `spec` (validated). The canary is read from the
    /// setup's environment variable here; a stored project's comes from
    /// the keychain (see the workbench).
    pub fn of(spec: &ProjectSpec) -> Option<Self> {
        let setup = &spec.eval;
        let adapter = setup.adapter.as_ref()?;
        let canary = Some(setup.canary_env.trim())
            .filter(|n| !n.is_empty())
            .and_then(|n| std::env::var(n).ok())
            .filter(|v| !v.trim().is_empty())
            .map(SecretText::new);
        Some(Self {
            setup: setup.clone(),
            cases: cases::cases_of(setup),
            url: cases::url_of(adapter, spec),
            environment: adapter.environment.as_str().to_owned(),
            production: cases::targets_production(adapter, spec),
            canary,
            previous: None,
            sink: Arc::default(),
        })
    }

    /// The plan of a run: `runs` per case (the setup's when `None`), only
    /// the cases named in `only` (all when empty), with the credential from
    /// `credentials`.
    pub fn plan(
        &self,
        credentials: &Credentials,
        key: FingerprintKey,
        runs: Option<u32>,
        only: &[String],
    ) -> Result<run::Plan, String> {
        let adapter = self
            .setup
            .adapter
            .clone()
            .ok_or("the project has no chat adapter")?;
        let url = self.url.clone()?;
        let mut headers = reqwest::header::HeaderMap::new();
        for h in &adapter.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(h.name.trim().as_bytes()),
                HeaderValue::from_str(&h.value),
            ) {
                headers.append(name, value);
            }
        }
        if let Some(auth) = &adapter.auth {
            let (name, value) = credentials.header(auth).map_err(|e| e.to_string())?;
            headers.insert(name, value);
        }
        let cases: Vec<EvalCase> = if only.is_empty() {
            self.cases.clone()
        } else {
            let wanted: Vec<String> = only.iter().map(|o| o.trim().to_ascii_lowercase()).collect();
            let picked: Vec<EvalCase> = self
                .cases
                .iter()
                .filter(|c| wanted.contains(&c.id.to_ascii_lowercase()))
                .cloned()
                .collect();
            if picked.len() < wanted.len() {
                let missing: Vec<&String> = wanted
                    .iter()
                    .filter(|w| !self.cases.iter().any(|c| c.id.eq_ignore_ascii_case(w)))
                    .collect();
                return Err(format!(
                    "no case called {}",
                    missing
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            picked
        };
        Ok(run::Plan {
            adapter,
            url,
            headers,
            environment: self.environment.clone(),
            cases,
            runs: runs.unwrap_or(self.setup.runs),
            concurrency: self.setup.concurrency,
            canary: self.canary.clone(),
            key,
            previous: self.previous,
        })
    }
}

/// A fresh canary to plant in a system prompt: `HANDOVER-CANARY-` and 20
/// random letters and digits (never a word a bot would say by chance).
pub fn new_canary() -> SecretText {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the system's random source");
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    SecretText::new(format!("HANDOVER-CANARY-{tail}"))
}

/// The report as stored: answers cut to
/// [`handover_model::ANSWER_STORED_CHARS`] (already redacted).
pub fn stored(report: &EvalReport) -> EvalReport {
    let mut out = report.clone();
    for case in &mut out.cases {
        for attempt in &mut case.attempts {
            let limit = handover_model::ANSWER_STORED_CHARS;
            if attempt.answer.chars().count() > limit {
                attempt.answer = attempt.answer.chars().take(limit).collect();
                attempt.answer.push('…');
                attempt.truncated = true;
            }
        }
    }
    out
}
