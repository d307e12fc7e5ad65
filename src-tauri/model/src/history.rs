//! Weekly rechecks: findings with identity, what changed between runs, the
//! schedule, notices, and the History page's data.

use serde::{Deserialize, Serialize};

use crate::checks::Severity;

/// How one finding (by fingerprint) changed between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffState {
    /// A problem the earlier run did not have.
    New,
    /// A problem that got worse (a higher severity).
    Regressed,
    /// A problem still there (same or lower severity).
    Persisting,
    /// Could not be checked this time: never counted as resolved.
    Unknown,
    /// A problem the earlier run had, judged fine now.
    Resolved,
}

impl DiffState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DiffState::New => "new",
            DiffState::Regressed => "regressed",
            DiffState::Persisting => "persisting",
            DiffState::Unknown => "unknown",
            DiffState::Resolved => "resolved",
        }
    }
}

/// A number measured in both runs (or only one), per fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDelta {
    /// The measure's name, e.g. `p95_ms`, `days_left`, `score`.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// The earlier value.
    pub before: Option<f64>,
    /// The later value.
    pub after: Option<f64>,
}

/// One finding's change between two runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiffEntry {
    /// The finding's identity (check, host, what it is about).
    pub fingerprint: String,
    /// The check id.
    pub check: String,
    /// The host.
    pub host: String,
    /// The target as the later finding (else the earlier one) names it.
    pub target: String,
    /// How it changed.
    pub state: DiffState,
    /// Severity in the last run that judged it before, if any.
    pub before: Option<Severity>,
    /// Severity now (`None` when it could not be checked or is gone).
    pub after: Option<Severity>,
    /// The later finding's title (else the earlier one's).
    pub title: String,
    /// Numbers that moved (or appeared).
    pub deltas: Vec<MetricDelta>,
}

/// Counts of a diff by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffCounts {
    /// New problems.
    pub new: u32,
    /// Problems that got worse.
    pub regressed: u32,
    /// Problems still there.
    pub persisting: u32,
    /// Could not be checked this time.
    pub unknown: u32,
    /// Problems gone.
    pub resolved: u32,
}

/// What changed between two runs of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDiff {
    /// The earlier run (`None`: the first run, everything failing is new).
    pub from_run: Option<i64>,
    /// The later run.
    pub to_run: i64,
    /// When the earlier run started, ms since the epoch.
    pub from_ms: Option<i64>,
    /// When the later run started.
    pub to_ms: i64,
    /// Changes, in state order (new, regressed, persisting, unknown,
    /// resolved), then worst first, then by fingerprint. Passing findings
    /// that stayed passing are left out.
    pub entries: Vec<DiffEntry>,
    /// Counts by state.
    pub counts: DiffCounts,
}

/// A project's weekly recheck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Whether it runs.
    pub enabled: bool,
    /// Day of the week, 1 = Monday … 7 = Sunday (ISO 8601).
    pub weekday: u8,
    /// Local time of day, `HH:MM`.
    pub time: String,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// When it is next due, ms since the epoch (UTC); `None` when disabled.
    pub next_due_ms: Option<i64>,
}

/// Why Handover tells someone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A blocker appeared.
    NewBlocker,
    /// A finding got worse.
    Regression,
    /// A certificate crossed 30, 14 or 7 days left.
    CertificateExpiry,
    /// A check could not run three rechecks in a row.
    KeepsFailingToRun,
}

/// One notification, sent once per state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The de-duplication key: the same key is never notified twice.
    pub key: String,
    /// Why.
    pub kind: NoticeKind,
    /// One line for the notification's title.
    pub title: String,
    /// One or two sentences.
    pub body: String,
}

/// One run as the History page lists and charts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPoint {
    /// Run id.
    pub run_id: i64,
    /// Start, ms since the epoch.
    pub started_ms: i64,
    /// Findings by severity: blocker, high, medium, low (judged only).
    pub by_severity: [u32; 4],
    /// Findings that could not be checked.
    pub inconclusive: u32,
}

/// A line of one of the History page's charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistorySeries {
    /// Its legend, e.g. `chat p95 (api.example.com)`.
    pub name: String,
    /// The unit, e.g. `ms`, `days`, `%`.
    pub unit: String,
    /// A target line, when there is one (a p95 target).
    pub target: Option<f64>,
    /// `(run start ms, value)` points, oldest first.
    pub points: Vec<(i64, f64)>,
}

/// `history_get`: the History page of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRequest {
    /// Project id.
    pub project_id: i64,
    /// Only runs started at or after this (ms since the epoch).
    #[serde(default)]
    pub since_ms: Option<i64>,
}

/// Answer to `history_get`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryView {
    /// Every kept run, oldest first.
    pub runs: Vec<RunPoint>,
    /// What changed since the run before the latest (`None` with < 1 run).
    pub diff: Option<RunDiff>,
    /// p95 per endpoint over time, with its target.
    pub p95: Vec<HistorySeries>,
    /// Certificate days left per host.
    pub certificate_days: Vec<HistorySeries>,
    /// Uptime of the health endpoint across rechecks (percent of rechecks
    /// it answered as expected, cumulative).
    pub uptime: Vec<HistorySeries>,
    /// The schedule.
    pub schedule: Schedule,
    /// Runs older than this many days are deleted (default 730).
    pub retention_days: u32,
}

/// `diff_get`: what changed between two runs (the latest two by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRequest {
    /// Project id.
    pub project_id: i64,
    /// The earlier run.
    #[serde(default)]
    pub from_run: Option<i64>,
    /// The later run.
    #[serde(default)]
    pub to_run: Option<i64>,
}

/// `schedule_set`: changes a project's weekly recheck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSetRequest {
    /// Project id.
    pub project_id: i64,
    /// Whether it runs.
    pub enabled: bool,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// `HH:MM`.
    pub time: String,
    /// IANA time zone.
    pub time_zone: String,
}

/// `recheck_now`: runs a project's recheck now (as the schedule would).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecheckRequest {
    /// Project id.
    pub project_id: i64,
}

/// Answer to `recheck_now` (and one line of `handover recheck`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecheckOutcome {
    /// The run stored.
    pub run_id: i64,
    /// What changed since the previous run.
    pub diff: RunDiff,
    /// Notices to show (already de-duplicated and recorded).
    pub notices: Vec<Notice>,
    /// Whether the project is go after this run.
    pub go: bool,
}

/// The [`crate::event::RUNS_CHANGED`] event: a run of the project was
/// stored without the window asking (the tray's "Recheck now", the timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunsChanged {
    /// Project id.
    pub project_id: i64,
}

/// `retention_set`: how long runs are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionSetRequest {
    /// Runs older than this many days are deleted.
    pub days: u32,
}

/// Answer to `retention_set`: the setting now in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Runs older than this many days are deleted.
    pub days: u32,
}

/// `autostart_get`: whether Handover starts (hidden) at login.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutostartGetRequest {}

/// `autostart_set`: turns start at login (hidden) on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutostartSetRequest {
    /// Whether Handover starts at login, without its window.
    pub enabled: bool,
}

/// Answer to `autostart_get` and `autostart_set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Autostart {
    /// Whether this system can start Handover at login at all.
    pub available: bool,
    /// Whether it does.
    pub enabled: bool,
}
