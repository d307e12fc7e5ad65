use handover_model::{
    EmailSetup, Endpoint, EndpointRole, Environment, EnvironmentKind, Header, LatencyTarget,
    LegacyUrl, Method, SmokeStep, Subdomain, SubdomainPurpose,
};

use super::*;

/// A project with every field set, already in canonical form.
fn full(dir: &Path) -> ProjectSpec {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, handover_testbed::Pki::new().unwrap().ca_pem()).unwrap();
    let spec = ProjectSpec {
        name: "Opsbot".into(),
        description: "Internal ops assistant — \"beta\"".into(),
        apex: "bücher.example".into(),
        subdomains: vec![
            Subdomain {
                label: "app".into(),
                purpose: SubdomainPurpose::App,
            },
            Subdomain {
                label: "api".into(),
                purpose: SubdomainPurpose::Api,
            },
        ],
        environments: vec![
            Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://app.bücher.example".into(),
                env_file: "/srv/opsbot/.env".into(),
            },
            Environment {
                kind: EnvironmentKind::Staging,
                base_url: "https://staging.example.net:8443".into(),
                env_file: String::new(),
            },
        ],
        endpoints: vec![
            Endpoint {
                role: EndpointRole::Chat,
                method: Method::Post,
                path: "/api/chat?stream=1".into(),
                body: "{\"message\":\"ping\"}\n".into(),
                headers: vec![Header {
                    name: "Content-Type".into(),
                    value: "application/json".into(),
                }],
                expected_status: 201,
                auth: Some(handover_model::EndpointAuth {
                    credential_id: Some(3),
                    ..Default::default()
                }),
            },
            Endpoint {
                role: EndpointRole::ApiHealth,
                method: Method::Get,
                path: "https://api.xn--bcher-kva.example/health".into(),
                body: String::new(),
                headers: Vec::new(),
                expected_status: 204,
                auth: None,
            },
        ],
        cors_origins: vec!["https://app.bücher.example".into()],
        legacy_urls: vec![LegacyUrl {
            from: "/pricing-2024".into(),
            to: "https://xn--bcher-kva.example/pricing".into(),
        }],
        email: EmailSetup {
            sending_domain: "mail.example.com".into(),
            dkim_selectors: vec!["s1".into(), "google".into()],
        },
        latency_targets: vec![LatencyTarget {
            role: EndpointRole::Chat,
            p95_ms: 3000,
        }],
        smoke_steps: vec![
            SmokeStep {
                name: "Chat answers \"ping\"".into(),
                role: EndpointRole::Chat,
                expect_status: Some(201),
                body_contains: vec!["pong".into(), "\"ok\": true".into()],
                json_pointer: Some("/reply/text".into()),
                max_ms: Some(2500),
            },
            SmokeStep::for_role(EndpointRole::ApiHealth),
        ],
        tenant_probe: Some(handover_model::TenantProbe {
            other_tenant_url: "/api/teams/other/documents/1".into(),
            auth: handover_model::EndpointAuth {
                scheme: handover_model::AuthScheme::Cookie,
                name: "session".into(),
                credential_id: Some(7),
                env: String::new(),
            },
        }),
        chat_failure: Some(handover_model::FailureTrigger {
            headers: vec![Header {
                name: "X-Fail-Model".into(),
                value: "timeout".into(),
            }],
            body: String::new(),
        }),
        repo_path: "/home/me/opsbot".into(),
        build_output: "/home/me/opsbot/dist".into(),
        dns_server: "10.0.0.2:5353".into(),
        ca_file: ca.display().to_string(),
        notes: "Line one.\n\tLine \"two\" with 'quotes' and \\ backslash.".into(),
        eval: crate::store::fixtures::full_eval(),
        ports: handover_model::Ports {
            http: 8080,
            smtp: 2525,
        },
    };
    crate::project::validate(&spec).expect("the full project is valid")
}

fn problems(result: Result<ProjectSpec, ProjectFileError>) -> Vec<(String, String)> {
    match result {
        Err(ProjectFileError::Invalid(list) | ProjectFileError::UnknownFields(list)) => {
            list.into_iter().map(|e| (e.field, e.message)).collect()
        }
        other => panic!("expected field problems, got {other:?}"),
    }
}

