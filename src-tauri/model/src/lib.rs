//! # Brief overview
//!
//! `handover-model` is the contract between the Handover window (a wasm UI) and
//! its backend. Every command takes exactly one request struct and answers with
//! either its response struct or a [`CommandError`]. Both sides import these
//! types, so a field renamed here breaks the build on both sides instead of
//! silently at run time.
//!
//! The crate depends on `serde` only and builds for native and `wasm32` targets.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod auth;
pub mod checklist;
pub mod checks;
pub mod date;
pub mod demo;
pub mod env;
pub mod error;
pub mod eval;
pub mod eval_run;
pub mod files;
pub mod gaps;
pub mod history;
pub mod hygiene;
pub mod project;
pub mod report;
pub mod secrets;
pub mod smoke;
pub mod units;

pub use accounts::{
    Account, AccountDeleteRequest, AccountSaveRequest, AccountSpec, AccountsGetRequest,
    AccountsView, Contact, ContactDeleteRequest, ContactSaveRequest, ContactSpec, Copied,
    Credential, CredentialKind, CredentialRequest, CredentialSaveRequest, FindingLevel,
    HandoverFinding, PasteCandidate, PasteScan, PasteScanRequest, Person, Revealed, SecretText,
    ServiceKind, TwoFactor,
};
pub use app::{AppInfo, AppInfoRequest, KeychainStatus, LinkOpenRequest};
pub use audit::{
    CatalogRequest, History, HistoryEntry, ItemHistoryRequest, ItemState, ItemStates, ItemStatus,
    ItemUpdateRequest, ItemsGetRequest, OpenItem, Overview, OverviewRequest, Position,
    PositionSetRequest, Resume, ResumeRequest, StageProgress, Verdict,
};
pub use auth::{AuthScheme, EndpointAuth, FailureTrigger, TenantProbe};
pub use checklist::{Advisory, Catalog, ChecklistItem, ItemKind, Risk, Stage};
pub use checks::{
    Bin, Cause, ChecksRunRequest, Finding, Measure, Outcome, Progress, Run, RunGetRequest,
    RunSource, RunSummary, RunsListRequest, Severity,
};
pub use demo::{DemoRemoveRequest, DemoStartRequest, DemoStarted, DEMO_PROJECT_NAME};
pub use env::{
    EnvFileError, EnvIssue, EnvIssueKind, EnvLocation, EnvParity, EnvSummary, LogCount, LogKind,
    LogSample, LogScan,
};
pub use error::{CommandError, ErrorCode};
pub use eval::{
    ChatAdapter, EvalCase, EvalCategory, EvalSetup, Expect, MatchMode, Owasp, StreamMode,
    CONVERSATION_PLACEHOLDER, DEFAULT_ANSWER_TIMEOUT_MS, MAX_CASES, MAX_CONCURRENCY, MAX_RUNS,
    QUESTION_PLACEHOLDER,
};
pub use eval_run::{
    Attempt, AttemptVerdict, CaseResult, CaseState, CategoryStat, EvalCanaryRequest,
    EvalExportRequest, EvalGetRequest, EvalImportRequest, EvalProgress, EvalReport, EvalRunRequest,
    EvalSaveRequest, EvalView, PreviousEval, Reason, ANSWER_STORED_CHARS,
};
pub use files::{ProjectExportRequest, ProjectImportRequest};
pub use gaps::{KindGap, KindGroup};
pub use history::{
    Autostart, AutostartGetRequest, AutostartSetRequest, DiffCounts, DiffEntry, DiffRequest,
    DiffState, HistoryRequest, HistorySeries, HistoryView, MetricDelta, Notice, NoticeKind,
    RecheckOutcome, RecheckRequest, Retention, RetentionSetRequest, RunDiff, RunPoint, RunsChanged,
    Schedule, ScheduleSetRequest,
};
pub use hygiene::{
    HygieneCounts, HygieneTarget, LogsScanRequest, ProjectSecrets, ScanProgress, SecretIgnore,
    SecretIgnoreRequest, SecretUnignoreRequest, SecretsGetRequest, SecretsScanRequest, SecretsView,
    DEFAULT_HISTORY_COMMITS, FINGERPRINT_DIGITS,
};
pub use project::{
    DkimHeadersRequest, DkimSelectorsFound, DkimSignatureRef, Done, EmailSetup, Endpoint,
    EndpointRole, Environment, EnvironmentKind, FieldError, Header, LatencyTarget, LegacyUrl,
    Method, Ports, Project, ProjectDeleteRequest, ProjectGetRequest, ProjectListRequest,
    ProjectSaveRequest, ProjectSpec, ProjectSummary, ProjectValidateRequest, SmokeStep, Subdomain,
    SubdomainPurpose, ValidationReport,
};
pub use report::{
    ExportRecord, Paper, ReportExportRequest, ReportExported, ReportFormat, ReportOpenRequest,
    ReportPreview, ReportPreviewRequest, SectionSummary, Trend, TrendDirection, WatchItem,
};
pub use secrets::{
    LocalSecrets, SecretFinding, SecretPlace, SecretScan, SkipReason, SkippedFile, SECRETS_SCHEMA,
};
pub use smoke::{StepState, Tally};

