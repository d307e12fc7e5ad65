//! The pure logic of the smoke steps, credentials and probes sections:
//! where their field errors belong, which stored credentials a request can
//! carry (named, never shown), the signed-in choice as a select value, and
//! keeping per-field bookkeeping right when two steps swap places. No DOM
//! here; tested natively.

use std::collections::{BTreeMap, BTreeSet};

use handover_model::{AccountsView, EndpointAuth, ProjectSpec};

/// The select value for "not signed in".
pub const NO_AUTH: &str = "none";
/// The select value for a secret read from an environment variable (set
/// in a project file for headless runs; the form never edits it).
pub const ENV_AUTH: &str = "env";

/// A stored credential a request can carry: its id and how people know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialChoice {
    /// The credential's id.
    pub id: i64,
    /// `Provider · label (kind)`, e.g. `Acme · deploy token (API key)`.
    pub label: String,
}

/// Every credential of the project's accounts, in the order Accounts lists
/// them. Only names: the view carries no secret and neither does this.
pub fn credential_choices(view: &AccountsView) -> Vec<CredentialChoice> {
    view.accounts
        .iter()
        .flat_map(|account| {
            let provider = account.spec.provider.trim();
            let provider = if provider.is_empty() {
                account.spec.kind.label().to_string()
            } else {
                provider.to_string()
            };
            account.credentials.iter().map(move |c| {
                let label = c.label.trim();
                let kind = c.kind.label();
                CredentialChoice {
                    id: c.id,
                    label: if label.is_empty() {
                        format!("{provider} ({kind})")
                    } else {
                        format!("{provider} · {label} ({kind})")
                    },
                }
            })
        })
        .collect()
}

/// The select value of an auth: [`NO_AUTH`], [`ENV_AUTH`] or `credential-<id>`.
pub fn source_value(auth: Option<&EndpointAuth>) -> String {
    match auth {
        None => NO_AUTH.to_string(),
        Some(EndpointAuth {
            credential_id: Some(id),
            ..
        }) => format!("credential-{id}"),
        Some(a) if !a.env.trim().is_empty() => ENV_AUTH.to_string(),
        Some(_) => NO_AUTH.to_string(),
    }
}

/// The auth after choosing select value `value`: a credential replaces
/// whatever source there was (keeping the scheme and name), "none" signs
/// out, and anything else leaves the auth as it was.
pub fn with_source(auth: Option<EndpointAuth>, value: &str) -> Option<EndpointAuth> {
    if value == NO_AUTH {
        return None;
    }
    match value
        .strip_prefix("credential-")
        .and_then(|id| id.parse().ok())
    {
        Some(id) => Some(EndpointAuth {
            credential_id: Some(id),
            env: String::new(),
            ..auth.unwrap_or_default()
        }),
        None => auth,
    }
}

/// The paths these sections show errors under, for this spec: each input,
/// each row and each list as a whole (the form's other paths are in
/// `state::known_paths`).
pub fn known_paths(spec: &ProjectSpec) -> Vec<String> {
    let mut paths = vec!["smoke_steps".to_string()];
    let auth = |paths: &mut Vec<String>, prefix: &str| {
        paths.push(prefix.to_string());
        for field in ["scheme", "name", "credential_id", "env"] {
            paths.push(format!("{prefix}.{field}"));
        }
    };
    for (i, step) in spec.smoke_steps.iter().enumerate() {
        paths.push(format!("smoke_steps.{i}"));
        for field in [
            "name",
            "role",
            "expect_status",
            "body_contains",
            "json_pointer",
            "max_ms",
        ] {
            paths.push(format!("smoke_steps.{i}.{field}"));
        }
        for j in 0..step.body_contains.len() {
            paths.push(format!("smoke_steps.{i}.body_contains.{j}"));
        }
    }
    for (i, endpoint) in spec.endpoints.iter().enumerate() {
        if endpoint.auth.is_some() {
            auth(&mut paths, &format!("endpoints.{i}.auth"));
        }
    }
    if spec.tenant_probe.is_some() {
        paths.push("tenant_probe".to_string());
        paths.push("tenant_probe.other_tenant_url".to_string());
        auth(&mut paths, "tenant_probe.auth");
    }
    if let Some(trigger) = &spec.chat_failure {
        for path in ["chat_failure", "chat_failure.headers", "chat_failure.body"] {
            paths.push(path.to_string());
        }
        for h in 0..trigger.headers.len() {
            for tail in ["", ".name", ".value"] {
                paths.push(format!("chat_failure.headers.{h}{tail}"));
            }
        }
    }
    paths
}

/// Reads an optional whole number typed into a field: empty is `None`,
/// digits within `max` are the number, anything else is an error (the
/// text stays in the box, as for the form's other number fields).
pub fn optional_number(text: &str, max: u32) -> Result<Option<u32>, &'static str> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    super::state::parse_number(text, max).map(Some)
}

/// A field path after rows `a` and `b` of `list` swap places: paths in one
/// row move to the other; every other path stays.
pub fn swap_path(path: &str, list: &str, a: usize, b: usize) -> String {
    let Some(rest) = path.strip_prefix(list).and_then(|r| r.strip_prefix('.')) else {
        return path.to_string();
    };
    let (index, tail) = match rest.split_once('.') {
        Some((index, tail)) => (index, Some(tail)),
        None => (rest, None),
    };
    let to = match index.parse::<usize>() {
        Ok(i) if i == a => b,
        Ok(i) if i == b => a,
        _ => return path.to_string(),
    };
    match tail {
        Some(tail) => format!("{list}.{to}.{tail}"),
        None => format!("{list}.{to}"),
    }
}

/// [`swap_path`] over a set of paths.
pub fn swap_set(set: &BTreeSet<String>, list: &str, a: usize, b: usize) -> BTreeSet<String> {
    set.iter().map(|p| swap_path(p, list, a, b)).collect()
}

/// [`swap_path`] over a map keyed by path.
pub fn swap_map(
    map: &BTreeMap<String, String>,
    list: &str,
    a: usize,
    b: usize,
) -> BTreeMap<String, String> {
    map.iter()
        .map(|(p, v)| (swap_path(p, list, a, b), v.clone()))
        .collect()
}

#[cfg(test)]
#[path = "probe_state_tests.rs"]
mod tests;
