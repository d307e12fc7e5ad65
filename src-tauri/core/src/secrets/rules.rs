//! Our curated rules: provider token formats, written from the providers'
//! documented shapes, plus a generic high-entropy assignment rule.
//!
//! Choices worth knowing:
//! - Stripe test keys (`sk_test_`) are not reported: they reach no live
//!   data or money and Stripe's own docs are full of them; publishable keys
//!   (`pk_live_`, `pk_test_`) are public by design.
//! - An encrypted PEM key (`ENCRYPTED PRIVATE KEY`, or `Proc-Type:
//!   4,ENCRYPTED`) is its own rule, `private-key-encrypted`: still worth
//!   moving out (passphrases are guessable and often sit next to it), but
//!   the caller can rank it below a plain key.
//! - Supabase: only the service-role key (a JWT whose payload says
//!   `"role":"service_role"`, or a new `sb_secret_` key); the anon key is
//!   public by design.
//! - Database URLs: passwords that are placeholders or local defaults
//!   (`password`, `postgres`, `guest`, `${…}`, the user name again …) are
//!   not reported.
//! - Generic assignments (a name with `secret`, `token`, `api_key`,
//!   `password`, `private_key`, `credential` … assigned 16–256 chars): the
//!   value needs 3.5 bits/char of Shannon entropy (random hex of 40 chars
//!   has about 3.7, base64 about 4.5+), or 3.0 for a hex value of 32+
//!   chars (hex tops out at 4.0; UUIDs and hex tokens under a secret's
//!   name are reported, a UUID elsewhere never is). Not reported: values
//!   that name or read something else (`process.env.X`, `${X}`, `$X`,
//!   `os.environ`, `a.b.c`, `a::b`, `arn:…`), paths, URLs, words and
//!   identifiers (no digit or symbol, or single-case `SNAKE_CASE`), an
//!   unquoted value followed by `=`, `,`, `;`, `)` … (a type annotation or
//!   a variable passed on), one repeated char, and names that end in
//!   `_id`, `_name`, `_url`, `_path`, `_type`, `_hash` ….
//! - Stopwords anywhere in a secret mark an example: `example`,
//!   `xxxxxxxx`, `your_`, `changeme`, `placeholder`, `dummy`, `redacted`,
//!   `<`, `>`, `${`, `{{`, `****`, `…` (AWS's `AKIAIOSFODNN7EXAMPLE`).
//! - A PEM block needs 64+ base64 chars of high-entropy body (not
//!   `\nXXXX\n`).

/// What a rule checks beyond its regex and entropy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Nothing more.
    None,
    /// The value of an assignment: not a variable reference, function
    /// call, path, URL, plain word or identifier.
    Value,
    /// A database URL: the password (capture group 3; the user is 2) is no
    /// placeholder.
    DbPassword,
    /// A JWT must carry `"role":"service_role"` (other values pass as is).
    SupabaseServiceRole,
    /// A PEM block that is not encrypted.
    PlainPem,
}

/// One rule: how a kind of secret looks and what to do about it.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id, e.g. `openai-api-key` (fingerprints are keyed by it).
    pub id: &'static str,
    /// What it finds, for people.
    pub title: &'static str,
    /// Lowercase literals, one of which must occur near a match (the
    /// Aho-Corasick prefilter, ASCII case-insensitive); empty: always run.
    pub keywords: &'static [&'static str],
    /// The regex.
    pub pattern: &'static str,
    /// The capture group holding the secret; 0 is the whole match.
    pub secret_group: usize,
    /// Minimum Shannon entropy of the secret, in bits per char.
    pub min_entropy: Option<f64>,
    /// What to do about a finding.
    pub remedy: &'static str,
    /// Checks beyond the regex.
    pub check: Check,
}

/// The generic rule's id: it yields to every specific rule on overlap.
pub const GENERIC: &str = "generic-secret";

/// An assignment's separator: `=`, `:`, `:=`, `=>`, an optional type
/// annotation (`: &str =`, `: string =`), quotes around the name or value.
macro_rules! assign {
    () => {
        r#"["']?[ \t]*(?::[ \t]*&?(?:'static[ \t]+)?[A-Za-z]+[ \t]*)?(?::=|=>|=|:)[ \t]*[\\]?["'`]?"#
    };
}

/// A PEM block's body: base64, whitespace, `\n` escapes, and the quotes,
/// commas and `+` of a string split across source lines.
macro_rules! pem_body {
    () => {
        r#"(?:[A-Za-z0-9+/=\s"',]|\\[nr])+?"#
    };
}