fn fields(result: Result<ProjectSpec, ProjectFileError>) -> Vec<String> {
    problems(result).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn a_full_project_round_trips_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let spec = full(dir.path());
    for format in Format::ALL {
        let text = render(&spec, format).unwrap();
        let back = parse(&text, format, Path::new("/elsewhere")).unwrap_or_else(|e| {
            panic!("{format} does not parse back: {e}\n{text}");
        });
        assert_eq!(back, spec, "{format}:\n{text}");
        // And the text is stable: rendering the result again gives the same bytes.
        assert_eq!(render(&back, format).unwrap(), text);
    }
}

#[test]
fn the_file_uses_the_spec_field_names_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = render(&full(dir.path()), Format::Json).unwrap();
    let mut at = 0;
    for key in FIELDS {
        let found = text[at..]
            .find(&format!("\n  \"{key}\":"))
            .unwrap_or_else(|| panic!("{key} missing or out of order:\n{text}"));
        at += found;
    }
    let toml = render(&full(dir.path()), Format::Toml).unwrap();
    for line in [
        "name = \"Opsbot\"",
        "[[subdomains]]",
        "[[endpoints.headers]]",
        "[email]",
        "[[smoke_steps]]",
    ] {
        assert!(toml.contains(line), "{line}:\n{toml}");
    }
}

#[test]
fn missing_fields_take_their_defaults() {
    let spec = parse(
        "name = \"Opsbot\"\napex = \"example.com\"\n",
        Format::Toml,
        Path::new("/"),
    )
    .unwrap();
    assert_eq!(spec.latency_targets, LatencyTarget::defaults());
    assert!(spec.subdomains.is_empty() && spec.ca_file.is_empty());
    let spec = parse(
        r#"{"name": "Opsbot", "apex": "example.com", "email": {"sending_domain": "example.com"}}"#,
        Format::Json,
        Path::new("/"),
    )
    .unwrap();
    assert_eq!(spec.email.sending_domain, "example.com");
    assert!(spec.email.dkim_selectors.is_empty());
}

#[test]
fn a_file_with_five_errors_reports_all_five_with_their_paths() {
    let text = r#"
name = "Opsbot"
apex = "not a domain"
cors_origins = ["*"]

[[subdomains]]
label = "app"
purpose = "app"

[[subdomains]]
label = "bad label!"
purpose = "api"

[[endpoints]]
role = "homepage"
method = "GET"
path = "home"
expected_status = 200

[[endpoints]]
role = "chat"
method = "POST"
path = "/api/chat"
expected_status = 900
"#;
    let found = problems(parse(text, Format::Toml, Path::new("/")));
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "apex",
            "subdomains.1.label",
            "endpoints.0.path",
            "endpoints.1.expected_status",
            "cors_origins.0",
        ],
        "{found:#?}"
    );
    assert!(found.iter().all(|(_, m)| !m.is_empty()));
}

#[test]
fn wrong_types_unknown_keys_and_validation_are_reported_together() {
    let text = r#"{
        "name": 7,
        "apex": "example.com",
        "subdomains": [
            {"label": "app", "purpose": "apps"},
            {"label": "bad label!", "purpose": "api"},
            {"lable": "docs", "purpose": "docs"}
        ],
        "endpoints": [{"role": "homepage", "method": "GET", "path": "/"}],
        "latency_targets": "fast"
    }"#;
    let found = problems(parse(text, Format::Json, Path::new("/")));
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "subdomains.0.purpose",
            "subdomains.1.label",
            "subdomains.2.label",
            "endpoints.0.expected_status",
            "latency_targets",
        ],
        "{found:#?}"
    );
    let message = |field: &str| &found.iter().find(|(f, _)| f == field).unwrap().1;
    assert!(message("name").contains("expected a string"), "{found:?}");
    assert!(
        message("subdomains.0.purpose").contains("apps"),
        "{found:?}"
    );
    assert!(message("subdomains.1.label").contains("not a valid host label"));
    assert!(message("subdomains.2.label").contains("\"lable\" a typo of \"label\""));
}

