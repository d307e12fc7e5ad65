//! Checks a project form and brings it into canonical form before it is
//! stored: domains in ASCII (punycode), origins and URLs normalised, paths
//! absolute, and no credentials hiding in headers.
//!
//! Every problem is reported against the dotted path of its field (e.g.
//! `endpoints.2.path`) so the window can show it under the right input.

use std::collections::HashSet;
use std::path::Path;

use handover_model::{
    EmailSetup, Endpoint, Environment, FieldError, Header, LatencyTarget, LegacyUrl, Method,
    ProjectSpec, SmokeStep, Subdomain,
};

use crate::input;

pub mod file;
mod parts;
mod probes;

pub use parts::{is_credential_header, origin};

/// Longest project name.
pub const MAX_NAME: usize = 80;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 2_000;
/// Longest notes field.
pub const MAX_NOTES: usize = 20_000;
/// Largest request body kept for an endpoint probe.
pub const MAX_BODY: usize = 64 * 1024;
/// Lowest and highest accepted p95 target, in milliseconds.
pub const P95_RANGE: std::ops::RangeInclusive<u32> = 10..=120_000;
/// Most steps in a smoke sequence.
pub const MAX_SMOKE_STEPS: usize = 50;
/// Longest smoke step name.
pub const MAX_STEP_NAME: usize = 80;
/// Longest text a smoke step looks for in an answer (and longest JSON pointer).
pub const MAX_STEP_TEXT: usize = 200;
/// Lowest and highest accepted smoke step time limit, in milliseconds.
pub const STEP_MS_RANGE: std::ops::RangeInclusive<u32> = 1..=120_000;
/// Largest CA file accepted.
pub const MAX_CA_FILE: u64 = crate::input::ca::MAX_CA_FILE;

/// Collects field errors while a form is checked.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<FieldError>);

impl Problems {
    pub(crate) fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub(crate) fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// Checks a project form. Returns the canonical spec, or every problem found.
///
/// Duplicate project names are not checked here: that needs the database
/// (see [`crate::workbench`]).
pub fn validate(spec: &ProjectSpec) -> Result<ProjectSpec, Vec<FieldError>> {
    let mut p = Problems::default();
    let name = text(&mut p, "name", &spec.name, MAX_NAME, true);
    let description = text(
        &mut p,
        "description",
        &spec.description,
        MAX_DESCRIPTION,
        false,
    );
    let notes = multiline(&mut p, "notes", &spec.notes, MAX_NOTES);

    let apex = match input::domain(&spec.apex) {
        Ok(domain) => domain.ascii,
        Err(err) => {
            p.add("apex", sentence(&err.to_string()));
            String::new()
        }
    };
    let subdomains = subdomains(&mut p, &spec.subdomains, &apex);
    let environments = environments(&mut p, &spec.environments);
    let hosts = project_hosts(&apex, &subdomains, &environments);
    let endpoints = endpoints(&mut p, &spec.endpoints, &hosts);
    let tenant_probe = spec
        .tenant_probe
        .as_ref()
        .map(|t| probes::tenant_probe(&mut p, t, &hosts));
    let chat_failure = spec
        .chat_failure
        .as_ref()
        .map(|t| probes::failure_trigger(&mut p, t));
    let cors_origins = cors_origins(&mut p, &spec.cors_origins);
    let legacy_urls = legacy_urls(&mut p, &spec.legacy_urls);
    let email = email(&mut p, &spec.email);
    let latency_targets = latency_targets(&mut p, &spec.latency_targets);
    let smoke_steps = smoke_steps(&mut p, &spec.smoke_steps, &spec.endpoints);

    let dns_server = if spec.dns_server.trim().is_empty() {
        String::new()
    } else {
        match input::dns_server(&spec.dns_server) {
            Ok(addr) => addr.to_string(),
            Err(err) => {
                p.add("dns_server", sentence(&err.to_string()));
                String::new()
            }
        }
    };
    let ca_file = ca_file(&mut p, &spec.ca_file);
    let repo_path = absolute_path(&mut p, "repo_path", &spec.repo_path);
    let build_output = absolute_path(&mut p, "build_output", &spec.build_output);
    for problem in crate::eval::cases::validate(&spec.eval, spec) {
        p.add(problem.field, problem.message);
    }

    p.into_result(ProjectSpec {
        name,
        description,
        apex,
        subdomains,
        environments,
        endpoints,
        cors_origins,
        legacy_urls,
        email,
        latency_targets,
        smoke_steps,
        tenant_probe,
        chat_failure,
        repo_path,
        build_output,
        dns_server,
        ca_file,
        notes,
        eval: spec.eval.clone(),
        ports: spec.ports,
    })
}

/// Capitalises an error message and ends it with a full stop.
pub(crate) fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// A one-line text field: trimmed, bounded, no control characters.
pub(crate) fn text(
    p: &mut Problems,
    field: &str,
    value: &str,
    max: usize,
    required: bool,
) -> String {
    let value = value.trim();
    if required && value.is_empty() {
        p.add(field, "Enter a value.");
    } else if value.chars().count() > max {
        p.add(field, format!("Keep this under {max} characters."));
    } else if value.chars().any(char::is_control) {
        p.add(field, "Remove line breaks and control characters.");
    }
    value.to_string()
}

/// A multi-line text field: bounded, no control characters besides newlines and tabs.
pub(crate) fn multiline(p: &mut Problems, field: &str, value: &str, max: usize) -> String {
    if value.chars().count() > max {
        p.add(field, format!("Keep this under {max} characters."));
    } else if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        p.add(field, "Remove control characters.");
    }
    value.trim_end().to_string()
}

