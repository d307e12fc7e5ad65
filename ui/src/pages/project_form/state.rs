//! The project form's pure logic: the usual endpoints, where each field
//! error belongs, numbers typed as text, and keeping per-field bookkeeping
//! right when a row is removed. No DOM here; tested natively.

use std::collections::{BTreeMap, BTreeSet};

use handover_model::{
    CommandError, Endpoint, EndpointRole, ErrorCode, FieldError, Method, ProjectSpec,
};

/// The five endpoints almost every product has, as "Add the usual five" adds them.
pub fn usual_endpoints() -> Vec<Endpoint> {
    let endpoint = |role, method, path: &str| Endpoint {
        role,
        method,
        path: path.to_string(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    };
    vec![
        endpoint(EndpointRole::Homepage, Method::Get, "/"),
        endpoint(EndpointRole::Login, Method::Post, "/login"),
        endpoint(EndpointRole::Chat, Method::Post, "/api/chat"),
        endpoint(EndpointRole::ApiHealth, Method::Get, "/health"),
        endpoint(EndpointRole::Webhook, Method::Post, "/webhooks"),
    ]
}

/// Adds the usual endpoints whose role is not listed yet. Does nothing
/// until the apex is set. Returns how many were added.
pub fn add_usual_endpoints(spec: &mut ProjectSpec) -> usize {
    if spec.apex.trim().is_empty() {
        return 0;
    }
    let missing: Vec<Endpoint> = usual_endpoints()
        .into_iter()
        .filter(|e| !spec.endpoints.iter().any(|have| have.role == e.role))
        .collect();
    let added = missing.len();
    spec.endpoints.extend(missing);
    added
}

/// The element id (and test id) of the input for a field path:
/// `subdomains.1.label` → `field-subdomains-1-label`.
pub fn field_id(path: &str) -> String {
    format!("field-{}", path.replace('.', "-"))
}

/// The id of the error message under a field.
pub fn error_id(path: &str) -> String {
    format!("error-{}", path.replace('.', "-"))
}

/// Every message for exactly this field path, joined into one line.
pub fn error_for(errors: &[FieldError], path: &str) -> Option<String> {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == path)
        .map(|e| e.message.as_str())
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

/// Every path the form shows an error under, for this spec: each input,
/// each row and each list as a whole.
pub fn known_paths(spec: &ProjectSpec) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = [
        "name",
        "description",
        "apex",
        "subdomains",
        "environments",
        "endpoints",
        "cors_origins",
        "legacy_urls",
        "email",
        "email.sending_domain",
        "email.dkim_selectors",
        "latency_targets",
        "dns_server",
        "ca_file",
        "repo_path",
        "build_output",
        "notes",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    let mut row = |list: &str, index: usize, fields: &[&str]| {
        paths.insert(format!("{list}.{index}"));
        for field in fields {
            paths.insert(format!("{list}.{index}.{field}"));
        }
    };
    for i in 0..spec.subdomains.len() {
        row("subdomains", i, &["label", "purpose"]);
    }
    for i in 0..spec.environments.len() {
        row("environments", i, &["kind", "base_url", "env_file"]);
    }
    for (i, endpoint) in spec.endpoints.iter().enumerate() {
        row(
            "endpoints",
            i,
            &[
                "role",
                "method",
                "path",
                "expected_status",
                "body",
                "headers",
            ],
        );
        for h in 0..endpoint.headers.len() {
            row(&format!("endpoints.{i}.headers"), h, &["name", "value"]);
        }
    }
    for i in 0..spec.cors_origins.len() {
        row("cors_origins", i, &[]);
    }
    for i in 0..spec.legacy_urls.len() {
        row("legacy_urls", i, &["from", "to"]);
    }
    for i in 0..spec.email.dkim_selectors.len() {
        row("email.dkim_selectors", i, &[]);
    }
    for i in 0..spec.latency_targets.len() {
        row("latency_targets", i, &["role", "p95_ms"]);
    }
    paths.extend(super::probe_state::known_paths(spec));
    paths
}

/// Errors the form has no place for; they go in the summary at the top.
pub fn orphan_errors(errors: &[FieldError], spec: &ProjectSpec) -> Vec<FieldError> {
    let known = known_paths(spec);
    errors
        .iter()
        .filter(|e| !known.contains(&e.field))
        .cloned()
        .collect()
}

/// The field errors in a failed save. A name conflict reported without
/// fields becomes an error on `name`, where the user can fix it.
pub fn save_field_errors(err: &CommandError) -> Vec<FieldError> {
    if err.fields.is_empty() && err.code == ErrorCode::Conflict {
        return vec![FieldError {
            field: "name".to_string(),
            message: err.message.clone(),
        }];
    }
    err.fields.clone()
}

/// Reads a whole number typed into a field, within `max`.
pub fn parse_number(text: &str, max: u32) -> Result<u32, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter a number.");
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Enter a whole number, digits only.");
    }
    match text.parse::<u64>() {
        Ok(n) if n <= u64::from(max) => Ok(n as u32),
        _ => Err("That number is too large."),
    }
}

