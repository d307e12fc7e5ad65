//! Who owns each account a product depends on, the people to alert, and the
//! credentials kept for them. Secrets themselves live only in the OS
//! keychain; these types carry what is known *about* them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::app::KeychainStatus;

/// A secret value in transit (typed in, pasted, or revealed on request).
///
/// Its `Debug` never shows the value and its memory is wiped on drop. It is
/// serialisable only because it must cross the IPC boundary twice: when the
/// user stores it and when they explicitly reveal it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretText(String);

impl SecretText {
    /// Wraps a value.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The value itself; call only to hand it to the keychain or the clipboard.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(redacted)")
    }
}

impl Drop for SecretText {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// What an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// Domain registrar and DNS.
    Dns,
    /// Cloudflare or another CDN / proxy.
    Cdn,
    /// Where the app runs.
    Hosting,
    /// The email sending provider.
    Email,
    /// Uptime monitoring and alerting.
    Monitoring,
    /// Error tracking.
    ErrorTracking,
    /// The model (LLM) API provider.
    ModelApi,
    /// The database service.
    Database,
    /// The source repository.
    SourceRepo,
    /// Anything else.
    Other,
}

impl ServiceKind {
    /// Every kind, in page order.
    pub const ALL: [ServiceKind; 10] = [
        ServiceKind::Dns,
        ServiceKind::Cdn,
        ServiceKind::Hosting,
        ServiceKind::Email,
        ServiceKind::Monitoring,
        ServiceKind::ErrorTracking,
        ServiceKind::ModelApi,
        ServiceKind::Database,
        ServiceKind::SourceRepo,
        ServiceKind::Other,
    ];

    /// The kinds every product must have an owned account for.
    pub const REQUIRED: [ServiceKind; 5] = [
        ServiceKind::Dns,
        ServiceKind::Cdn,
        ServiceKind::Hosting,
        ServiceKind::Email,
        ServiceKind::Monitoring,
    ];

    /// The wire name, e.g. `error_tracking`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Dns => "dns",
            ServiceKind::Cdn => "cdn",
            ServiceKind::Hosting => "hosting",
            ServiceKind::Email => "email",
            ServiceKind::Monitoring => "monitoring",
            ServiceKind::ErrorTracking => "error_tracking",
            ServiceKind::ModelApi => "model_api",
            ServiceKind::Database => "database",
            ServiceKind::SourceRepo => "source_repo",
            ServiceKind::Other => "other",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            ServiceKind::Dns => "Domain registrar / DNS",
            ServiceKind::Cdn => "Cloudflare / CDN",
            ServiceKind::Hosting => "Hosting",
            ServiceKind::Email => "Email provider",
            ServiceKind::Monitoring => "Uptime monitoring",
            ServiceKind::ErrorTracking => "Error tracking",
            ServiceKind::ModelApi => "Model API provider",
            ServiceKind::Database => "Database",
            ServiceKind::SourceRepo => "Source repository",
            ServiceKind::Other => "Other",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// How the account's sign-in is protected beyond the password.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoFactor {
    /// Not recorded yet.
    #[default]
    Unknown,
    /// No second factor.
    None,
    /// An authenticator app (TOTP).
    Totp,
    /// A hardware security key or passkey.
    SecurityKey,
    /// Codes by SMS.
    Sms,
    /// Codes by email.
    Email,
    /// Single sign-on through another provider.
    Sso,
}

impl TwoFactor {
    /// Every method, in form order.
    pub const ALL: [TwoFactor; 7] = [
        TwoFactor::Unknown,
        TwoFactor::None,
        TwoFactor::Totp,
        TwoFactor::SecurityKey,
        TwoFactor::Sms,
        TwoFactor::Email,
        TwoFactor::Sso,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TwoFactor::Unknown => "unknown",
            TwoFactor::None => "none",
            TwoFactor::Totp => "totp",
            TwoFactor::SecurityKey => "security_key",
            TwoFactor::Sms => "sms",
            TwoFactor::Email => "email",
            TwoFactor::Sso => "sso",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            TwoFactor::Unknown => "Not recorded",
            TwoFactor::None => "None",
            TwoFactor::Totp => "Authenticator app",
            TwoFactor::SecurityKey => "Security key / passkey",
            TwoFactor::Sms => "SMS",
            TwoFactor::Email => "Email code",
            TwoFactor::Sso => "Single sign-on",
        }
    }
}

