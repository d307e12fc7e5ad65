use handover_model::{
    EndpointRole, EnvironmentKind, Header, LatencyTarget, LegacyUrl, Method, Subdomain,
    SubdomainPurpose,
};

use super::*;

fn endpoint(role: EndpointRole, method: Method, path: &str) -> Endpoint {
    Endpoint {
        role,
        method,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    }
}

fn good() -> ProjectSpec {
    ProjectSpec {
        name: "  Opsbot ".into(),
        description: "Internal ops assistant".into(),
        apex: "Bücher.Example.".into(),
        subdomains: vec![
            Subdomain {
                label: "App".into(),
                purpose: SubdomainPurpose::App,
            },
            Subdomain {
                label: "api.bücher.example".into(),
                purpose: SubdomainPurpose::Api,
            },
        ],
        environments: vec![
            Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://app.example.com/".into(),
                env_file: String::new(),
            },
            Environment {
                kind: EnvironmentKind::Staging,
                base_url: "https://staging.example.com".into(),
                env_file: "/srv/opsbot/.env.staging".into(),
            },
        ],
        endpoints: vec![
            endpoint(EndpointRole::Homepage, Method::Get, "/"),
            Endpoint {
                body: r#"{"message":"ping"}"#.into(),
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                ..endpoint(EndpointRole::Chat, Method::Post, "/api/chat")
            },
        ],
        cors_origins: vec![
            "HTTPS://App.Example.com/".into(),
            "http://localhost:5173".into(),
        ],
        email: EmailSetup {
            sending_domain: "mail.example.com".into(),
            dkim_selectors: vec!["S1".into(), "google".into()],
        },
        dns_server: "10.0.0.2".into(),
        repo_path: "/home/me/opsbot".into(),
        ..ProjectSpec::default()
    }
}

fn errors_of(spec: ProjectSpec) -> Vec<(String, String)> {
    match validate(&spec) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }
}

