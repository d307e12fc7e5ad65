//! How probes carry a credential, and the probes that need one: a signed-in
//! endpoint, a cross-tenant request that must be refused, and the request
//! that makes the chat's model call fail on purpose.
//!
//! A project only ever names *where* a secret is kept — a credential in the
//! OS keychain (Accounts), or for headless runs an environment variable —
//! never the secret itself.

use serde::{Deserialize, Serialize};

use crate::project::Header;

/// Where a credential goes in the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    /// `Authorization: Bearer <secret>`.
    #[default]
    Bearer,
    /// A header of its own, `<name>: <secret>` (e.g. `X-Api-Key`).
    Header,
    /// A cookie, `Cookie: <name>=<secret>` (a session cookie).
    Cookie,
}

impl AuthScheme {
    /// Every scheme, in form order.
    pub const ALL: [AuthScheme; 3] = [AuthScheme::Bearer, AuthScheme::Header, AuthScheme::Cookie];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthScheme::Bearer => "bearer",
            AuthScheme::Header => "header",
            AuthScheme::Cookie => "cookie",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            AuthScheme::Bearer => "Bearer token",
            AuthScheme::Header => "Header",
            AuthScheme::Cookie => "Cookie",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the scheme needs a header or cookie name.
    pub fn needs_name(self) -> bool {
        !matches!(self, AuthScheme::Bearer)
    }
}

/// A credential sent with a probe: how it is sent and where it is kept.
/// Exactly one of `credential_id` and `env` names the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct EndpointAuth {
    /// Where the secret goes.
    pub scheme: AuthScheme,
    /// The header or cookie name (for the `header` and `cookie` schemes).
    pub name: String,
    /// A credential stored with the project's accounts (its secret is in
    /// the OS keychain).
    pub credential_id: Option<i64>,
    /// For headless runs of a project file: the environment variable
    /// holding the secret (e.g. in CI), read when the run starts.
    pub env: String,
}

impl EndpointAuth {
    /// Where the secret is kept, for people: `credential 3` or `$NAME`.
    pub fn source_label(&self) -> String {
        match self.credential_id {
            Some(id) => format!("credential {id}"),
            None => format!("${}", self.env.trim()),
        }
    }
}

/// The cross-tenant probe: a credential of one team asks for a resource of
/// another team, and must be refused (401, 403 or 404).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenantProbe {
    /// The other team's resource: a path on the API host (`/api/teams/b/docs`)
    /// or a full `http(s)` URL.
    pub other_tenant_url: String,
    /// The first team's credential.
    pub auth: EndpointAuth,
}

/// What makes the chat endpoint's model call fail on purpose, so the probe
/// sees the fallback path (a staging deployment honours it; production
/// should ignore it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FailureTrigger {
    /// Headers added to the chat request.
    pub headers: Vec<Header>,
    /// A body sent instead of the chat endpoint's own; empty keeps it.
    pub body: String,
}

/// The header of the default failure trigger (the convention Handover's
/// test bed honours).
pub const FAULT_HEADER: &str = "x-handover-fault";
/// Its value: the model call should time out.
pub const FAULT_VALUE: &str = "model-timeout";

impl Default for FailureTrigger {
    /// The convention Handover's own test bed honours:
    /// `x-handover-fault: model-timeout`.
    fn default() -> Self {
        Self {
            headers: vec![Header {
                name: FAULT_HEADER.into(),
                value: FAULT_VALUE.into(),
            }],
            body: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auth_needs_only_its_source() {
        let auth: EndpointAuth = serde_json::from_str(r#"{"credential_id": 4}"#).unwrap();
        assert_eq!(auth.scheme, AuthScheme::Bearer);
        assert_eq!(auth.source_label(), "credential 4");
        let env: EndpointAuth =
            serde_json::from_str(r#"{"scheme": "cookie", "name": "sid", "env": "SID"}"#).unwrap();
        assert_eq!(env.scheme, AuthScheme::Cookie);
        assert_eq!(env.source_label(), "$SID");
    }

    #[test]
    fn the_default_trigger_is_the_test_bed_convention() {
        let t: FailureTrigger = serde_json::from_str("{}").unwrap();
        assert_eq!(t, FailureTrigger::default());
        assert_eq!(t.headers[0].name, "x-handover-fault");
        let body_only: FailureTrigger =
            serde_json::from_str(r#"{"headers": [], "body": "{\"fail\": true}"}"#).unwrap();
        assert!(
            body_only.headers.is_empty(),
            "an explicit empty list stays empty"
        );
    }
}
