//! A project: one product being prepared for launch, described once and
//! reused by the audit, the live checks and the handover report.

use serde::{Deserialize, Serialize};

/// A stored project: its id, what the user described, and when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Database id, stable for the life of the project.
    pub id: i64,
    /// Everything the user described (already validated and normalised).
    pub spec: ProjectSpec,
    /// Creation time, milliseconds since the Unix epoch (UTC).
    pub created_ms: i64,
    /// Last edit time, milliseconds since the Unix epoch (UTC).
    pub updated_ms: i64,
    /// Whether this is the demo product's project (`demo_start` made it).
    #[serde(default)]
    pub demo: bool,
}

/// The description of a product, as entered on the project form.
///
/// Every field has a default so older stored projects keep loading when a
/// field is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectSpec {
    /// Display name, unique among projects (case-insensitive).
    pub name: String,
    /// One or two sentences about the product.
    pub description: String,
    /// The registrable domain, e.g. `example.com` (stored in ASCII/punycode).
    pub apex: String,
    /// Named hosts under the apex, e.g. `app`, `api`.
    pub subdomains: Vec<Subdomain>,
    /// Where each environment is served.
    pub environments: Vec<Environment>,
    /// The requests that matter most to users.
    pub endpoints: Vec<Endpoint>,
    /// Origins the API must accept in CORS, e.g. `https://app.example.com`.
    pub cors_origins: Vec<String>,
    /// Old addresses that must keep working by redirecting to their new place.
    pub legacy_urls: Vec<LegacyUrl>,
    /// The domain mail is sent from and its DKIM selectors.
    pub email: EmailSetup,
    /// Latency targets (95th percentile) per endpoint role.
    pub latency_targets: Vec<LatencyTarget>,
    /// The smoke sequence run after a deploy, in order; empty means the
    /// default sequence (homepage, login, chat, API health, webhook — for
    /// the roles the project has endpoints for).
    pub smoke_steps: Vec<SmokeStep>,
    /// The optional cross-tenant probe (one team's credential asking for
    /// another team's resource).
    pub tenant_probe: Option<crate::TenantProbe>,
    /// What makes the chat's model call fail on purpose; `None` uses the
    /// `x-handover-fault: model-timeout` convention.
    pub chat_failure: Option<crate::FailureTrigger>,
    /// Local path of the source repository, for secret scanning.
    pub repo_path: String,
    /// Local path of the build output (the bundle that ships to browsers).
    pub build_output: String,
    /// DNS server (`ip[:port]`) for internal or split-horizon setups; empty for the system resolver.
    pub dns_server: String,
    /// An extra CA certificate file (PEM) trusted alongside the system roots.
    pub ca_file: String,
    /// Free notes.
    pub notes: String,
    /// The chatbot's evaluation set and how to reach the chat endpoint.
    #[serde(skip_serializing_if = "crate::EvalSetup::is_default")]
    pub eval: crate::EvalSetup,
    /// Non-standard ports, for internal setups and test beds.
    #[serde(skip_serializing_if = "Ports::is_default")]
    pub ports: Ports,
}

/// Ports other than the standard ones (0 keeps the standard port). The
/// HTTPS port comes from the production base URL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ports {
    /// Plain HTTP (80), where the redirect to HTTPS is probed.
    pub http: u16,
    /// SMTP on the mail hosts (25), where STARTTLS is probed.
    pub smtp: u16,
}

impl Ports {
    /// Whether every port is the standard one.
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for ProjectSpec {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            apex: String::new(),
            subdomains: Vec::new(),
            environments: Vec::new(),
            endpoints: Vec::new(),
            cors_origins: Vec::new(),
            legacy_urls: Vec::new(),
            email: EmailSetup::default(),
            latency_targets: LatencyTarget::defaults(),
            smoke_steps: Vec::new(),
            tenant_probe: None,
            chat_failure: None,
            repo_path: String::new(),
            build_output: String::new(),
            dns_server: String::new(),
            ca_file: String::new(),
            notes: String::new(),
            eval: crate::EvalSetup::default(),
            ports: Ports::default(),
        }
    }
}

/// What a subdomain is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubdomainPurpose {
    /// The signed-in product.
    App,
    /// The API the product calls.
    Api,
    /// Documentation.
    Docs,
    /// The public status page.
    Status,
    /// Anything else; the label says what.
    Custom,
}

impl SubdomainPurpose {
    /// Every purpose, in form order.
    pub const ALL: [SubdomainPurpose; 5] = [
        SubdomainPurpose::App,
        SubdomainPurpose::Api,
        SubdomainPurpose::Docs,
        SubdomainPurpose::Status,
        SubdomainPurpose::Custom,
    ];

    /// The wire name, e.g. `api`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubdomainPurpose::App => "app",
            SubdomainPurpose::Api => "api",
            SubdomainPurpose::Docs => "docs",
            SubdomainPurpose::Status => "status",
            SubdomainPurpose::Custom => "custom",
        }
    }
}