/// The events the backend sends the window on its own.
pub mod event {
    /// [`crate::RunsChanged`]: a run was stored by the tray or the timer.
    pub const RUNS_CHANGED: &str = "runs-changed";
}

/// The names under which the backend registers its commands.
///
/// The UI's `ipc` module and the shell's handler list both use these, so a
/// typo cannot make a command unreachable.
pub mod command {
    /// [`crate::AppInfoRequest`] → [`crate::AppInfo`].
    pub const APP_INFO: &str = "app_info";
    /// [`crate::CatalogRequest`] → [`crate::Catalog`].
    pub const CATALOG_GET: &str = "catalog_get";
    /// [`crate::ProjectListRequest`] → `Vec<`[`crate::ProjectSummary`]`>`.
    pub const PROJECT_LIST: &str = "project_list";
    /// [`crate::ProjectGetRequest`] → [`crate::Project`].
    pub const PROJECT_GET: &str = "project_get";
    /// [`crate::ProjectValidateRequest`] → [`crate::ValidationReport`].
    pub const PROJECT_VALIDATE: &str = "project_validate";
    /// [`crate::ProjectSaveRequest`] → [`crate::Project`]; invalid forms fail with field errors.
    pub const PROJECT_SAVE: &str = "project_save";
    /// [`crate::ProjectDeleteRequest`] → [`crate::Done`].
    pub const PROJECT_DELETE: &str = "project_delete";
    /// [`crate::ProjectImportRequest`] → [`crate::Project`]; every problem with the file is listed.
    pub const PROJECT_IMPORT: &str = "project_import";
    /// [`crate::ProjectExportRequest`] → [`crate::Done`].
    pub const PROJECT_EXPORT: &str = "project_export";
    /// [`crate::ItemsGetRequest`] → [`crate::ItemStates`].
    pub const ITEMS_GET: &str = "items_get";
    /// [`crate::ItemUpdateRequest`] → [`crate::ItemState`].
    pub const ITEM_UPDATE: &str = "item_update";
    /// [`crate::ItemHistoryRequest`] → [`crate::History`].
    pub const ITEM_HISTORY: &str = "item_history";
    /// [`crate::OverviewRequest`] → [`crate::Overview`].
    pub const OVERVIEW_GET: &str = "overview_get";
    /// [`crate::PositionSetRequest`] → [`crate::Done`].
    pub const POSITION_SET: &str = "position_set";
    /// [`crate::ResumeRequest`] → [`crate::Resume`].
    pub const RESUME_GET: &str = "resume_get";
    /// [`crate::AccountsGetRequest`] → [`crate::AccountsView`].
    pub const ACCOUNTS_GET: &str = "accounts_get";
    /// [`crate::AccountSaveRequest`] → [`crate::Account`].
    pub const ACCOUNT_SAVE: &str = "account_save";
    /// [`crate::AccountDeleteRequest`] → [`crate::Done`]; deletes its keychain entries too.
    pub const ACCOUNT_DELETE: &str = "account_delete";
    /// [`crate::CredentialSaveRequest`] → [`crate::Credential`]; the secret goes to the keychain only.
    pub const CREDENTIAL_SAVE: &str = "credential_save";
    /// [`crate::CredentialRequest`] → [`crate::Revealed`]; the only answer that carries a secret.
    pub const CREDENTIAL_REVEAL: &str = "credential_reveal";
    /// [`crate::CredentialRequest`] → [`crate::Copied`]; the clipboard is cleared after 30 s.
    pub const CREDENTIAL_COPY: &str = "credential_copy";
    /// [`crate::CredentialRequest`] → [`crate::Done`].
    pub const CREDENTIAL_DELETE: &str = "credential_delete";
    /// [`crate::ContactSaveRequest`] → [`crate::Contact`].
    pub const CONTACT_SAVE: &str = "contact_save";
    /// [`crate::ContactDeleteRequest`] → [`crate::Done`].
    pub const CONTACT_DELETE: &str = "contact_delete";
    /// [`crate::PasteScanRequest`] → [`crate::PasteScan`]; keeps nothing.
    pub const PASTE_SCAN: &str = "paste_scan";
    /// [`crate::LinkOpenRequest`] → [`crate::Done`]; the system browser opens it.
    pub const LINK_OPEN: &str = "link_open";
    /// [`crate::DkimHeadersRequest`] → [`crate::DkimSelectorsFound`]; keeps nothing.
    pub const DKIM_SELECTORS_READ: &str = "dkim_selectors_read";
    /// [`crate::ChecksRunRequest`] + a progress channel → [`crate::Run`].
    pub const CHECKS_RUN: &str = "checks_run";
    /// [`crate::RunsListRequest`] → `Vec<`[`crate::RunSummary`]`>`.
    pub const RUNS_LIST: &str = "runs_list";
    /// [`crate::RunGetRequest`] → [`crate::Run`].
    pub const RUN_GET: &str = "run_get";
    /// [`crate::ReportPreviewRequest`] → [`crate::ReportPreview`].
    pub const REPORT_PREVIEW: &str = "report_preview";
    /// [`crate::ReportExportRequest`] → [`crate::ReportExported`]; written atomically.
    pub const REPORT_EXPORT: &str = "report_export";
    /// [`crate::ReportOpenRequest`] → [`crate::Done`]; the project's last export opens
    /// in the system's viewer.
    pub const REPORT_OPEN: &str = "report_open";
    /// [`crate::HistoryRequest`] → [`crate::HistoryView`].
    pub const HISTORY_GET: &str = "history_get";
    /// [`crate::DiffRequest`] → [`crate::RunDiff`].
    pub const DIFF_GET: &str = "diff_get";
    /// [`crate::ScheduleSetRequest`] → [`crate::Schedule`] with its new `next_due_ms`.
    pub const SCHEDULE_SET: &str = "schedule_set";
    /// [`crate::RecheckRequest`] + a progress channel → [`crate::RecheckOutcome`];
    /// its notices are shown as system notifications too.
    pub const RECHECK_NOW: &str = "recheck_now";
    /// [`crate::RetentionSetRequest`] → [`crate::Retention`].
    pub const RETENTION_SET: &str = "retention_set";
    /// [`crate::AutostartGetRequest`] → [`crate::Autostart`].
    pub const AUTOSTART_GET: &str = "autostart_get";
    /// [`crate::AutostartSetRequest`] → [`crate::Autostart`].
    pub const AUTOSTART_SET: &str = "autostart_set";
    /// [`crate::SecretsGetRequest`] → [`crate::SecretsView`].
    pub const SECRETS_GET: &str = "secrets_get";
    /// [`crate::SecretsScanRequest`] + a progress channel of [`crate::ScanProgress`]
    /// → [`crate::ProjectSecrets`]; stored as the project's last scan.
    pub const SECRETS_SCAN: &str = "secrets_scan";
    /// [`crate::LogsScanRequest`] → [`crate::ProjectSecrets`] with the new logs.
    pub const LOGS_SCAN: &str = "logs_scan";
    /// [`crate::SecretIgnoreRequest`] → [`crate::SecretsView`].
    pub const SECRET_IGNORE: &str = "secret_ignore";
    /// [`crate::SecretUnignoreRequest`] → [`crate::SecretsView`].
    pub const SECRET_UNIGNORE: &str = "secret_unignore";
    /// [`crate::EvalGetRequest`] → [`crate::EvalView`].
    pub const EVAL_GET: &str = "eval_get";
    /// [`crate::EvalSaveRequest`] → [`crate::EvalView`]; the setup is validated.
    pub const EVAL_SAVE: &str = "eval_save";
    /// [`crate::EvalImportRequest`] → [`crate::EvalView`] with the imported cases.
    pub const EVAL_IMPORT: &str = "eval_import";
    /// [`crate::EvalRunRequest`] + a progress channel of [`crate::EvalProgress`]
    /// → [`crate::EvalReport`] (answers whole, redacted); stored truncated.
    pub const EVAL_RUN: &str = "eval_run";
    /// [`crate::EvalCanaryRequest`] → [`crate::Revealed`]: the canary to plant in
    /// the system prompt (the one explicit reveal), kept in the keychain.
    pub const EVAL_CANARY: &str = "eval_canary";
    /// [`crate::EvalExportRequest`] → [`crate::Done`]: the set a run asks,
    /// written as TOML or JSON.
    pub const EVAL_EXPORT: &str = "eval_export";
    /// [`crate::DemoStartRequest`] → [`crate::DemoStarted`]: starts the demo
    /// product and creates (or resets) its project.
    pub const DEMO_START: &str = "demo_start";
    /// [`crate::DemoRemoveRequest`] → [`crate::Done`]: deletes the demo project and its
    /// keychain entries, and stops the demo.
    pub const DEMO_REMOVE: &str = "demo_remove";