#[test]
fn an_unknown_key_is_refused_with_its_path() {
    let text = "name = \"Opsbot\"\napex = \"example.com\"\napexx = 1\n\n[email]\nsending_domain = \"example.com\"\ndkim_selector = [\"s1\"]\n\n[[endpoints]]\nrole = \"homepage\"\nmethod = \"GET\"\npath = \"/\"\nexpected_status = 200\n[[endpoints.headers]]\nname = \"Accept\"\nvalue = \"*/*\"\nvalu = \"x\"\n";
    let result = parse(text, Format::Toml, Path::new("/"));
    assert!(
        matches!(result, Err(ProjectFileError::UnknownFields(_))),
        "{result:?}"
    );
    let found = problems(result);
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["endpoints.0.headers.0.valu", "email.dkim_selector", "apexx"],
        "{found:#?}"
    );
    assert!(
        found[1].1.contains("did you mean \"dkim_selectors\""),
        "{found:?}"
    );
}

#[test]
fn a_relative_ca_file_is_resolved_against_the_file_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("certs")).unwrap();
    let pem = handover_testbed::Pki::new().unwrap().ca_pem().to_string();
    std::fs::write(dir.path().join("certs/ca.pem"), pem).unwrap();
    let text = "name = \"Opsbot\"\napex = \"example.com\"\nca_file = \"./certs/ca.pem\"\n";
    std::fs::write(dir.path().join("opsbot.toml"), text).unwrap();

    let spec = load(&dir.path().join("opsbot.toml")).unwrap();
    let expected = dir.path().join("certs").join("ca.pem");
    assert_eq!(Path::new(&spec.ca_file), expected);
    assert_eq!(parse(text, Format::Toml, dir.path()).unwrap(), spec);

    // Relative to the file, not to the working directory: elsewhere it is missing.
    let elsewhere = parse(text, Format::Toml, Path::new("/nonexistent"));
    assert_eq!(fields(elsewhere), ["ca_file"]);
}

#[test]
fn syntax_errors_say_where() {
    let err = parse(
        "name = \"Opsbot\"\napex = = 1\n",
        Format::Toml,
        Path::new("/"),
    )
    .unwrap_err();
    let ProjectFileError::Syntax { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, column.is_some()), (Some(2), true), "{err}");
    assert!(
        err.to_string().starts_with("TOML syntax error at line 2"),
        "{err}"
    );

    let err = parse("{\n  \"name\": \"x\",\n}", Format::Json, Path::new("/")).unwrap_err();
    let ProjectFileError::Syntax { line, column, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!((*line, *column), (Some(3), Some(1)), "{err}");

    let err = parse("[1, 2]", Format::Json, Path::new("/")).unwrap_err();
    assert!(matches!(err, ProjectFileError::Syntax { .. }), "{err:?}");
}