/// A host under the apex domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subdomain {
    /// The label(s) left of the apex, e.g. `api` or `eu.api`.
    pub label: String,
    /// What it serves.
    pub purpose: SubdomainPurpose,
}

/// Which environment a base URL belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvironmentKind {
    /// What customers use.
    Production,
    /// The rehearsal copy.
    Staging,
}

impl EnvironmentKind {
    /// Both kinds, production first.
    pub const ALL: [EnvironmentKind; 2] = [EnvironmentKind::Production, EnvironmentKind::Staging];

    /// The wire name, e.g. `staging`.
    pub fn as_str(self) -> &'static str {
        match self {
            EnvironmentKind::Production => "production",
            EnvironmentKind::Staging => "staging",
        }
    }
}

/// One deployed environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    /// Production or staging.
    pub kind: EnvironmentKind,
    /// `http(s)://host[:port]` the endpoints' paths are relative to.
    pub base_url: String,
    /// Local path of this environment's env file (for parity checks); may be empty.
    #[serde(default)]
    pub env_file: String,
}

/// What an endpoint does for the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointRole {
    /// The public landing page.
    Homepage,
    /// Sign-in.
    Login,
    /// Sending a chat message to the assistant.
    Chat,
    /// The API's health probe.
    ApiHealth,
    /// An incoming webhook.
    Webhook,
    /// The signed-in dashboard.
    Dashboard,
    /// The admin area.
    Admin,
}

impl EndpointRole {
    /// Every role, in form order.
    pub const ALL: [EndpointRole; 7] = [
        EndpointRole::Homepage,
        EndpointRole::Login,
        EndpointRole::Chat,
        EndpointRole::ApiHealth,
        EndpointRole::Webhook,
        EndpointRole::Dashboard,
        EndpointRole::Admin,
    ];

    /// The wire name, e.g. `api_health`.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointRole::Homepage => "homepage",
            EndpointRole::Login => "login",
            EndpointRole::Chat => "chat",
            EndpointRole::ApiHealth => "api_health",
            EndpointRole::Webhook => "webhook",
            EndpointRole::Dashboard => "dashboard",
            EndpointRole::Admin => "admin",
        }
    }

    /// A label for people, e.g. `API health`.
    pub fn label(self) -> &'static str {
        match self {
            EndpointRole::Homepage => "Homepage",
            EndpointRole::Login => "Login",
            EndpointRole::Chat => "Chat send",
            EndpointRole::ApiHealth => "API health",
            EndpointRole::Webhook => "Webhook",
            EndpointRole::Dashboard => "Dashboard",
            EndpointRole::Admin => "Admin",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// HTTP methods an endpoint may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// HEAD
    Head,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
}

impl Method {
    /// Every method, in form order.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Options,
    ];

    /// The method as sent on the wire, e.g. `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }
}

/// A request header sent with an endpoint probe. Credentials never go here:
/// they belong in the keychain (Accounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Header name, e.g. `Content-Type`.
    pub name: String,
    /// Header value.
    pub value: String,
}

/// A request that matters to users, probed by the live checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// What it does.
    pub role: EndpointRole,
    /// HTTP method.
    pub method: Method,
    /// Path (with optional query) relative to each environment's base URL; starts with `/`.
    pub path: String,
    /// Request body, if any (e.g. a JSON chat message).
    #[serde(default)]
    pub body: String,
    /// Extra request headers.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// The status a healthy response has, e.g. 200.
    pub expected_status: u16,
    /// The credential a signed-in request carries (kept in the keychain);
    /// `None` for a public endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<crate::EndpointAuth>,
}

/// An old address and where it must redirect now. Each side is a path on
/// the apex (`/pricing-2024`) or a full `http(s)` URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyUrl {
    /// The old address.
    pub from: String,
    /// Where it must end up.
    pub to: String,
}

/// Outgoing mail: the sending domain and its DKIM selectors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailSetup {
    /// The domain in the From address; empty when the product sends no mail.
    pub sending_domain: String,
    /// DKIM selectors, e.g. `google`, `s1`.
    pub dkim_selectors: Vec<String>,
}

/// The 95th-percentile latency an endpoint role must stay under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyTarget {
    /// The role the target applies to.
    pub role: EndpointRole,
    /// The target in milliseconds.
    pub p95_ms: u32,
}

impl LatencyTarget {
    /// The defaults: chat 2500 ms, sign-in 800 ms, dashboard 1500 ms.
    pub fn defaults() -> Vec<LatencyTarget> {
        vec![
            LatencyTarget {
                role: EndpointRole::Chat,
                p95_ms: 2500,
            },
            LatencyTarget {
                role: EndpointRole::Login,
                p95_ms: 800,
            },
            LatencyTarget {
                role: EndpointRole::Dashboard,
                p95_ms: 1500,
            },
        ]
    }
}