    /// Every command name, once; the shell registers exactly these.
    pub const ALL: &[&str] = &[
        APP_INFO,
        CATALOG_GET,
        PROJECT_LIST,
        PROJECT_GET,
        PROJECT_VALIDATE,
        PROJECT_SAVE,
        PROJECT_DELETE,
        PROJECT_IMPORT,
        PROJECT_EXPORT,
        ITEMS_GET,
        ITEM_UPDATE,
        ITEM_HISTORY,
        OVERVIEW_GET,
        POSITION_SET,
        RESUME_GET,
        ACCOUNTS_GET,
        ACCOUNT_SAVE,
        ACCOUNT_DELETE,
        CREDENTIAL_SAVE,
        CREDENTIAL_REVEAL,
        CREDENTIAL_COPY,
        CREDENTIAL_DELETE,
        CONTACT_SAVE,
        CONTACT_DELETE,
        PASTE_SCAN,
        LINK_OPEN,
        DKIM_SELECTORS_READ,
        CHECKS_RUN,
        RUNS_LIST,
        RUN_GET,
        REPORT_PREVIEW,
        REPORT_EXPORT,
        REPORT_OPEN,
        HISTORY_GET,
        DIFF_GET,
        SCHEDULE_SET,
        RECHECK_NOW,
        RETENTION_SET,
        AUTOSTART_GET,
        AUTOSTART_SET,
        SECRETS_GET,
        SECRETS_SCAN,
        LOGS_SCAN,
        SECRET_IGNORE,
        SECRET_UNIGNORE,
        EVAL_GET,
        EVAL_SAVE,
        EVAL_IMPORT,
        EVAL_RUN,
        EVAL_CANARY,
        EVAL_EXPORT,
        DEMO_START,
        DEMO_REMOVE,
    ];
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_name_is_listed_once() {
        for name in super::command::ALL {
            let times = super::command::ALL.iter().filter(|n| *n == name).count();
            assert_eq!(times, 1, "{name}");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}"
            );
        }
    }
}