fn fields_of(spec: ProjectSpec) -> Vec<String> {
    errors_of(spec).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn a_good_form_is_normalised() {
    let spec = validate(&good()).expect("valid");
    assert_eq!(spec.name, "Opsbot");
    assert_eq!(spec.apex, "xn--bcher-kva.example");
    assert_eq!(spec.subdomains[0].label, "app");
    assert_eq!(spec.subdomains[1].label, "api");
    assert_eq!(spec.environments[0].base_url, "https://app.example.com");
    assert_eq!(
        spec.cors_origins,
        ["https://app.example.com", "http://localhost:5173"]
    );
    assert_eq!(spec.email.dkim_selectors, ["s1", "google"]);
    assert_eq!(spec.dns_server, "10.0.0.2:53");
    assert_eq!(spec.latency_targets, LatencyTarget::defaults());
}

#[test]
fn normalising_twice_changes_nothing() {
    let once = validate(&good()).unwrap();
    assert_eq!(validate(&once).unwrap(), once);
}

/// One bad value per row: the field it must be reported on.
#[test]
fn each_bad_value_is_reported_on_its_field() {
    type Edit = fn(&mut ProjectSpec);
    let table: &[(&str, Edit, &str)] = &[
        ("blank name", |s| s.name = "   ".into(), "name"),
        ("long name", |s| s.name = "x".repeat(81), "name"),
        ("name with newline", |s| s.name = "a\nb".into(), "name"),
        (
            "apex with scheme",
            |s| s.apex = "https://example.com".into(),
            "apex",
        ),
        (
            "apex with path",
            |s| s.apex = "example.com/login".into(),
            "apex",
        ),
        (
            "apex with space",
            |s| s.apex = "exa mple.com".into(),
            "apex",
        ),
        ("apex is IP", |s| s.apex = "192.0.2.1".into(), "apex"),
        ("apex single label", |s| s.apex = "localhost".into(), "apex"),
        (
            "apex with port",
            |s| s.apex = "example.com:8080".into(),
            "apex",
        ),
        (
            "subdomain bad chars",
            |s| s.subdomains[0].label = "a_b!".into(),
            "subdomains.0.label",
        ),
        (
            "subdomain empty",
            |s| s.subdomains[0].label = " ".into(),
            "subdomains.0.label",
        ),
        (
            "subdomain is apex",
            |s| s.subdomains[0].label = "bücher.example".into(),
            "subdomains.0.label",
        ),
        (
            "subdomain twice",
            |s| s.subdomains[1].label = "APP".into(),
            "subdomains.1.label",
        ),
        (
            "ftp base url",
            |s| s.environments[0].base_url = "ftp://example.com".into(),
            "environments.0.base_url",
        ),
        (
            "base url with user",
            |s| s.environments[0].base_url = "https://u:p@example.com".into(),
            "environments.0.base_url",
        ),
        (
            "base url bad port",
            |s| s.environments[0].base_url = "https://example.com:99999".into(),
            "environments.0.base_url",
        ),
        (
            "two productions",
            |s| s.environments[1].kind = EnvironmentKind::Production,
            "environments.1.kind",
        ),
        (
            "relative env file",
            |s| s.environments[1].env_file = ".env".into(),
            "environments.1.env_file",
        ),
        (
            "path without slash",
            |s| s.endpoints[0].path = "login".into(),
            "endpoints.0.path",
        ),
        (
            "path is url",
            |s| s.endpoints[0].path = "https://x.com/login".into(),
            "endpoints.0.path",
        ),
        (
            "path with space",
            |s| s.endpoints[0].path = "/a b".into(),
            "endpoints.0.path",
        ),
        (
            "status 42",
            |s| s.endpoints[0].expected_status = 42,
            "endpoints.0.expected_status",
        ),
        (
            "GET with body",
            |s| s.endpoints[0].body = "x".into(),
            "endpoints.0.body",
        ),
        (
            "duplicate endpoint",
            |s| s.endpoints[1] = endpoint(EndpointRole::Login, Method::Get, "/"),
            "endpoints.1.path",
        ),
        (
            "authorization header",
            |s| s.endpoints[1].headers[0].name = "Authorization".into(),
            "endpoints.1.headers.0.name",
        ),
        (
            "token header",
            |s| s.endpoints[1].headers[0].name = "X-Session-Token".into(),
            "endpoints.1.headers.0.name",
        ),
        (
            "header name with space",
            |s| s.endpoints[1].headers[0].name = "Content Type".into(),
            "endpoints.1.headers.0.name",
        ),
        (
            "header value newline",
            |s| s.endpoints[1].headers[0].value = "a\r\nX: y".into(),
            "endpoints.1.headers.0.value",
        ),
        (
            "wildcard origin",
            |s| s.cors_origins[0] = "*".into(),
            "cors_origins.0",
        ),
        (
            "null origin",
            |s| s.cors_origins[0] = "null".into(),
            "cors_origins.0",
        ),
        (
            "origin with path",
            |s| s.cors_origins[0] = "https://a.com/app".into(),
            "cors_origins.0",
        ),
        (
            "origin bad scheme",
            |s| s.cors_origins[0] = "chrome-extension://abc".into(),
            "cors_origins.0",
        ),
        (
            "origin twice",
            |s| s.cors_origins[1] = "https://app.example.com".into(),
            "cors_origins.1",
        ),
        (
            "bad sending domain",
            |s| s.email.sending_domain = "mail@example.com".into(),
            "email.sending_domain",
        ),
        (
            "bad selector",
            |s| s.email.dkim_selectors[0] = "s 1".into(),
            "email.dkim_selectors.0",
        ),
        (
            "selector without domain",
            |s| s.email.sending_domain.clear(),
            "email.sending_domain",
        ),
        (
            "p95 zero",
            |s| s.latency_targets[0].p95_ms = 0,
            "latency_targets.0.p95_ms",
        ),
        (
            "p95 twice",
            |s| s.latency_targets[1].role = EndpointRole::Chat,
            "latency_targets.1.role",
        ),
        (
            "dns server name",
            |s| s.dns_server = "ns1.example.com".into(),
            "dns_server",
        ),
        (
            "dns server port 0",
            |s| s.dns_server = "10.0.0.2:0".into(),
            "dns_server",
        ),
        ("relative repo", |s| s.repo_path = "src".into(), "repo_path"),
        (
            "relative build",
            |s| s.build_output = "dist".into(),
            "build_output",
        ),
        (
            "missing CA file",
            |s| s.ca_file = "/nonexistent/ca.pem".into(),
            "ca_file",
        ),
        ("notes with NUL", |s| s.notes = "a\0b".into(), "notes"),
        (
            "legacy from not a path",
            |s| {
                s.legacy_urls = vec![LegacyUrl {
                    from: "old".into(),
                    to: "/new".into(),
                }]
            },
            "legacy_urls.0.from",
        ),
        (
            "legacy to ftp",
            |s| {
                s.legacy_urls = vec![LegacyUrl {
                    from: "/old".into(),
                    to: "ftp://x.example/".into(),
                }]
            },
            "legacy_urls.0.to",
        ),
        (
            "legacy to itself",
            |s| {
                s.legacy_urls = vec![LegacyUrl {
                    from: "/same".into(),
                    to: "/same".into(),
                }]
            },
            "legacy_urls.0.to",
        ),
    ];
    for (case, edit, field) in table {
        let mut spec = good();
        edit(&mut spec);
        let errors = errors_of(spec);
        assert_eq!(
            errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
            [*field],
            "{case}: {errors:?}"
        );
        let message = &errors[0].1;
        assert!(
            message.ends_with('.')
                && message
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '"'),
            "{case}: message is not a sentence: {message}"
        );
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut spec = good();
    spec.name.clear();
    spec.apex = "not a domain".into();
    spec.endpoints[0].path = "x".into();
    assert_eq!(fields_of(spec), ["name", "apex", "endpoints.0.path"]);
}

#[test]
fn ca_file_must_hold_a_pem_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "hello").unwrap();
    let mut spec = good();
    spec.ca_file = junk.display().to_string();
    let errors = errors_of(spec);
    assert_eq!(errors[0].0, "ca_file");
    assert!(errors[0].1.contains("no PEM certificate"), "{errors:?}");

    let pem = dir.path().join("ca.pem");
    // The marker with a body that is not a certificate is refused…
    std::fs::write(
        &pem,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let mut spec = good();
    spec.ca_file = pem.display().to_string();
    assert_eq!(fields_of(spec.clone()), ["ca_file"]);
    // …and a real CA certificate is accepted.
    let pki = handover_testbed::Pki::new().unwrap();
    std::fs::write(&pem, pki.ca_pem()).unwrap();
    assert!(validate(&spec).is_ok());

    let mut spec = good();
    spec.ca_file = dir.path().display().to_string();
    assert_eq!(fields_of(spec), ["ca_file"]);
}

#[test]
fn credential_headers_are_recognised() {
    for name in [
        "Authorization",
        "cookie",
        "X-API-Key",
        "X-Refresh-Token",
        "Client-Secret",
    ] {
        assert!(is_credential_header(name), "{name}");
    }
    for name in ["Content-Type", "Accept", "X-Request-Id"] {
        assert!(!is_credential_header(name), "{name}");
    }
}

#[test]
fn origins_are_canonical() {
    assert_eq!(origin("https://A.com:443").unwrap(), "https://a.com");
    assert_eq!(origin("http://a.com:8080/").unwrap(), "http://a.com:8080");
    assert_eq!(
        origin("https://bücher.example").unwrap(),
        "https://xn--bcher-kva.example"
    );
}