/// One step of the smoke sequence: a request to the project's endpoint for
/// `role` (its method, body and headers as configured), sent once, and what
/// its answer must show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmokeStep {
    /// What the step is called in reports (e.g. `chat`); empty uses the role.
    #[serde(default)]
    pub name: String,
    /// The endpoint the step requests (the first endpoint with this role).
    pub role: EndpointRole,
    /// The status the answer must have; `None` uses the endpoint's expected status.
    #[serde(default)]
    pub expect_status: Option<u16>,
    /// Texts the answer's body must each contain (case-sensitive).
    #[serde(default)]
    pub body_contains: Vec<String>,
    /// A JSON Pointer (RFC 6901, e.g. `/data/id`) that must be present in
    /// the answer, which must then be JSON; empty only requires JSON, and
    /// `None` checks nothing.
    #[serde(default)]
    pub json_pointer: Option<String>,
    /// The most milliseconds the whole answer may take; `None` sets no limit.
    #[serde(default)]
    pub max_ms: Option<u32>,
}

impl SmokeStep {
    /// A step for `role` named after it, with no expectation beyond the
    /// endpoint's expected status.
    pub fn for_role(role: EndpointRole) -> Self {
        Self {
            name: role.as_str().to_string(),
            role,
            expect_status: None,
            body_contains: Vec::new(),
            json_pointer: None,
            max_ms: None,
        }
    }

    /// The name shown in reports: the step's name, or its role's wire name.
    pub fn display_name(&self) -> &str {
        let name = self.name.trim();
        if name.is_empty() {
            self.role.as_str()
        } else {
            name
        }
    }
}

/// A list entry on the Projects page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    /// Project id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Apex domain (Unicode form for display).
    pub apex: String,
    /// Last edit or audit change, ms since the epoch.
    pub updated_ms: i64,
    /// Items decided (pass, waived, not applicable) out of all items.
    pub done: u32,
    /// All checklist items.
    pub total: u32,
    /// Open items whose risk is `blocker`.
    pub open_blockers: u32,
    /// Whether this is the demo product's project.
    #[serde(default)]
    pub demo: bool,
}

/// One problem with one field of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `apex`, `subdomains.1.label`, `endpoints.0.path`.
    pub field: String,
    /// What is wrong, as a sentence.
    pub message: String,
}

/// `project_list`: every project, most recently changed first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectListRequest {}

/// `project_get`: one project by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectGetRequest {
    /// Project id.
    pub id: i64,
}

/// `project_validate`: checks a form without saving it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectValidateRequest {
    /// The project being edited, if it exists (so its own name is not a duplicate).
    pub id: Option<i64>,
    /// The form's contents.
    pub spec: ProjectSpec,
}

/// Answer to `project_validate`: every problem found, empty when the form is fine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// Problems, in form order.
    pub errors: Vec<FieldError>,
}

/// `project_save`: creates (no id) or replaces (with id) a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSaveRequest {
    /// Existing project to update; `None` creates one.
    pub id: Option<i64>,
    /// The form's contents.
    pub spec: ProjectSpec,
}

/// `project_delete`: removes a project with its audit state and history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDeleteRequest {
    /// Project id.
    pub id: i64,
}

/// An empty answer for commands that only confirm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_project_without_smoke_steps_still_loads() {
        let spec: ProjectSpec =
            serde_json::from_str(r#"{"name": "Opsbot", "apex": "example.com"}"#).unwrap();
        assert!(spec.smoke_steps.is_empty());
        assert_eq!(spec.latency_targets, LatencyTarget::defaults());
    }

    #[test]
    fn a_smoke_step_needs_only_its_role() {
        let step: SmokeStep = serde_json::from_str(r#"{"role": "api_health"}"#).unwrap();
        assert_eq!(
            step,
            SmokeStep {
                name: String::new(),
                ..SmokeStep::for_role(EndpointRole::ApiHealth)
            }
        );
        assert_eq!(step.display_name(), "api_health");
        let back = serde_json::to_value(&step).unwrap();
        assert_eq!(
            back,
            serde_json::json!({
                "name": "",
                "role": "api_health",
                "expect_status": null,
                "body_contains": [],
                "json_pointer": null,
                "max_ms": null
            })
        );
    }
}

/// `dkim_selectors_read`: the DKIM selectors a real message names, read
/// from its pasted headers (`DKIM-Signature: d=… s=…`). Nothing is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimHeadersRequest {
    /// The message's headers as pasted (folded lines are fine).
    pub headers: String,
}

/// One `DKIM-Signature` of a pasted message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSignatureRef {
    /// The signing domain (`d=`).
    pub domain: String,
    /// The selector (`s=`).
    pub selector: String,
}

/// Answer to `dkim_selectors_read`: each signature, in the message's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimSelectorsFound {
    /// The signatures found (none when the headers hold no DKIM-Signature).
    pub signatures: Vec<DkimSignatureRef>,
}
