//! Live checks: what a check found, runs of checks, and their progress.

use serde::{Deserialize, Serialize};

/// How bad a finding is; `Pass` sorts first, `Blocker` last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The check passed.
    Pass,
    /// Worth knowing; nothing to fix.
    Info,
    /// Minor.
    Low,
    /// Should be fixed soon.
    Medium,
    /// Likely to hurt users or the business soon.
    High,
    /// Launch must not happen like this.
    Blocker,
}

impl Severity {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Pass => "pass",
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Blocker => "blocker",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Severity::Pass,
            Severity::Info,
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Blocker,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// A number a check measured, e.g. `days_left = 23`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Name, snake_case.
    pub name: String,
    /// Value.
    pub value: f64,
    /// Unit, e.g. `ms`, `days`, `bytes`, or empty.
    pub unit: String,
}

/// One result of one check on one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check id, e.g. `tls.expiry` (see the checklist's automated items).
    pub check: String,
    /// What was checked: a host, `host:port`, or a URL.
    pub target: String,
    /// How bad it is.
    pub severity: Severity,
    /// One line for people.
    pub title: String,
    /// What it means and what to do.
    pub detail: String,
    /// Redacted request/response summary lines (never secrets or cookies' values).
    pub evidence: Vec<String>,
    /// Numbers measured along the way.
    pub measured: Vec<Measure>,
}

/// A finished (or failed) run of checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Run id.
    pub id: i64,
    /// The project it ran for (`None` for a headless `handover check`).
    pub project_id: Option<i64>,
    /// Start, ms since the epoch.
    pub started_ms: i64,
    /// End, ms since the epoch.
    pub finished_ms: i64,
    /// Findings by severity, in `Severity` order (pass … blocker).
    pub counts: [u32; 6],
}

/// A run with its findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The run.
    pub summary: RunSummary,
    /// Its findings, most severe first.
    pub findings: Vec<Finding>,
}

/// Progress of a running check, streamed to the window and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Progress {
    /// The run knows how many checks it will run.
    Planned {
        /// Number of checks.
        checks: u32,
    },
    /// A check started.
    Started {
        /// Check id.
        check: String,
    },
    /// A check finished.
    Finished {
        /// Check id.
        check: String,
        /// Its worst finding.
        worst: Severity,
        /// How long it took, ms.
        elapsed_ms: u64,
    },
}

/// `checks_run`: runs every applicable check for a project and stores the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksRunRequest {
    /// Project id.
    pub project_id: i64,
}

/// `runs_list`: a project's runs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsListRequest {
    /// Project id.
    pub project_id: i64,
}

/// `run_get`: one run with its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunGetRequest {
    /// Run id.
    pub run_id: i64,
}