/// Errors for number fields whose text is not a number (path → text).
pub fn local_errors(
    raw_numbers: &BTreeMap<String, String>,
    max_for: impl Fn(&str) -> u32,
) -> Vec<FieldError> {
    raw_numbers
        .iter()
        .filter_map(|(path, text)| {
            parse_number(text, max_for(path))
                .err()
                .map(|message| FieldError {
                    field: path.clone(),
                    message: message.to_string(),
                })
        })
        .collect()
}

/// The backend's errors, except where a local error on the same field says
/// more (the backend only saw a placeholder for text that is not a number).
pub fn merge_errors(server: &[FieldError], local: &[FieldError]) -> Vec<FieldError> {
    let mut merged: Vec<FieldError> = server
        .iter()
        .filter(|e| !local.iter().any(|l| l.field == e.field))
        .cloned()
        .collect();
    merged.extend(local.iter().cloned());
    merged
}

/// Renumbers a field path after row `removed` of `list` is deleted: paths in
/// that row are dropped (`None`), later rows move up by one.
pub fn shift_path(path: &str, list: &str, removed: usize) -> Option<String> {
    let Some(rest) = path.strip_prefix(list).and_then(|r| r.strip_prefix('.')) else {
        return Some(path.to_string());
    };
    let (index, tail) = match rest.split_once('.') {
        Some((index, tail)) => (index, Some(tail)),
        None => (rest, None),
    };
    let Ok(index) = index.parse::<usize>() else {
        return Some(path.to_string());
    };
    let index = match index.cmp(&removed) {
        std::cmp::Ordering::Less => index,
        std::cmp::Ordering::Equal => return None,
        std::cmp::Ordering::Greater => index - 1,
    };
    Some(match tail {
        Some(tail) => format!("{list}.{index}.{tail}"),
        None => format!("{list}.{index}"),
    })
}

/// [`shift_path`] over a set of paths.
pub fn shift_set(set: &BTreeSet<String>, list: &str, removed: usize) -> BTreeSet<String> {
    set.iter()
        .filter_map(|p| shift_path(p, list, removed))
        .collect()
}

