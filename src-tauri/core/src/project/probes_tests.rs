//! The credentialed probes on the project form: where a secret is kept is
//! checked field by field; the secret itself never appears.

use handover_model::{AuthScheme, EndpointAuth, EndpointRole, FailureTrigger, TenantProbe};

use super::*;

fn with_auth(auth: EndpointAuth) -> ProjectSpec {
    ProjectSpec {
        name: "Opsbot".into(),
        apex: "example.com".into(),
        endpoints: vec![Endpoint {
            role: EndpointRole::Dashboard,
            method: Method::Get,
            path: "/dashboard".into(),
            body: String::new(),
            headers: Vec::new(),
            expected_status: 200,
            auth: Some(auth),
        }],
        ..ProjectSpec::default()
    }
}

fn problems(spec: &ProjectSpec) -> Vec<(String, String)> {
    match validate(spec) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.field, e.message)).collect(),
    }
}

fn fields(spec: &ProjectSpec) -> Vec<String> {
    problems(spec).into_iter().map(|(f, _)| f).collect()
}

#[test]
fn a_stored_credential_sent_as_a_bearer_token_is_fine() {
    let spec = with_auth(EndpointAuth {
        credential_id: Some(4),
        name: "ignored".into(),
        ..EndpointAuth::default()
    });
    let valid = validate(&spec).unwrap();
    let auth = valid.endpoints[0].auth.clone().unwrap();
    assert_eq!(auth.scheme, AuthScheme::Bearer);
    assert_eq!(
        auth.name, "",
        "a bearer token needs no name, so none is kept"
    );
}

#[test]
fn a_cookie_or_header_needs_a_name_that_http_can_carry() {
    for scheme in [AuthScheme::Cookie, AuthScheme::Header] {
        let spec = with_auth(EndpointAuth {
            scheme,
            credential_id: Some(4),
            ..EndpointAuth::default()
        });
        assert_eq!(fields(&spec), ["endpoints.0.auth.name"]);
        let spec = with_auth(EndpointAuth {
            scheme,
            name: "my session".into(),
            credential_id: Some(4),
            ..EndpointAuth::default()
        });
        assert_eq!(fields(&spec), ["endpoints.0.auth.name"]);
    }
}

#[test]
fn exactly_one_source_is_named() {
    let none = with_auth(EndpointAuth::default());
    assert_eq!(fields(&none), ["endpoints.0.auth.credential_id"]);
    let both = with_auth(EndpointAuth {
        credential_id: Some(2),
        env: "TOKEN".into(),
        ..EndpointAuth::default()
    });
    assert_eq!(fields(&both), ["endpoints.0.auth.env"]);
    let bad_env = with_auth(EndpointAuth {
        env: "1TOKEN-X".into(),
        ..EndpointAuth::default()
    });
    assert_eq!(fields(&bad_env), ["endpoints.0.auth.env"]);
    let env = with_auth(EndpointAuth {
        env: " HANDOVER_TOKEN ".into(),
        ..EndpointAuth::default()
    });
    assert_eq!(
        validate(&env).unwrap().endpoints[0]
            .auth
            .as_ref()
            .unwrap()
            .env,
        "HANDOVER_TOKEN"
    );
}

#[test]
fn the_tenant_probe_needs_an_address_on_the_projects_hosts_and_a_credential() {
    let mut spec = with_auth(EndpointAuth {
        credential_id: Some(1),
        ..EndpointAuth::default()
    });
    spec.tenant_probe = Some(TenantProbe::default());
    assert_eq!(
        fields(&spec),
        [
            "tenant_probe.other_tenant_url",
            "tenant_probe.auth.credential_id"
        ]
    );
    spec.tenant_probe = Some(TenantProbe {
        other_tenant_url: "https://evil.example.net/teams/b".into(),
        auth: EndpointAuth {
            credential_id: Some(1),
            ..EndpointAuth::default()
        },
    });
    assert_eq!(fields(&spec), ["tenant_probe.other_tenant_url"]);
    spec.tenant_probe = Some(TenantProbe {
        other_tenant_url: "/api/teams/b/documents/1".into(),
        auth: EndpointAuth {
            credential_id: Some(1),
            ..EndpointAuth::default()
        },
    });
    assert!(problems(&spec).is_empty());
}

#[test]
fn a_failure_trigger_says_what_fails_and_carries_no_credentials() {
    let mut spec = with_auth(EndpointAuth {
        credential_id: Some(1),
        ..EndpointAuth::default()
    });
    spec.chat_failure = Some(FailureTrigger {
        headers: Vec::new(),
        body: " ".into(),
    });
    assert_eq!(fields(&spec), ["chat_failure.headers"]);
    spec.chat_failure = Some(FailureTrigger {
        headers: vec![Header {
            name: "Authorization".into(),
            value: "x".into(),
        }],
        body: String::new(),
    });
    assert_eq!(fields(&spec), ["chat_failure.headers.0.name"]);
    spec.chat_failure = Some(FailureTrigger::default());
    assert!(problems(&spec).is_empty());
}