const ROTATE: &str = "Rotate the key at the provider now, then move it to server-side environment \
variables or a secret manager; never commit it or ship it to browsers.";

#[path = "rules_keys.rs"]
mod keys;

/// Our built-in rules.
pub fn builtin() -> &'static [Rule] {
    &BUILTIN
}

static BUILTIN: std::sync::LazyLock<Vec<Rule>> =
    std::sync::LazyLock::new(|| PROVIDERS.iter().chain(keys::KEYS).cloned().collect());

/// Rules for providers' token formats.
static PROVIDERS: &[Rule] = &[
    Rule {
        id: "openai-api-key",
        title: "OpenAI API key",
        keywords: &["sk-"],
        pattern: r"(?:^|[^A-Za-z0-9_-])(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
        secret_group: 1,
        min_entropy: Some(3.5),
        remedy:
            "Revoke the key in the OpenAI dashboard (API keys), create a new one and call OpenAI \
only from your server.",
        check: Check::None,
    },
    Rule {
        id: "anthropic-api-key",
        title: "Anthropic API key",
        keywords: &["sk-ant-"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{32,})",
        secret_group: 1,
        min_entropy: Some(3.5),
        remedy: "Delete the key in the Anthropic Console, create a new one and call the API only \
from your server.",
        check: Check::None,
    },
    Rule {
        id: "aws-access-key-id",
        title: "AWS access key ID",
        keywords: &["akia", "asia", "abia", "acca"],
        pattern: r"(?:^|[^A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?:[^A-Za-z0-9]|$)",
        secret_group: 1,
        min_entropy: Some(2.5),
        remedy: "Deactivate and delete the access key in IAM, check CloudTrail for its use, and \
prefer short-lived role credentials.",
        check: Check::None,
    },
    Rule {
        id: "aws-secret-access-key",
        title: "AWS secret access key",
        keywords: &[
            "secret_access_key",
            "secretaccesskey",
            "secret-access-key",
            "aws_secret",
            "awssecret",
        ],
        pattern: concat!(
            r"(?i:secret[_.-]?access[_.-]?key|aws[_.-]?secret(?:[_.-]?key)?)[\w.-]*",
            assign!(),
            r"([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"
        ),
        secret_group: 1,
        min_entropy: Some(3.5),
        remedy: "Deactivate and delete the access key pair in IAM, check CloudTrail for its use, \
and prefer short-lived role credentials.",
        check: Check::None,
    },
    Rule {
        id: "gcp-service-account",
        title: "Google Cloud service-account key",
        keywords: &["service_account"],
        pattern: concat!(
            r#"\\?"type\\?"\s*:\s*\\?"service_account\\?"[^{}]*?\\?"private_key\\?"\s*:\s*\\?""#,
            r"(-----BEGIN PRIVATE KEY-----",
            pem_body!(),
            r"-----END PRIVATE KEY-----(?:\\n)?)"
        ),
        secret_group: 1,
        min_entropy: None,
        remedy:
            "Delete the key in IAM & Admin → Service accounts → Keys, create a new one only if \
needed, and prefer workload identity over key files.",
        check: Check::None,
    },
    Rule {
        id: "google-api-key",
        title: "Google API key",
        keywords: &["aiza"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(AIza[0-9A-Za-z_-]{35})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Restrict the key to your apps and APIs in Google Cloud (Credentials), or \
regenerate it; a Firebase web key is public but must be restricted.",
        check: Check::None,
    },
    Rule {
        id: "azure-storage-key",
        title: "Azure storage account key",
        keywords: &["accountkey", "sharedaccesskey"],
        pattern: r"(?i:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{43,86}={0,2})",
        secret_group: 1,
        min_entropy: Some(4.0),
        remedy: "Rotate the account key in the Azure portal (Access keys) and use managed \
identities or SAS tokens with short expiry.",
        check: Check::None,
    },
    Rule {
        id: "stripe-secret-key",
        title: "Stripe live secret key",
        keywords: &["sk_live_"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(sk_live_[0-9A-Za-z]{24,})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Roll the key in the Stripe Dashboard (Developers → API keys) and keep it on the \
server only.",
        check: Check::None,
    },
    Rule {
        id: "stripe-restricted-key",
        title: "Stripe live restricted key",
        keywords: &["rk_live_"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(rk_live_[0-9A-Za-z]{24,})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Roll the restricted key in the Stripe Dashboard and keep it on the server only.",
        check: Check::None,
    },
    Rule {
        id: "github-token",
        title: "GitHub token",
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        pattern: r"(?:^|[^A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,251})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Revoke the token in GitHub settings (Developer settings → tokens) or the app's \
installation, and use a fine-grained token with the least scope.",
        check: Check::None,
    },
    Rule {
        id: "github-fine-grained-token",
        title: "GitHub fine-grained personal access token",
        keywords: &["github_pat_"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(github_pat_[A-Za-z0-9_]{80,})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Revoke the token in GitHub settings (Developer settings → Fine-grained tokens).",
        check: Check::None,
    },
    Rule {
        id: "gitlab-token",
        title: "GitLab personal access token",
        keywords: &["glpat-"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(glpat-[A-Za-z0-9_-]{20,})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Revoke the token in GitLab (User settings → Access tokens).",
        check: Check::None,
    },
    Rule {
        id: "slack-token",
        title: "Slack token",
        keywords: &["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-"],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(xox[abprs]-[0-9]{6,}-[0-9A-Za-z-]{8,}|xapp-[0-9]-[A-Z0-9]{6,}-[0-9]{6,}-[A-Za-z0-9]{20,})",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Revoke the token in the Slack app's settings (OAuth & Permissions) and reinstall \
the app.",
        check: Check::None,
    },
    Rule {
        id: "slack-webhook",
        title: "Slack incoming webhook",
        keywords: &["hooks.slack.com"],
        pattern: r"(https://hooks\.slack\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,})",
        secret_group: 1,
        min_entropy: None,
        remedy: "Remove the webhook in the Slack app's settings (Incoming Webhooks) and create a \
new one kept server-side.",
        check: Check::None,
    },
    Rule {
        id: "discord-webhook",
        title: "Discord webhook",
        keywords: &["/api/webhooks/"],
        pattern: r"(https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/webhooks/[0-9]{15,21}/[A-Za-z0-9_-]{50,})",
        secret_group: 1,
        min_entropy: None,
        remedy: "Delete the webhook in the channel's settings (Integrations) and create a new one \
kept server-side.",
        check: Check::None,
    },
    Rule {
        id: "twilio-api-key",
        title: "Twilio API key",
        keywords: &["twilio"],
        pattern: r"(?:^|[^A-Za-z0-9])(SK[0-9a-f]{32})(?:[^A-Za-z0-9]|$)",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy:
            "Delete the API key in the Twilio Console (API keys & tokens) and create a new one.",
        check: Check::None,
    },
    Rule {
        id: "twilio-auth-token",
        title: "Twilio auth token",
        keywords: &["twilio"],
        pattern: concat!(
            r"(?i:(?:twilio[\w.-]*?(?:auth[_.-]?token|token|secret))|auth[_.-]?token)[\w.-]*",
            assign!(),
            r"([0-9a-f]{32})(?:[^A-Za-z0-9]|$)"
        ),
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy:
            "Rotate the auth token in the Twilio Console (promote the secondary token) and use \
API keys on servers.",
        check: Check::None,
    },
    Rule {
        id: "sendgrid-api-key",
        title: "SendGrid API key",
        keywords: &["sg."],
        pattern: r"(?:^|[^A-Za-z0-9_/+-])(SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{40,50})",
        secret_group: 1,
        min_entropy: Some(3.5),
        remedy: "Delete the key in SendGrid (Settings → API Keys) and create one with restricted \
access.",
        check: Check::None,
    },
    Rule {
        id: "mailgun-api-key",
        title: "Mailgun API key",
        keywords: &["key-", "mailgun"],
        pattern: r"(?:^|[^A-Za-z0-9_-])(key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?:[^A-Za-z0-9_-]|$)",
        secret_group: 1,
        min_entropy: Some(3.0),
        remedy: "Rotate the key in Mailgun (API Security) and keep it on the server.",
        check: Check::None,
    },
    Rule {
        id: "postmark-server-token",
        title: "Postmark server token",
        keywords: &["postmark"],
        pattern: concat!(
            r"(?i:postmark[\w.-]*?(?:token|key|secret)|x-postmark-(?:server|account)-token)[\w.-]*",
            assign!(),
            r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
        ),
        secret_group: 1,
        min_entropy: None,
        remedy: "Reset the server token in Postmark (Server → API Tokens).",
        check: Check::None,
    },
];
