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
    /// How the value's samples were spread, when the check kept them: a
    /// histogram the window draws (e.g. the latency probe's response times).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bins: Vec<Bin>,
}

/// One bar of a [`Measure`]'s histogram: samples up to `upper` (in the
/// measure's unit) and above the previous bar's bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Upper bound, in the measure's unit.
    pub upper: f64,
    /// Samples in the bar.
    pub count: u32,
}

/// Why a check could not judge what it was meant to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The check ran past its deadline and was stopped.
    TimedOut,
    /// The check could not start (its network context or inputs failed).
    CouldNotStart,
    /// The check crashed: a bug in Handover, not a fact about the product.
    Panicked,
    /// The project names nothing this check looks at.
    NothingToCheck,
    /// The host did not answer (connection refused, reset, no DNS answer).
    Unreachable,
    /// Handover does not automate this check yet.
    NotAutomated,
}

impl Cause {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::TimedOut => "timed_out",
            Cause::CouldNotStart => "could_not_start",
            Cause::Panicked => "panicked",
            Cause::NothingToCheck => "nothing_to_check",
            Cause::Unreachable => "unreachable",
            Cause::NotAutomated => "not_automated",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Cause::TimedOut,
            Cause::CouldNotStart,
            Cause::Panicked,
            Cause::NothingToCheck,
            Cause::Unreachable,
            Cause::NotAutomated,
        ]
        .into_iter()
        .find(|c| c.as_str() == name)
    }
}

/// Whether a finding is a judgement or says the check could not judge.
/// Separate from [`Severity`]: an inconclusive finding never counts as a pass.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The check looked and judged; the severity says how it went.
    #[default]
    Judged,
    /// The check could not judge; `reason` says why, for people.
    Inconclusive {
        /// The kind of failure.
        cause: Cause,
        /// One sentence, e.g. "api.example.com:443 refused the connection".
        reason: String,
    },
}

impl Outcome {
    /// True when the check could not judge.
    pub fn is_inconclusive(&self) -> bool {
        matches!(self, Outcome::Inconclusive { .. })
    }

    /// Why a check could not judge, if it could not.
    pub fn cause(&self) -> Option<Cause> {
        match self {
            Outcome::Judged => None,
            Outcome::Inconclusive { cause, .. } => Some(*cause),
        }
    }

    /// The reason a check could not judge, if it could not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Outcome::Judged => None,
            Outcome::Inconclusive { reason, .. } => Some(reason),
        }
    }
}

/// One result of one check on one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check id, e.g. `tls.expiry` (see the checklist's automated items).
    pub check: String,
    /// What was checked: a host, `host:port`, or a URL.
    pub target: String,
    /// The host the finding is about (ASCII, lowercase), taken apart by the core.
    #[serde(default)]
    pub host: String,
    /// The port, when the target names a non-default one.
    #[serde(default)]
    pub port: Option<u16>,
    /// How bad it is (for an inconclusive finding: `info`, never counted).
    pub severity: Severity,
    /// Judged, or inconclusive with the reason.
    #[serde(default)]
    pub outcome: Outcome,
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
    /// Judged findings by severity, in `Severity` order (pass … blocker).
    pub counts: [u32; 6],
    /// Findings whose check could not judge (not in `counts`).
    #[serde(default)]
    pub inconclusive: u32,
    /// Where the run was started.
    #[serde(default)]
    pub source: RunSource,
    /// What was checked: the project's name, or the domain of a quick audit.
    #[serde(default)]
    pub subject: String,
}

/// Where a run was started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunSource {
    /// The window's Live checks page.
    #[default]
    Window,
    /// `handover check` on the command line.
    Cli,
}

impl RunSource {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RunSource::Window => "window",
            RunSource::Cli => "cli",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [RunSource::Window, RunSource::Cli]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
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
        /// Its worst judged finding (`info` when it judged nothing).
        worst: Severity,
        /// How many of its findings could not judge.
        #[serde(default)]
        inconclusive: u32,
        /// How long it took, ms.
        elapsed_ms: u64,
    },
}

/// `checks_run`: runs every applicable check for a project and stores the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksRunRequest {
    /// Project id.
    pub project_id: i64,
    /// Run only these check ids (a retry); empty runs every check.
    #[serde(default)]
    pub only: Vec<String>,
    /// Run the load probes too (the latency probe's hundreds of
    /// requests): the person confirmed it.
    #[serde(default)]
    pub load_probes: bool,
}

/// `runs_list`: a project's runs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsListRequest {
    /// Project id; `None` lists the runs that belong to no stored project
    /// (`handover check DOMAIN` and `handover check --config FILE`).
    pub project_id: Option<i64>,
}

/// `run_get`: one run with its findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunGetRequest {
    /// Run id.
    pub run_id: i64,
}
