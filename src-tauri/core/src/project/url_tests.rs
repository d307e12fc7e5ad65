//! Endpoint paths that are full URLs on one of the project's hosts.

use handover_model::{EndpointRole, EnvironmentKind, Method, Subdomain, SubdomainPurpose};

use super::*;

fn spec_with(path: &str) -> ProjectSpec {
    ProjectSpec {
        name: "Opsbot".into(),
        apex: "example.com".into(),
        subdomains: vec![Subdomain {
            label: "api".into(),
            purpose: SubdomainPurpose::Api,
        }],
        environments: vec![Environment {
            kind: EnvironmentKind::Staging,
            base_url: "https://staging.example.net".into(),
            env_file: String::new(),
        }],
        endpoints: vec![Endpoint {
            role: EndpointRole::ApiHealth,
            method: Method::Get,
            path: path.into(),
            body: String::new(),
            headers: Vec::new(),
            expected_status: 200,
            auth: None,
        }],
        ..ProjectSpec::default()
    }
}

fn path_problem(path: &str) -> Option<String> {
    match validate(&spec_with(path)) {
        Ok(_) => None,
        Err(errors) => {
            assert!(
                errors.iter().all(|e| e.field == "endpoints.0.path"),
                "{errors:?}"
            );
            Some(errors[0].message.clone())
        }
    }
}

#[test]
fn a_relative_path_still_works() {
    let spec = validate(&spec_with("/health")).unwrap();
    assert_eq!(spec.endpoints[0].path, "/health");
    assert!(path_problem("health")
        .unwrap()
        .contains("start with a single /"));
}

#[test]
fn a_url_on_the_apex_a_subdomain_or_an_environment_host_is_accepted() {
    for (typed, stored) in [
        (
            "https://api.example.com/health",
            "https://api.example.com/health",
        ),
        (
            "HTTPS://API.Example.COM/health?x=1",
            "https://api.example.com/health?x=1",
        ),
        ("http://example.com", "http://example.com/"),
        (
            "https://example.com:8443/v1/chat",
            "https://example.com:8443/v1/chat",
        ),
        (
            "https://staging.example.net/health",
            "https://staging.example.net/health",
        ),
    ] {
        let spec = validate(&spec_with(typed)).unwrap_or_else(|e| panic!("{typed}: {e:?}"));
        assert_eq!(spec.endpoints[0].path, stored, "{typed}");
    }
}

#[test]
fn a_url_on_a_foreign_host_is_refused() {
    for typed in [
        "https://evil.example.org/health",
        "https://docs.example.com/health",
        "https://example.com.evil.org/",
    ] {
        let message = path_problem(typed).unwrap_or_else(|| panic!("{typed} accepted"));
        assert!(
            message.contains("not one of this project's hosts"),
            "{message}"
        );
        assert!(message.contains("api.example.com"), "{message}");
    }
}

#[test]
fn credentials_other_schemes_and_spaces_in_a_url_are_refused() {
    let message = path_problem("https://user:pw@api.example.com/health").unwrap();
    assert!(message.contains("credentials"), "{message}");
    let message = path_problem("https://token@api.example.com/").unwrap();
    assert!(message.contains("credentials"), "{message}");
    let message = path_problem("ftp://api.example.com/health").unwrap();
    assert!(message.contains("http:// or https://"), "{message}");
    let message = path_problem("https://api.example.com/a b").unwrap();
    assert!(message.contains("spaces"), "{message}");
}

#[test]
fn a_url_endpoint_is_normalised_once() {
    let once = validate(&spec_with("https://API.example.com/health")).unwrap();
    assert_eq!(validate(&once).unwrap(), once);
}

#[test]
fn with_a_refused_apex_only_the_apex_is_reported() {
    let mut spec = spec_with("https://api.example.com/health");
    spec.apex = "not a domain".into();
    let fields: Vec<String> = validate(&spec)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["apex"]);
}
