//! Checks of the probes that carry a credential or change a request: an
//! endpoint's [`EndpointAuth`], the cross-tenant [`TenantProbe`] and the
//! chat's [`FailureTrigger`]. Only where a secret is kept is validated
//! here; whether the credential exists is known when a run starts.

use handover_model::{AuthScheme, EndpointAuth, FailureTrigger, TenantProbe};

use super::{headers, parts, Problems, MAX_BODY};

/// Longest environment variable name accepted.
const MAX_ENV_NAME: usize = 128;

/// Checks an auth under `field` (e.g. `endpoints.2.auth`).
pub(crate) fn auth(p: &mut Problems, field: &str, auth: &EndpointAuth) -> EndpointAuth {
    let name = auth.name.trim().to_string();
    let env = auth.env.trim().to_string();
    if auth.scheme.needs_name() {
        if name.is_empty() {
            let example = if auth.scheme == AuthScheme::Cookie {
                "session"
            } else {
                "X-Api-Key"
            };
            p.add(
                format!("{field}.name"),
                format!(
                    "Name the {} the credential goes in, e.g. {example}.",
                    auth.scheme.as_str()
                ),
            );
        } else if !name.bytes().all(parts::is_token_byte) {
            p.add(
                format!("{field}.name"),
                "Use letters, digits and - or _ only, e.g. X-Api-Key.",
            );
        }
    }
    match (auth.credential_id, env.is_empty()) {
        (None, true) => p.add(
            format!("{field}.credential_id"),
            "Choose the stored credential this request sends (Accounts keeps it in the OS keychain).",
        ),
        (Some(_), false) => p.add(
            format!("{field}.env"),
            "Name one source: a stored credential or an environment variable, not both.",
        ),
        (Some(id), true) if id <= 0 => {
            p.add(format!("{field}.credential_id"), "Choose a stored credential.")
        }
        (None, false) if !is_env_name(&env) => p.add(
            format!("{field}.env"),
            "Environment variable names use letters, digits and _ and do not start with a digit, e.g. HANDOVER_TOKEN.",
        ),
        _ => {}
    }
    EndpointAuth {
        scheme: auth.scheme,
        name: if auth.scheme.needs_name() {
            name
        } else {
            String::new()
        },
        credential_id: auth.credential_id,
        env,
    }
}

fn is_env_name(name: &str) -> bool {
    name.len() <= MAX_ENV_NAME
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// Checks the cross-tenant probe; `hosts` are the project's hosts.
pub(crate) fn tenant_probe(p: &mut Problems, probe: &TenantProbe, hosts: &[String]) -> TenantProbe {
    let field = "tenant_probe.other_tenant_url";
    let url = if probe.other_tenant_url.trim().is_empty() {
        p.add(
            field,
            "Enter the address of a resource that belongs to another team, e.g. /api/teams/other/documents/1.",
        );
        String::new()
    } else {
        parts::endpoint_address(p, field, &probe.other_tenant_url, hosts)
    };
    TenantProbe {
        other_tenant_url: url,
        auth: auth(p, "tenant_probe.auth", &probe.auth),
    }
}

/// Checks the chat's failure trigger.
pub(crate) fn failure_trigger(p: &mut Problems, trigger: &FailureTrigger) -> FailureTrigger {
    let headers = headers(p, "chat_failure.headers", &trigger.headers);
    if trigger.body.len() > MAX_BODY {
        p.add("chat_failure.body", "Keep the body under 64 KiB.");
    }
    if headers.is_empty() && trigger.body.trim().is_empty() {
        p.add(
            "chat_failure.headers",
            "Add a header or a body that makes the model call fail, or remove the trigger to use x-handover-fault: model-timeout.",
        );
    }
    FailureTrigger {
        headers,
        body: trigger.body.clone(),
    }
}
