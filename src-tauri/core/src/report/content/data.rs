//! The shape of [`ReportData`], the JSON export (`assets/report.schema.json`
//! describes it). Field order is the JSON key order; there are no maps, so
//! the output is deterministic.

use handover_model::{ItemStatus, Risk, Severity, Verdict, WatchItem};
use serde::Serialize;

/// The report's data, as the JSON export carries it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    /// Always [`super::SCHEMA`].
    pub schema: &'static str,
    /// The report's date, `YYYY-MM-DD`.
    pub date: String,
    /// What the report is about.
    pub meta: Meta,
    /// Go or no-go, why, and the counts.
    pub verdict: VerdictData,
    /// What to watch this week, most urgent first (all items).
    pub watch: Vec<WatchEntry>,
    /// The open launch blockers, ranked.
    pub blockers: Vec<Blocker>,
    /// The checklist, stage by stage.
    pub checklist: Vec<StageData>,
    /// Accounts, ownership and alert contacts (never a secret).
    pub accounts: AccountsData,
    /// The latest run's findings, grouped by host.
    pub evidence: Vec<HostEvidence>,
    /// The chart series; empty when there is no data.
    pub charts: Charts,
    /// Rollback and deployment notes.
    pub rollback: Rollback,
    /// What Handover could not check, and what its checks do not probe.
    pub limitations: Limitations,
    /// The top open items with their next action.
    pub next_steps: Vec<NextStep>,
}

/// What the report is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// The product's name.
    pub product: String,
    /// Its description.
    pub description: String,
    /// The apex domain in Unicode (`bücher.example`).
    pub apex: String,
    /// The apex domain as stored (ASCII, punycode).
    pub apex_ascii: String,
    /// Who made the export.
    pub author: String,
    /// The latest run, if any ran.
    pub latest_run: Option<RunRef>,
    /// How many runs the history holds.
    pub runs: u32,
}

/// A run, as the report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRef {
    /// Run id.
    pub id: i64,
    /// The day it started, `YYYY-MM-DD` (UTC).
    pub date: String,
}

/// The verdict with its reasons and counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictData {
    /// `go` or `no_go`.
    pub verdict: Verdict,
    /// Why, most important first; empty for go.
    pub reasons: Vec<String>,
    /// The cover's counts.
    pub counts: Counts,
}

/// The cover's counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counts {
    /// Open blocker items plus handover gaps that block launch.
    pub blockers_open: u32,
    /// High findings in the latest run.
    pub high_findings: u32,
    /// Findings of the latest run that could not be checked.
    pub could_not_check: u32,
    /// Distinct checks of the latest run.
    pub checks_run: u32,
    /// Checklist items decided.
    pub items_done: u32,
    /// Checklist items in all.
    pub items_total: u32,
}

/// A watch item with its place in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchEntry {
    /// 1 for the most urgent.
    pub rank: u32,
    /// Whether page one shows it (the first ten); else the appendix.
    pub page_one: bool,
    /// The ranking score, `(5 − urgency) × risk`.
    pub score: u32,
    /// The item.
    #[serde(flatten)]
    pub item: WatchItem,
}

/// One launch blocker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    /// 1 for the first.
    pub rank: u32,
    /// `checklist` (an open blocker item) or `handover` (an ownership gap).
    pub source: &'static str,
    /// The item id or the gap's code.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its stage number (0 for a handover gap).
    pub stage: u8,
    /// `todo` or `fail` (a gap is `todo`).
    pub status: ItemStatus,
    /// Who owns it; empty when nobody does.
    pub owner: String,
    /// Why the last run could not judge it; empty when it did.
    pub could_not_check: String,
}

/// One stage of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageData {
    /// 1 to 7.
    pub number: u8,
    /// Stage id.
    pub id: String,
    /// Stage title.
    pub title: String,
    /// Items decided.
    pub done: u32,
    /// Items in all.
    pub total: u32,
    /// Open blocker items.
    pub open_blockers: u32,
    /// Items the last run could not judge.
    pub inconclusive: u32,
    /// Its items, in catalog order.
    pub items: Vec<ItemEntry>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemEntry {
    /// Item id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its risk.
    pub risk: Risk,
    /// Its status.
    pub status: ItemStatus,
    /// `pass`, `fail`, `todo`, `waived`, `not_applicable` or
    /// `could_not_check` (open, and the last run could not judge it).
    pub state: &'static str,
    /// Who owns it.
    pub owner: String,
    /// Notes.
    pub notes: String,
    /// Why it was waived.
    pub waiver_reason: String,
    /// Why the last run could not judge it.
    pub could_not_check: String,
    /// Evidence links.
    pub evidence: Vec<String>,
}

/// Accounts, gaps and contacts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountsData {
    /// Every account, by kind then provider.
    pub accounts: Vec<AccountEntry>,
    /// Required kinds with no account or no owner.
    pub gaps: Vec<Gap>,
    /// The alert contacts.
    pub contacts: Vec<ContactEntry>,
}