/// A person responsible for something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
}

/// What the user records about an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountSpec {
    /// What the account is for.
    pub kind: ServiceKind,
    /// The provider, e.g. `Cloudflare`, `Hetzner`.
    pub provider: String,
    /// Where to sign in (`https://…`).
    pub login_url: String,
    /// Account id or user name used to sign in.
    pub username: String,
    /// Who owns it.
    pub owner: Person,
    /// Who can step in.
    pub backup_owner: Person,
    /// Second factor.
    pub two_factor: TwoFactor,
    /// Where the recovery codes are kept (a place, never the codes).
    pub recovery_codes_at: String,
    /// Who pays for it.
    pub billing_owner: String,
    /// When someone last signed in and checked access, `YYYY-MM-DD`; empty if never.
    pub last_verified: String,
    /// When its credentials were last rotated, `YYYY-MM-DD`; empty if never.
    pub last_rotated: String,
    /// Free notes.
    pub notes: String,
}

impl Default for AccountSpec {
    fn default() -> Self {
        Self {
            kind: ServiceKind::Other,
            provider: String::new(),
            login_url: String::new(),
            username: String::new(),
            owner: Person::default(),
            backup_owner: Person::default(),
            two_factor: TwoFactor::Unknown,
            recovery_codes_at: String::new(),
            billing_owner: String::new(),
            last_verified: String::new(),
            last_rotated: String::new(),
            notes: String::new(),
        }
    }
}

/// What a stored secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A sign-in password.
    Password,
    /// An API key or token.
    ApiKey,
    /// Two-factor recovery codes.
    RecoveryCodes,
    /// Anything else secret.
    Other,
}

impl CredentialKind {
    /// Every kind, in form order.
    pub const ALL: [CredentialKind; 4] = [
        CredentialKind::Password,
        CredentialKind::ApiKey,
        CredentialKind::RecoveryCodes,
        CredentialKind::Other,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::Password => "password",
            CredentialKind::ApiKey => "api_key",
            CredentialKind::RecoveryCodes => "recovery_codes",
            CredentialKind::Other => "other",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            CredentialKind::Password => "Password",
            CredentialKind::ApiKey => "API key",
            CredentialKind::RecoveryCodes => "Recovery codes",
            CredentialKind::Other => "Secret",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What is known about a secret kept in the keychain (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    /// Database id.
    pub id: i64,
    /// The account it belongs to.
    pub account_id: i64,
    /// What it is.
    pub kind: CredentialKind,
    /// A short label, e.g. `root password`, `deploy token`.
    pub label: String,
    /// When it was first stored, ms since the epoch.
    pub created_ms: i64,
    /// When its value last changed, ms since the epoch.
    pub changed_ms: i64,
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Database id.
    pub id: i64,
    /// The project it belongs to.
    pub project_id: i64,
    /// What was recorded.
    pub spec: AccountSpec,
    /// Secrets kept in the keychain for it.
    pub credentials: Vec<Credential>,
    /// Creation time, ms since the epoch.
    pub created_ms: i64,
    /// Last edit, ms since the epoch.
    pub updated_ms: i64,
}

/// Someone to alert when the product breaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactSpec {
    /// Full name.
    pub name: String,
    /// Role, e.g. `on-call engineer`.
    pub role: String,
    /// Email address.
    pub email: String,
    /// Channels alerts reach them on, e.g. `email`, `sms`, `slack #ops`.
    pub channels: Vec<String>,
    /// When an alert was last confirmed to reach them, `YYYY-MM-DD`; empty if never.
    pub verified: String,
}

/// A stored alert contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Database id.
    pub id: i64,
    /// The project it belongs to.
    pub project_id: i64,
    /// What was recorded.
    pub spec: ContactSpec,
}

