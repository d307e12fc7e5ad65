//! Tests of building check targets.

use super::*;
use handover_model::{Environment, Subdomain, SubdomainPurpose};

#[test]
fn a_project_becomes_hosts_ports_and_paths() {
    let spec = ProjectSpec {
        apex: "example.test".into(),
        subdomains: vec![Subdomain {
            label: "api".into(),
            purpose: SubdomainPurpose::Api,
        }],
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: "https://example.test:8443".into(),
            env_file: String::new(),
        }],
        dns_server: "127.0.0.1:5353".into(),
        ..ProjectSpec::default()
    };
    let target = CheckTarget::from_project(&spec).unwrap();
    assert_eq!(target.hosts, ["example.test", "api.example.test"]);
    assert_eq!((target.https_port, target.http_port), (8443, 80));
    assert_eq!(target.dns_server, Some("127.0.0.1:5353".parse().unwrap()));
    let plain = CheckTarget::from_project(&ProjectSpec {
        apex: "example.com".into(),
        ..ProjectSpec::default()
    })
    .unwrap();
    assert_eq!((plain.https_port, plain.http_port), (443, 80));
}

#[test]
fn a_missing_or_broken_ca_file_or_dns_server_names_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let missing = ProjectSpec {
        apex: "example.test".into(),
        ca_file: dir.path().join("gone.pem").display().to_string(),
        ..ProjectSpec::default()
    };
    let err = CheckTarget::from_project(&missing).unwrap_err();
    assert_eq!(err.field(), "ca_file");
    assert!(matches!(
        err,
        TargetError::CaFile {
            source: CaFileError::Unreadable { .. },
            ..
        }
    ));
    let junk = dir.path().join("junk.pem");
    std::fs::write(&junk, "not a certificate").unwrap();
    let quick = QuickAudit {
        domain: "example.test".into(),
        ca_file: Some(junk),
        ..QuickAudit::default()
    };
    assert_eq!(CheckTarget::from_quick(&quick).unwrap_err().field(), "--ca");
    let bad_dns = ProjectSpec {
        apex: "example.test".into(),
        dns_server: "not-an-ip".into(),
        ..ProjectSpec::default()
    };
    assert_eq!(
        CheckTarget::from_project(&bad_dns).unwrap_err().field(),
        "dns_server"
    );
}

#[test]
fn a_quick_audit_is_validated_like_the_form() {
    let quick = QuickAudit {
        domain: "Bücher.example".into(),
        subdomains: vec!["app".into(), " ".into(), "app".into(), "api".into()],
        legacy: vec![("/old".into(), "/new".into())],
        ..QuickAudit::default()
    };
    let target = CheckTarget::from_quick(&quick).unwrap();
    assert_eq!(
        target.hosts,
        [
            "xn--bcher-kva.example",
            "app.xn--bcher-kva.example",
            "api.xn--bcher-kva.example"
        ]
    );
    assert_eq!((target.https_port, target.http_port), (443, 80));
    for (bad, field) in [
        (
            QuickAudit {
                domain: "not a domain".into(),
                ..QuickAudit::default()
            },
            "DOMAIN",
        ),
        (
            QuickAudit {
                domain: "example.test".into(),
                subdomains: vec!["bad_label!".into()],
                ..QuickAudit::default()
            },
            "--subdomains",
        ),
        (
            QuickAudit {
                domain: "example.test".into(),
                dns_server: Some("300.1.1.1".into()),
                ..QuickAudit::default()
            },
            "--dns-server",
        ),
    ] {
        assert_eq!(CheckTarget::from_quick(&bad).unwrap_err().field(), field);
    }
}

#[test]
fn the_network_context_is_built_once_per_target() {
    let target = CheckTarget {
        apex: "example.test".into(),
        hosts: vec!["example.test".into()],
        ..CheckTarget::default()
    };
    let first = target.net().unwrap();
    let second = target.net().unwrap();
    assert!(first.same_context(&second));
}

#[test]
fn a_project_files_environment_credential_is_read_when_the_target_is_built() {
    use handover_model::{Endpoint, EndpointAuth, EndpointRole, Method};
    std::env::set_var("HANDOVER_TARGET_TEST_TOKEN", "from-the-environment");
    let auth = |env: &str| EndpointAuth {
        env: env.into(),
        ..EndpointAuth::default()
    };
    let endpoint = |path: &str, a: EndpointAuth| Endpoint {
        role: EndpointRole::Dashboard,
        method: Method::Get,
        path: path.into(),
        body: String::new(),
        headers: Vec::new(),
        expected_status: 200,
        auth: Some(a),
    };
    let spec = ProjectSpec {
        name: "P".into(),
        apex: "example.com".into(),
        endpoints: vec![
            endpoint("/a", auth("HANDOVER_TARGET_TEST_TOKEN")),
            endpoint(
                "/b",
                EndpointAuth {
                    credential_id: Some(3),
                    ..EndpointAuth::default()
                },
            ),
        ],
        ..ProjectSpec::default()
    };
    let target = CheckTarget::from_project(&spec).unwrap();
    let (_, value) = target
        .credentials
        .header(&auth("HANDOVER_TARGET_TEST_TOKEN"))
        .unwrap();
    assert_eq!(value.to_str().unwrap(), "Bearer from-the-environment");
    let stored = target
        .credentials
        .header(spec.endpoints[1].auth.as_ref().unwrap());
    assert!(
        stored
            .unwrap_err()
            .to_string()
            .contains("a project file names an environment variable"),
        "a project file run never reaches into the keychain"
    );
}

#[test]
fn ports_and_each_environments_env_file_come_from_the_project() {
    let spec = ProjectSpec {
        apex: "example.test".into(),
        environments: vec![
            Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://example.test:8443".into(),
                env_file: "/srv/env/production.env".into(),
            },
            Environment {
                kind: EnvironmentKind::Staging,
                base_url: "https://staging.example.test:8443".into(),
                env_file: " ".into(),
            },
        ],
        ports: handover_model::Ports {
            http: 8080,
            smtp: 2525,
        },
        ..ProjectSpec::default()
    };
    let target = CheckTarget::from_project(&spec).unwrap();
    assert_eq!((target.https_port, target.http_port), (8443, 8080));
    assert_eq!(target.smtp_port(), 2525);
    assert_eq!(
        target.env_files,
        [(
            "production".to_string(),
            PathBuf::from("/srv/env/production.env")
        )]
    );
    let standard = CheckTarget::from_project(&ProjectSpec {
        apex: "example.test".into(),
        ..ProjectSpec::default()
    })
    .unwrap();
    assert_eq!((standard.http_port, standard.smtp_port()), (80, 25));
}