fn subdomains(p: &mut Problems, rows: &[Subdomain], apex: &str) -> Vec<Subdomain> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let field = format!("subdomains.{i}.label");
        let typed = row.label.trim().trim_end_matches('.');
        if typed.is_empty() {
            p.add(field, "Enter a label such as app or api.");
            continue;
        }
        // A full host name typed in place of the label (`api.example.com`,
        // in either script) is accepted and cut down to its label.
        let typed_ascii = input::domain(typed).map(|d| d.ascii).ok();
        let label = match &typed_ascii {
            Some(ascii) if !apex.is_empty() && ascii == apex => {
                p.add(
                    field,
                    "That is the apex itself; enter only the part before it.",
                );
                continue;
            }
            Some(ascii) if !apex.is_empty() && ascii.ends_with(&format!(".{apex}")) => {
                ascii[..ascii.len() - apex.len() - 1].to_string()
            }
            _ => typed.to_string(),
        };
        let full = if apex.is_empty() {
            format!("{label}.example.com")
        } else {
            format!("{label}.{apex}")
        };
        match input::domain(&full) {
            Ok(domain) if !label.contains(['/', ':', '@']) => {
                let suffix = if apex.is_empty() { "example.com" } else { apex };
                let ascii_label = domain.ascii[..domain.ascii.len() - suffix.len() - 1].to_string();
                if !seen.insert(ascii_label.clone()) {
                    p.add(field, format!("{ascii_label:?} is listed twice."));
                    continue;
                }
                out.push(Subdomain {
                    label: ascii_label,
                    purpose: row.purpose,
                });
            }
            _ => p.add(
                field,
                format!("{label:?} is not a valid host label; use letters, digits and hyphens."),
            ),
        }
    }
    out
}

fn environments(p: &mut Problems, rows: &[Environment]) -> Vec<Environment> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if !seen.insert(row.kind) {
            p.add(
                format!("environments.{i}.kind"),
                format!("There is already a {} environment.", row.kind.as_str()),
            );
        }
        let base_url = match input::base_url(&row.base_url) {
            Ok(url) => url.as_str().trim_end_matches('/').to_string(),
            Err(err) => {
                p.add(
                    format!("environments.{i}.base_url"),
                    sentence(&err.to_string()),
                );
                row.base_url.trim().to_string()
            }
        };
        let env_file = absolute_path(p, &format!("environments.{i}.env_file"), &row.env_file);
        out.push(Environment {
            kind: row.kind,
            base_url,
            env_file,
        });
    }
    out
}

/// The hosts an endpoint URL may name: the apex, `<label>.<apex>` for each
/// subdomain, and each environment's host. Empty when the apex was refused.
fn project_hosts(
    apex: &str,
    subdomains: &[Subdomain],
    environments: &[Environment],
) -> Vec<String> {
    if apex.is_empty() {
        return Vec::new();
    }
    let mut hosts = vec![apex.to_string()];
    hosts.extend(subdomains.iter().map(|s| format!("{}.{apex}", s.label)));
    for env in environments {
        if let Some(host) = url::Url::parse(&env.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        {
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
    }
    hosts
}

fn endpoints(p: &mut Problems, rows: &[Endpoint], hosts: &[String]) -> Vec<Endpoint> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let path = parts::endpoint_address(p, &format!("endpoints.{i}.path"), &row.path, hosts);
        if !path.is_empty() && !seen.insert((row.method, path.clone())) {
            p.add(
                format!("endpoints.{i}.path"),
                format!("{} {path} is listed twice.", row.method.as_str()),
            );
        }
        if !(100..=599).contains(&row.expected_status) {
            p.add(
                format!("endpoints.{i}.expected_status"),
                "Use an HTTP status from 100 to 599, e.g. 200.",
            );
        }
        if !row.body.is_empty() && matches!(row.method, Method::Get | Method::Head) {
            p.add(
                format!("endpoints.{i}.body"),
                format!("{} requests do not carry a body.", row.method.as_str()),
            );
        } else if row.body.len() > MAX_BODY {
            p.add(format!("endpoints.{i}.body"), "Keep the body under 64 KiB.");
        }
        let headers = headers(p, &format!("endpoints.{i}.headers"), &row.headers);
        let auth = row
            .auth
            .as_ref()
            .map(|a| probes::auth(p, &format!("endpoints.{i}.auth"), a));
        out.push(Endpoint {
            role: row.role,
            method: row.method,
            path,
            body: row.body.clone(),
            headers,
            expected_status: row.expected_status,
            auth,
        });
    }
    out
}