/// How serious a handover finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingLevel {
    /// Blocks launch, like a checklist blocker.
    Blocker,
    /// Likely to hurt soon.
    High,
    /// Something to keep an eye on this week.
    Watch,
}

/// A gap in ownership, contacts or credential hygiene.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoverFinding {
    /// Stable code, e.g. `owner-missing`, `no-verified-contact`, `rotation-due`.
    pub code: String,
    /// How serious it is.
    pub level: FindingLevel,
    /// One line for people.
    pub title: String,
    /// What to do about it.
    pub detail: String,
    /// The service kind concerned, if any.
    pub kind: Option<ServiceKind>,
    /// The account concerned, if any.
    pub account_id: Option<i64>,
}

/// `accounts_get`: a project's accounts, contacts, gaps and keychain state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsGetRequest {
    /// Project id.
    pub project_id: i64,
}

/// Answer to `accounts_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    /// Accounts, by kind then provider.
    pub accounts: Vec<Account>,
    /// Alert contacts, by name.
    pub contacts: Vec<Contact>,
    /// Gaps, most serious first.
    pub findings: Vec<HandoverFinding>,
    /// One group per service kind, in [`ServiceKind::ALL`] order, with its gap.
    #[serde(default)]
    pub groups: Vec<crate::KindGroup>,
    /// The first required kind with a gap: what "Add account" proposes.
    #[serde(default)]
    pub first_gap: Option<ServiceKind>,
    /// Whether the keychain can take and give credentials right now.
    pub keychain: KeychainStatus,
}

/// `account_save`: creates (no id) or replaces an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSaveRequest {
    /// Project id.
    pub project_id: i64,
    /// Existing account, or `None` to create.
    pub id: Option<i64>,
    /// The form.
    pub spec: AccountSpec,
}

/// `account_delete`: removes an account and every keychain entry it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeleteRequest {
    /// Account id.
    pub id: i64,
}

/// `credential_save`: stores a secret in the keychain (new, or replacing one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialSaveRequest {
    /// The account it belongs to.
    pub account_id: i64,
    /// An existing credential to replace (rotate), or `None` for a new one.
    pub credential_id: Option<i64>,
    /// What it is.
    pub kind: CredentialKind,
    /// A short label.
    pub label: String,
    /// The secret.
    pub secret: SecretText,
}

/// `credential_reveal` / `credential_copy` / `credential_delete`: one credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialRequest {
    /// Credential id.
    pub credential_id: i64,
}

/// Answer to `credential_reveal`: the one response that carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    /// The secret, read from the keychain just now.
    pub secret: SecretText,
}

/// Answer to `credential_copy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copied {
    /// Seconds until the clipboard is cleared (if it still holds the secret).
    pub clears_after_s: u32,
}

/// `contact_save`: creates (no id) or replaces an alert contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSaveRequest {
    /// Project id.
    pub project_id: i64,
    /// Existing contact, or `None` to create.
    pub id: Option<i64>,
    /// The form.
    pub spec: ContactSpec,
}

/// `contact_delete`: removes an alert contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDeleteRequest {
    /// Contact id.
    pub id: i64,
}

/// `paste_scan`: finds credential-looking values in pasted text. Nothing is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteScanRequest {
    /// The pasted text.
    pub text: SecretText,
}

/// A credential-looking value found in pasted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteCandidate {
    /// Byte offset where the value starts in the pasted text (UTF-8).
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// The kind it most likely is.
    pub kind: CredentialKind,
    /// Why it looks secret, e.g. `AWS access key id`, `follows "password:"`.
    pub reason: String,
    /// A masked preview such as `sk-l…9Qx (51 chars)`.
    pub masked: String,
    /// A label suggested from the surrounding text, e.g. `password`.
    pub suggested_label: String,
}

/// Answer to `paste_scan`: positions only, so the value never comes back over IPC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteScan {
    /// Candidates in text order.
    pub candidates: Vec<PasteCandidate>,
}
