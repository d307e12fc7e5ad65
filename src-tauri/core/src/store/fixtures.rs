//! Test data shared by the store's tests.

use handover_model::{
    AccountSpec, ContactSpec, EmailSetup, Endpoint, EndpointRole, Environment, EnvironmentKind,
    Header, LatencyTarget, Method, Person, ProjectSpec, ServiceKind, Subdomain, SubdomainPurpose,
    TwoFactor,
};

/// A spec with every field set to something other than its default.
pub(crate) fn full_spec(name: &str) -> ProjectSpec {
    ProjectSpec {
        name: name.to_owned(),
        description: "Chat assistant for small shops.".to_owned(),
        apex: "xn--bcher-kva.example".to_owned(),
        subdomains: vec![
            Subdomain {
                label: "app".to_owned(),
                purpose: SubdomainPurpose::App,
            },
            Subdomain {
                label: "eu.api".to_owned(),
                purpose: SubdomainPurpose::Custom,
            },
        ],
        environments: vec![
            Environment {
                kind: EnvironmentKind::Production,
                base_url: "https://app.example.com".to_owned(),
                env_file: "/srv/app/.env.production".to_owned(),
            },
            Environment {
                kind: EnvironmentKind::Staging,
                base_url: "http://staging.example.com:8080".to_owned(),
                env_file: String::new(),
            },
        ],
        endpoints: vec![Endpoint {
            role: EndpointRole::Chat,
            method: Method::Post,
            path: "/api/chat?stream=0".to_owned(),
            body: r#"{"message":"héllo \"there\""}"#.to_owned(),
            headers: vec![Header {
                name: "Content-Type".to_owned(),
                value: "application/json".to_owned(),
            }],
            expected_status: 201,
            auth: None,
        }],
        cors_origins: vec!["https://app.example.com".to_owned()],
        legacy_urls: vec![handover_model::LegacyUrl {
            from: "/pricing-2024".into(),
            to: "/pricing".into(),
        }],
        email: EmailSetup {
            sending_domain: "mail.example.com".to_owned(),
            dkim_selectors: vec!["google".to_owned(), "s1".to_owned()],
        },
        latency_targets: vec![LatencyTarget {
            role: EndpointRole::ApiHealth,
            p95_ms: 300,
        }],
        smoke_steps: Vec::new(),
        tenant_probe: None,
        chat_failure: None,
        repo_path: "/home/me/src/shop".to_owned(),
        build_output: "/home/me/src/shop/dist".to_owned(),
        dns_server: "10.0.0.53:5353".to_owned(),
        ca_file: "/etc/ssl/internal-ca.pem".to_owned(),
        notes: "Launch on Monday.\nLine two.".to_owned(),
        eval: full_eval(),
        ports: handover_model::Ports {
            http: 8080,
            smtp: 2525,
        },
    }
}

/// An account spec of `kind` at `provider` with every field set to something
/// other than its default.
pub(crate) fn full_account(kind: ServiceKind, provider: &str) -> AccountSpec {
    AccountSpec {
        kind,
        provider: provider.to_owned(),
        login_url: "https://dash.example.com/login?next=%2F".to_owned(),
        username: "ops+shop@example.com".to_owned(),
        owner: Person {
            name: "Ana Nuñez".to_owned(),
            email: "ana@example.com".to_owned(),
        },
        backup_owner: Person {
            name: "Bo \"B\" Li".to_owned(),
            email: "bo@example.com".to_owned(),
        },
        two_factor: TwoFactor::SecurityKey,
        recovery_codes_at: "Safe in the office, envelope 3".to_owned(),
        billing_owner: "Finance <billing@example.com>".to_owned(),
        last_verified: "2025-01-31".to_owned(),
        last_rotated: "2024-12-01".to_owned(),
        notes: "Shared with the agency.\nLine two.".to_owned(),
    }
}

/// A contact spec named `name` with every field set.
pub(crate) fn full_contact(name: &str) -> ContactSpec {
    ContactSpec {
        name: name.to_owned(),
        role: "on-call engineer".to_owned(),
        email: "oncall@example.com".to_owned(),
        channels: vec!["email".to_owned(), "slack #ops".to_owned()],
        verified: "2025-02-01".to_owned(),
    }
}

/// An evaluation setup with an adapter and one case using most fields.
pub(crate) fn full_eval() -> handover_model::EvalSetup {
    handover_model::EvalSetup {
        adapter: Some(handover_model::ChatAdapter {
            url: "/api/chat".into(),
            body: r#"{"message":"{{question}}"}"#.into(),
            answer: "/answer".into(),
            ..handover_model::ChatAdapter::default()
        }),
        cases: vec![handover_model::EvalCase {
            id: "receipts".into(),
            category: handover_model::EvalCategory::PolicyLookup,
            owasp: None,
            question: "When is a receipt \"needed\"?".into(),
            follow_ups: vec!["And abroad?".into()],
            expect: handover_model::Expect {
                contains: vec!["receipt".into()],
                max_latency_ms: Some(20_000),
                ..handover_model::Expect::default()
            },
        }],
        runs: 3,
        ..handover_model::EvalSetup::default()
    }
}