#[test]
fn files_are_capped_and_named_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.toml");
    std::fs::write(
        &big,
        format!("notes = \"{}\"\n", "x".repeat(MAX_FILE as usize)),
    )
    .unwrap();
    assert!(matches!(load(&big), Err(ProjectFileError::TooLarge)));

    let missing = dir.path().join("missing.json");
    let err = load(&missing).unwrap_err();
    assert!(
        matches!(err, ProjectFileError::Unreadable { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("missing.json"), "{err}");

    let err = load(&dir.path().join("project.yaml")).unwrap_err();
    assert!(
        matches!(err, ProjectFileError::UnknownFormat { .. }),
        "{err:?}"
    );

    assert_eq!(Format::from_path(Path::new("a/B.TOML")), Some(Format::Toml));
    assert_eq!(Format::from_path(Path::new("b.json")), Some(Format::Json));
    assert_eq!(Format::from_path(Path::new("toml")), None);
    assert_eq!("JSON".parse::<Format>(), Ok(Format::Json));
    assert!("yaml".parse::<Format>().is_err());
}

#[test]
fn a_command_error_lists_every_problem() {
    let err = parse(
        "name = \"\"\napex = \"not a domain\"\n",
        Format::Toml,
        Path::new("/"),
    )
    .unwrap_err();
    let error = CommandError::from(err);
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert_eq!(error.fields.len(), 2);
    assert!(error.message.contains("\nname: "), "{}", error.message);
    assert!(error.message.contains("\napex: "), "{}", error.message);
}

#[test]
fn smoke_steps_are_read_from_tables_and_written_back() {
    let text = r#"
name = "Opsbot"
apex = "example.com"

[[endpoints]]
role = "chat"
method = "POST"
path = "/api/chat"
body = '{"message":"ping"}'
expected_status = 200

[[endpoints]]
role = "api_health"
method = "GET"
path = "/health"
expected_status = 204

[[smoke_steps]]
name = "Chat answers"
role = "chat"
body_contains = ["pong"]
json_pointer = "/reply"
max_ms = 3000

[[smoke_steps]]
role = "api_health"
expect_status = 200
"#;
    let spec = parse(text, Format::Toml, Path::new("/")).unwrap();
    assert_eq!(
        spec.smoke_steps,
        [
            SmokeStep {
                name: "Chat answers".into(),
                role: EndpointRole::Chat,
                expect_status: None,
                body_contains: vec!["pong".into()],
                json_pointer: Some("/reply".into()),
                max_ms: Some(3000),
            },
            SmokeStep {
                name: String::new(),
                expect_status: Some(200),
                ..SmokeStep::for_role(EndpointRole::ApiHealth)
            },
        ]
    );
    for format in Format::ALL {
        let written = render(&spec, format).unwrap();
        assert_eq!(
            parse(&written, format, Path::new("/")).unwrap(),
            spec,
            "{written}"
        );
    }
    let toml = render(&spec, Format::Toml).unwrap();
    assert_eq!(toml.matches("[[smoke_steps]]").count(), 2, "{toml}");
    assert!(!toml.contains("expect_status = \"\""), "{toml}");
}

#[test]
fn a_project_file_without_smoke_steps_has_none() {
    let spec = parse(
        "name = \"Opsbot\"\napex = \"example.com\"\n",
        Format::Toml,
        Path::new("/"),
    )
    .unwrap();
    assert!(spec.smoke_steps.is_empty());
}

#[test]
fn an_unknown_smoke_step_key_is_refused_with_its_path() {
    let text = "name = \"Opsbot\"\napex = \"example.com\"\n\n[[endpoints]]\nrole = \"homepage\"\nmethod = \"GET\"\npath = \"/\"\nexpected_status = 200\n\n[[smoke_steps]]\nrole = \"homepage\"\nbody_contain = [\"Welcome\"]\nmax_ms = 500\n";
    let result = parse(text, Format::Toml, Path::new("/"));
    assert!(
        matches!(result, Err(ProjectFileError::UnknownFields(_))),
        "{result:?}"
    );
    let found = problems(result);
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        ["smoke_steps.0.body_contain"],
        "{found:#?}"
    );
    assert!(
        found[0].1.contains("did you mean \"body_contains\""),
        "{found:?}"
    );
}

#[test]
fn smoke_step_problems_keep_the_file_row_numbers() {
    let text = r#"{
        "name": "Opsbot",
        "apex": "example.com",
        "endpoints": [{"role": "homepage", "method": "GET", "path": "/", "expected_status": 200}],
        "smoke_steps": [
            {"role": "homepage", "max_ms": "fast"},
            {"role": "login"},
            {"role": "homepage", "json_pointer": "data", "max_ms": 0, "body_contains": ["ok", ""]},
            {"name": "no role"}
        ]
    }"#;
    let found = problems(parse(text, Format::Json, Path::new("/")));
    assert_eq!(
        found.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        [
            "smoke_steps.0.max_ms",
            "smoke_steps.1.role",
            "smoke_steps.2.body_contains.1",
            "smoke_steps.2.json_pointer",
            "smoke_steps.2.max_ms",
            "smoke_steps.3.role",
        ],
        "{found:#?}"
    );
    assert!(found[5].1.contains("required"), "{found:?}");
}