/// Checks request headers listed under `prefix` (e.g. `endpoints.0.headers`).
pub(crate) fn headers(p: &mut Problems, prefix: &str, rows: &[Header]) -> Vec<Header> {
    let mut out = Vec::with_capacity(rows.len());
    for (j, header) in rows.iter().enumerate() {
        let field = format!("{prefix}.{j}");
        let name = header.name.trim();
        if name.is_empty() || !name.bytes().all(parts::is_token_byte) {
            p.add(
                format!("{field}.name"),
                "Header names use letters, digits and - only, e.g. Content-Type.",
            );
        } else if is_credential_header(name) {
            p.add(
                format!("{field}.name"),
                format!("{name} carries credentials, which never go in Handover's database; keep them in Accounts (the OS keychain)."),
            );
        }
        if header.value.contains(['\r', '\n']) || header.value.chars().any(char::is_control) {
            p.add(format!("{field}.value"), "Header values must be one line.");
        }
        out.push(Header {
            name: name.to_string(),
            value: header.value.trim().to_string(),
        });
    }
    out
}

fn cors_origins(p: &mut Problems, rows: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, typed) in rows.iter().enumerate() {
        match origin(typed) {
            Ok(value) => {
                if seen.insert(value.clone()) {
                    out.push(value);
                } else {
                    p.add(
                        format!("cors_origins.{i}"),
                        format!("{value:?} is listed twice."),
                    );
                }
            }
            Err(message) => p.add(format!("cors_origins.{i}"), message),
        }
    }
    out
}

/// Checks one side of a legacy-URL pair (a path on the apex or a full
/// `http(s)` URL) and returns its canonical form or what is wrong.
pub fn legacy_address(typed: &str) -> Result<String, String> {
    let mut p = Problems::default();
    let value = parts::address(&mut p, "address", typed);
    match p.0.into_iter().next() {
        None => Ok(value),
        Some(problem) => Err(problem.message),
    }
}

fn legacy_urls(p: &mut Problems, rows: &[LegacyUrl]) -> Vec<LegacyUrl> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let from = parts::address(p, &format!("legacy_urls.{i}.from"), &row.from);
        let to = parts::address(p, &format!("legacy_urls.{i}.to"), &row.to);
        if !from.is_empty() && from == to {
            p.add(
                format!("legacy_urls.{i}.to"),
                "The new address must differ from the old one.",
            );
        }
        out.push(LegacyUrl { from, to });
    }
    out
}

fn email(p: &mut Problems, setup: &EmailSetup) -> EmailSetup {
    let sending_domain = if setup.sending_domain.trim().is_empty() {
        String::new()
    } else {
        match input::domain(&setup.sending_domain) {
            Ok(domain) => domain.ascii,
            Err(err) => {
                p.add("email.sending_domain", sentence(&err.to_string()));
                String::new()
            }
        }
    };
    let mut selectors = Vec::new();
    for (i, typed) in setup.dkim_selectors.iter().enumerate() {
        let field = format!("email.dkim_selectors.{i}");
        let selector = typed.trim().to_ascii_lowercase();
        let valid = !selector.is_empty()
            && selector.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            });
        if !valid {
            p.add(
                field,
                "A DKIM selector is one or more labels of letters, digits, - and _, e.g. s1.",
            );
        } else if selectors.contains(&selector) {
            p.add(field, format!("{selector:?} is listed twice."));
        } else {
            selectors.push(selector);
        }
    }
    if !selectors.is_empty() && sending_domain.is_empty() && setup.sending_domain.trim().is_empty()
    {
        p.add(
            "email.sending_domain",
            "Enter the sending domain the DKIM selectors belong to.",
        );
    }
    EmailSetup {
        sending_domain,
        dkim_selectors: selectors,
    }
}