/// One account: who owns it and where its secrets are kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountEntry {
    /// Kind, e.g. `dns`.
    pub kind: String,
    /// Kind for people, e.g. `Domain registrar / DNS`.
    pub kind_label: String,
    /// Provider.
    pub provider: String,
    /// Where to sign in.
    pub login_url: String,
    /// Owner's name.
    pub owner: String,
    /// Owner's email.
    pub owner_email: String,
    /// Backup owner's name.
    pub backup_owner: String,
    /// Second factor, for people.
    pub two_factor: String,
    /// Where the recovery codes are kept (a place, never the codes).
    pub recovery_codes_at: String,
    /// Who pays.
    pub billing_owner: String,
    /// Access last verified, `YYYY-MM-DD`.
    pub last_verified: String,
    /// Credentials last rotated, `YYYY-MM-DD`.
    pub last_rotated: String,
    /// What is kept for it: kind and label only.
    pub credentials: Vec<CredentialEntry>,
}

/// A credential as the report names it: never its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialEntry {
    /// Kind for people, e.g. `API key`.
    pub kind: String,
    /// Its label, e.g. `live key`.
    pub label: String,
    /// Where it is: always `kept in the OS keychain`.
    pub kept: &'static str,
    /// When its value last changed, `YYYY-MM-DD`.
    pub changed: String,
}

/// A required kind's gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Kind, e.g. `dns`.
    pub kind: String,
    /// `no account` or `no owner`.
    pub gap: String,
}

/// One alert contact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactEntry {
    /// Name.
    pub name: String,
    /// Role.
    pub role: String,
    /// Email.
    pub email: String,
    /// Channels alerts reach them on.
    pub channels: Vec<String>,
    /// When an alert was last confirmed to reach them; empty if never.
    pub verified: String,
}

/// The latest run's findings on one host.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostEvidence {
    /// The host in Unicode; empty for findings about no host.
    pub host: String,
    /// Its findings, most severe first.
    pub findings: Vec<EvidenceRow>,
}

/// One finding as evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// Check id.
    pub check: String,
    /// What was checked.
    pub target: String,
    /// The severity, or `None` when the check could not judge.
    pub severity: Option<Severity>,
    /// Severity wire name, or `could not check`.
    pub state: String,
    /// One line for people.
    pub title: String,
    /// Why it could not judge; empty when it did.
    pub reason: String,
    /// Redacted evidence lines.
    pub evidence: Vec<String>,
}

/// The chart series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Charts {
    /// p95 per endpoint over the runs, oldest first.
    pub latency: Vec<LatencySeries>,
    /// Findings by severity per run, oldest first; empty without runs.
    pub severity: Vec<SeverityBar>,
}

/// One endpoint's p95 over the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LatencySeries {
    /// Check id, e.g. `latency.chat`.
    pub check: String,
    /// The URL measured.
    pub target: String,
    /// Legend, e.g. `chat p95`.
    pub name: String,
    /// The latest target, ms.
    pub target_ms: Option<f64>,
    /// The points, oldest first.
    pub points: Vec<Point>,
    /// Least-squares slope, ms per run; `None` with fewer than 2 points.
    pub slope_ms_per_run: Option<f64>,
}

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The run's date.
    pub date: String,
    /// The run.
    pub run_id: i64,
    /// The value.
    pub value: f64,
}

/// One run's findings by severity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeverityBar {
    /// The run's date.
    pub date: String,
    /// The run.
    pub run_id: i64,
    /// Blocker findings.
    pub blocker: u32,
    /// High findings.
    pub high: u32,
    /// Medium findings.
    pub medium: u32,
    /// Low findings.
    pub low: u32,
    /// Info findings.
    pub info: u32,
    /// Passed findings.
    pub pass: u32,
    /// Findings that could not judge.
    pub could_not_check: u32,
}

/// Rollback and deployment notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollback {
    /// Whether anything at all is recorded (notes or evidence).
    pub recorded: bool,
    /// The production-deploy stage's items.
    pub items: Vec<ItemEntry>,
    /// The project's notes.
    pub project_notes: String,
    /// Where each environment is served.
    pub environments: Vec<EnvironmentEntry>,
}

/// An environment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnvironmentEntry {
    /// `production` or `staging`.
    pub kind: String,
    /// Its base URL.
    pub base_url: String,
}

/// What Handover could not check, and what it does not probe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limitations {
    /// The latest run's inconclusive findings, grouped by cause.
    pub could_not_check: Vec<CauseGroup>,
    /// Automated items whose checks Handover does not implement yet.
    pub not_automated: Vec<String>,
    /// What the checks never probe.
    pub not_probed: Vec<String>,
}

/// Inconclusive findings of one cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseGroup {
    /// Cause wire name, e.g. `unreachable`.
    pub cause: String,
    /// Cause for people.
    pub label: String,
    /// The findings: check, target and reason.
    pub findings: Vec<Unchecked>,
}

/// One finding that could not judge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unchecked {
    /// Check id.
    pub check: String,
    /// What it looked at.
    pub target: String,
    /// Why it could not judge.
    pub reason: String,
}

/// One next step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    /// Item id.
    pub item_id: String,
    /// Its title.
    pub title: String,
    /// Its risk.
    pub risk: Risk,
    /// Its stage number.
    pub stage: u8,
    /// Who owns it.
    pub owner: String,
    /// What to do next.
    pub action: String,
}
