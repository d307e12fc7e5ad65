use std::collections::{BTreeMap, BTreeSet};

use handover_model::{
    Account, AccountSpec, AccountsView, AuthScheme, Credential, CredentialKind, EndpointAuth,
    FailureTrigger, KeychainStatus, ProjectSpec, ServiceKind, SmokeStep, TenantProbe,
};

use super::*;
use crate::pages::project_form::state::usual_endpoints;

fn credential(id: i64, kind: CredentialKind, label: &str) -> Credential {
    Credential {
        id,
        account_id: 1,
        kind,
        label: label.into(),
        created_ms: 0,
        changed_ms: 0,
    }
}

fn account(provider: &str, kind: ServiceKind, credentials: Vec<Credential>) -> Account {
    Account {
        id: 1,
        project_id: 1,
        spec: AccountSpec {
            kind,
            provider: provider.into(),
            ..AccountSpec::default()
        },
        credentials,
        created_ms: 0,
        updated_ms: 0,
    }
}

#[test]
fn credentials_are_named_by_provider_label_and_kind() {
    let view = AccountsView {
        accounts: vec![
            account(
                "Acme SSO",
                ServiceKind::Hosting,
                vec![
                    credential(3, CredentialKind::ApiKey, "deploy token"),
                    credential(4, CredentialKind::Password, " "),
                ],
            ),
            account(
                "",
                ServiceKind::ModelApi,
                vec![credential(9, CredentialKind::Other, "key")],
            ),
        ],
        contacts: Vec::new(),
        findings: Vec::new(),
        groups: Vec::new(),
        first_gap: None,
        keychain: KeychainStatus::Available {
            store: "Secret Service".into(),
        },
    };
    let choices = credential_choices(&view);
    let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
    let model = ServiceKind::ModelApi.label();
    assert_eq!(
        labels,
        [
            "Acme SSO · deploy token (API key)".to_string(),
            "Acme SSO (Password)".to_string(),
            format!("{model} · key (Secret)"),
        ]
    );
    assert_eq!(choices.iter().map(|c| c.id).collect::<Vec<_>>(), [3, 4, 9]);
}

#[test]
fn the_signed_in_choice_round_trips_through_the_select() {
    assert_eq!(source_value(None), NO_AUTH);
    let cookie = EndpointAuth {
        scheme: AuthScheme::Cookie,
        name: "sid".into(),
        credential_id: None,
        env: "SID".into(),
    };
    assert_eq!(source_value(Some(&cookie)), ENV_AUTH);
    // A credential replaces the environment variable, keeping how it is sent.
    let chosen = with_source(Some(cookie.clone()), "credential-7").unwrap();
    assert_eq!(chosen.credential_id, Some(7));
    assert!(chosen.env.is_empty());
    assert_eq!(
        (chosen.scheme, chosen.name.as_str()),
        (AuthScheme::Cookie, "sid")
    );
    assert_eq!(source_value(Some(&chosen)), "credential-7");
    // Keeping the environment variable changes nothing; "none" signs out.
    assert_eq!(with_source(Some(cookie.clone()), ENV_AUTH), Some(cookie));
    assert_eq!(with_source(Some(chosen), NO_AUTH), None);
    let fresh = with_source(None, "credential-2").unwrap();
    assert_eq!(fresh.scheme, AuthScheme::Bearer);
}

#[test]
fn every_field_of_the_sections_has_a_place_for_its_error() {
    let mut spec = ProjectSpec {
        endpoints: usual_endpoints(),
        ..ProjectSpec::default()
    };
    let mut step = SmokeStep::for_role(handover_model::EndpointRole::Chat);
    step.body_contains = vec!["ok".into(), "".into()];
    spec.smoke_steps = vec![
        SmokeStep::for_role(handover_model::EndpointRole::Homepage),
        step,
    ];
    spec.endpoints[1].auth = Some(EndpointAuth::default());
    let paths = known_paths(&spec);
    for path in [
        "smoke_steps",
        "smoke_steps.0.json_pointer",
        "smoke_steps.1.body_contains.1",
        "endpoints.1.auth.name",
        "endpoints.1.auth.credential_id",
        "endpoints.1.auth.env",
    ] {
        assert!(paths.iter().any(|p| p == path), "{path}");
    }
    assert!(!paths.iter().any(|p| p.starts_with("endpoints.0.auth")));
    assert!(!paths.iter().any(|p| p.starts_with("tenant_probe")));
    assert!(!paths.iter().any(|p| p.starts_with("chat_failure")));

    spec.tenant_probe = Some(TenantProbe::default());
    spec.chat_failure = Some(FailureTrigger::default());
    let paths = known_paths(&spec);
    for path in [
        "tenant_probe.other_tenant_url",
        "tenant_probe.auth.credential_id",
        "chat_failure.headers",
        "chat_failure.headers.0.value",
        "chat_failure.body",
    ] {
        assert!(paths.iter().any(|p| p == path), "{path}");
    }
    // The form's own list of places includes these.
    let errors = vec![handover_model::FieldError {
        field: "smoke_steps.1.body_contains.1".into(),
        message: "Enter the text.".into(),
    }];
    assert!(crate::pages::project_form::state::orphan_errors(&errors, &spec).is_empty());
}

#[test]
fn swapping_two_steps_swaps_what_is_known_about_them() {
    let list = "smoke_steps";
    assert_eq!(
        swap_path("smoke_steps.1.max_ms", list, 1, 2),
        "smoke_steps.2.max_ms"
    );
    assert_eq!(
        swap_path("smoke_steps.2.body_contains.0", list, 1, 2),
        "smoke_steps.1.body_contains.0"
    );
    assert_eq!(swap_path("smoke_steps.2", list, 2, 1), "smoke_steps.1");
    assert_eq!(
        swap_path("smoke_steps.0.name", list, 1, 2),
        "smoke_steps.0.name"
    );
    assert_eq!(swap_path("smoke_steps", list, 1, 2), "smoke_steps");
    assert_eq!(
        swap_path("endpoints.1.path", list, 1, 2),
        "endpoints.1.path"
    );

    let touched: BTreeSet<String> = ["smoke_steps.0.name", "smoke_steps.1.role"]
        .into_iter()
        .map(String::from)
        .collect();
    let swapped: Vec<String> = swap_set(&touched, list, 0, 1).into_iter().collect();
    assert_eq!(swapped, ["smoke_steps.0.role", "smoke_steps.1.name"]);
    let mut raw = BTreeMap::new();
    raw.insert("smoke_steps.1.max_ms".to_string(), "12x".to_string());
    let moved = swap_map(&raw, list, 0, 1);
    assert_eq!(
        moved.get("smoke_steps.0.max_ms").map(String::as_str),
        Some("12x")
    );
}

#[test]
fn an_optional_number_may_be_left_empty() {
    assert_eq!(optional_number("", 999), Ok(None));
    assert_eq!(optional_number("  ", 999), Ok(None));
    assert_eq!(optional_number(" 404 ", 999), Ok(Some(404)));
    assert!(optional_number("4o4", 999).is_err());
    assert!(optional_number("1000", 999).is_err());
}