/// [`shift_path`] over a map keyed by path.
pub fn shift_map(
    map: &BTreeMap<String, String>,
    list: &str,
    removed: usize,
) -> BTreeMap<String, String> {
    map.iter()
        .filter_map(|(p, v)| shift_path(p, list, removed).map(|p| (p, v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.to_string(),
        }
    }

    #[test]
    fn usual_five_need_an_apex_and_skip_roles_already_there() {
        let mut spec = ProjectSpec::default();
        assert_eq!(add_usual_endpoints(&mut spec), 0);
        assert!(spec.endpoints.is_empty());

        spec.apex = "example.com".to_string();
        spec.endpoints.push(usual_endpoints().remove(1));
        assert_eq!(add_usual_endpoints(&mut spec), 4);
        let roles: Vec<_> = spec.endpoints.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(
            roles,
            ["login", "homepage", "chat", "api_health", "webhook"]
        );
        assert_eq!(add_usual_endpoints(&mut spec), 0);
    }

    #[test]
    fn usual_five_have_the_documented_requests() {
        let got: Vec<_> = usual_endpoints()
            .into_iter()
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    e.role.as_str(),
                    e.method.as_str(),
                    e.path,
                    e.expected_status
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "homepage GET / 200",
                "login POST /login 200",
                "chat POST /api/chat 200",
                "api_health GET /health 200",
                "webhook POST /webhooks 200",
            ]
        );
    }

    #[test]
    fn ids_are_derived_from_paths() {
        assert_eq!(field_id("name"), "field-name");
        assert_eq!(field_id("subdomains.1.label"), "field-subdomains-1-label");
        assert_eq!(error_id("endpoints.2.path"), "error-endpoints-2-path");
    }

    #[test]
    fn errors_are_found_by_exact_path() {
        let errors = vec![
            error("apex", "Not a domain."),
            error("endpoints.1.path", "Must start with /."),
            error("endpoints.1.path", "No spaces."),
        ];
        assert_eq!(error_for(&errors, "apex").as_deref(), Some("Not a domain."));
        assert_eq!(
            error_for(&errors, "endpoints.1.path").as_deref(),
            Some("Must start with /. No spaces.")
        );
        assert_eq!(error_for(&errors, "endpoints.1"), None);
        assert_eq!(error_for(&errors, "name"), None);
    }

    #[test]
    fn orphans_are_errors_without_a_field_on_the_form() {
        let mut spec = ProjectSpec {
            endpoints: usual_endpoints(),
            ..ProjectSpec::default()
        };
        spec.endpoints[0].headers.push(handover_model::Header {
            name: "X".to_string(),
            value: "1".to_string(),
        });
        let errors = vec![
            error("endpoints.0.headers.0.name", "Bad header."),
            error("endpoints.4.expected_status", "Out of range."),
            error("endpoints.5.path", "No such row."),
            error("latency_targets.2.p95_ms", "Too slow."),
            error("spec", "Something else."),
        ];
        let orphans: Vec<_> = orphan_errors(&errors, &spec)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(orphans, ["endpoints.5.path", "spec"]);
    }

    #[test]
    fn a_bare_conflict_lands_on_the_name() {
        let err = CommandError::new(ErrorCode::Conflict, "A project named Acme exists.");
        assert_eq!(
            save_field_errors(&err),
            vec![error("name", "A project named Acme exists.")]
        );
        let invalid = CommandError::invalid_fields(vec![error("apex", "Bad.")]);
        assert_eq!(save_field_errors(&invalid), vec![error("apex", "Bad.")]);
        let storage = CommandError::new(ErrorCode::Storage, "Disk full.");
        assert!(save_field_errors(&storage).is_empty());
    }

    #[test]
    fn numbers_are_read_strictly() {
        assert_eq!(parse_number(" 200 ", 999), Ok(200));
        assert!(parse_number("", 999).is_err());
        assert!(parse_number("2e2", 999).is_err());
        assert!(parse_number("-1", 999).is_err());
        assert!(parse_number("1000", 999).is_err());
        assert!(parse_number("99999999999999999999999", u32::MAX).is_err());
    }

    #[test]
    fn local_errors_replace_the_backends_on_the_same_field() {
        let mut raw = BTreeMap::new();
        raw.insert("endpoints.0.expected_status".to_string(), "abc".to_string());
        let local = local_errors(&raw, |_| 999);
        assert_eq!(local.len(), 1);
        let server = vec![
            error("endpoints.0.expected_status", "Must be 100 to 599."),
            error("apex", "Bad."),
        ];
        let merged = merge_errors(&server, &local);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].field, "apex");
        assert_eq!(merged[1].message, "Enter a whole number, digits only.");
    }

    #[test]
    fn removing_a_row_renumbers_later_rows() {
        assert_eq!(shift_path("name", "endpoints", 1).as_deref(), Some("name"));
        assert_eq!(
            shift_path("endpoints.0.path", "endpoints", 1).as_deref(),
            Some("endpoints.0.path")
        );
        assert_eq!(shift_path("endpoints.1.path", "endpoints", 1), None);
        assert_eq!(shift_path("endpoints.1", "endpoints", 1), None);
        assert_eq!(
            shift_path("endpoints.3.headers.0.name", "endpoints", 1).as_deref(),
            Some("endpoints.2.headers.0.name")
        );
        assert_eq!(
            shift_path("endpoints.2.headers.3.value", "endpoints.2.headers", 1).as_deref(),
            Some("endpoints.2.headers.2.value")
        );
        // A list whose name is a prefix of another is not confused with it.
        assert_eq!(
            shift_path("email.dkim_selectors.2", "email", 0).as_deref(),
            Some("email.dkim_selectors.2")
        );

        let set: BTreeSet<String> = ["cors_origins.0", "cors_origins.2", "apex"]
            .into_iter()
            .map(String::from)
            .collect();
        let shifted: Vec<_> = shift_set(&set, "cors_origins", 0).into_iter().collect();
        assert_eq!(shifted, ["apex", "cors_origins.1"]);
    }
}