fn latency_targets(p: &mut Problems, rows: &[LatencyTarget]) -> Vec<LatencyTarget> {
    let mut seen = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        if !seen.insert(row.role) {
            p.add(
                format!("latency_targets.{i}.role"),
                format!("{} has two targets.", row.role.label()),
            );
        }
        if !P95_RANGE.contains(&row.p95_ms) {
            p.add(
                format!("latency_targets.{i}.p95_ms"),
                format!(
                    "Use a target from {} to {} ms.",
                    P95_RANGE.start(),
                    P95_RANGE.end()
                ),
            );
        }
    }
    rows.to_vec()
}

/// Checks the smoke sequence: each step names a role the project has an
/// endpoint for, and its expectations are well formed. Names and pointers
/// come back trimmed; texts to look for are kept exactly as typed.
fn smoke_steps(p: &mut Problems, rows: &[SmokeStep], endpoints: &[Endpoint]) -> Vec<SmokeStep> {
    if rows.len() > MAX_SMOKE_STEPS {
        p.add(
            "smoke_steps",
            format!("Keep the smoke sequence to {MAX_SMOKE_STEPS} steps or fewer."),
        );
    }
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let field = |name: &str| format!("smoke_steps.{i}.{name}");
        let name = text(p, &field("name"), &row.name, MAX_STEP_NAME, false);
        if !endpoints.iter().any(|e| e.role == row.role) {
            p.add(
                field("role"),
                format!(
                    "No endpoint has the role {:?}; add one under Endpoints or pick another role.",
                    row.role.label()
                ),
            );
        }
        if let Some(status) = row.expect_status {
            if !(100..=599).contains(&status) {
                p.add(
                    field("expect_status"),
                    "Use an HTTP status from 100 to 599, e.g. 200, or leave it empty for the endpoint's.",
                );
            }
        }
        for (j, needle) in row.body_contains.iter().enumerate() {
            let at = format!("smoke_steps.{i}.body_contains.{j}");
            if needle.trim().is_empty() {
                p.add(
                    at,
                    "Enter the text the answer must contain, or remove the row.",
                );
            } else if needle.chars().count() > MAX_STEP_TEXT {
                p.add(at, format!("Keep this under {MAX_STEP_TEXT} characters."));
            } else if needle.chars().any(char::is_control) {
                p.add(at, "Remove line breaks and control characters.");
            }
        }
        let json_pointer = row.json_pointer.as_deref().map(str::trim);
        if let Some(pointer) = json_pointer {
            if let Err(message) = json_pointer_problem(pointer) {
                p.add(field("json_pointer"), message);
            }
        }
        if let Some(ms) = row.max_ms {
            if !STEP_MS_RANGE.contains(&ms) {
                p.add(
                    field("max_ms"),
                    format!(
                        "Use a limit from {} to {} ms.",
                        STEP_MS_RANGE.start(),
                        STEP_MS_RANGE.end()
                    ),
                );
            }
        }
        out.push(SmokeStep {
            name,
            role: row.role,
            expect_status: row.expect_status,
            body_contains: row.body_contains.clone(),
            json_pointer: json_pointer.map(str::to_string),
            max_ms: row.max_ms,
        });
    }
    out
}

/// Whether `pointer` is a JSON Pointer (RFC 6901): empty (the whole
/// answer), or `/`-separated keys in which `~` is only `~0` or `~1`.
fn json_pointer_problem(pointer: &str) -> Result<(), String> {
    if pointer.chars().count() > MAX_STEP_TEXT {
        return Err(format!("Keep this under {MAX_STEP_TEXT} characters."));
    }
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(format!(
            "A JSON pointer starts with /, e.g. /{pointer}; leave it empty to only require JSON."
        ));
    }
    if pointer.chars().any(char::is_control) {
        return Err("Remove line breaks and control characters.".into());
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return Err("In a JSON pointer, write ~ as ~0 and a / inside a key as ~1.".into());
        }
    }
    Ok(())
}

/// An optional local path: empty, or absolute.
fn absolute_path(p: &mut Problems, field: &str, typed: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        return String::new();
    }
    if typed.contains('\0') || !Path::new(typed).is_absolute() {
        p.add(field, "Use an absolute path, e.g. /home/me/product.");
    }
    typed.to_string()
}

fn ca_file(p: &mut Problems, typed: &str) -> String {
    let path = absolute_path(p, "ca_file", typed);
    if path.is_empty() || !Path::new(&path).is_absolute() {
        return path;
    }
    if let Err(message) = parts::check_ca_file(Path::new(&path)) {
        p.add("ca_file", message);
    }
    path
}

#[cfg(test)]
mod probes_tests;
#[cfg(test)]
mod smoke_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod url_tests;
