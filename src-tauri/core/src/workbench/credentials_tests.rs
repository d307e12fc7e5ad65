//! A stored project's signed-in probes read their credential from the
//! keychain when the run starts; the secret reaches the wire and nowhere
//! else (not the stored run), and a credential of another project is not
//! used.

use std::sync::Arc;

use handover_model::{
    AccountSaveRequest, AccountSpec, CredentialKind, CredentialSaveRequest, Endpoint, EndpointAuth,
    EndpointRole, Environment, EnvironmentKind, Method, ProjectSaveRequest, ProjectSpec, RunSource,
    SecretText, ServiceKind, Subdomain, SubdomainPurpose,
};
use handover_testbed::{handler, Response, TestBed};

use super::Workbench;
use crate::store::Store;
use crate::vault::Vault;

const TOKEN: &str = "dash-session-0c1d2e3f4a5b6c7d";

fn spec(name: &str, bed: &TestBed, ca: &std::path::Path, credential_id: i64) -> ProjectSpec {
    ProjectSpec {
        name: name.into(),
        apex: "example.test".into(),
        subdomains: vec![Subdomain {
            label: "app".into(),
            purpose: SubdomainPurpose::App,
        }],
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: format!("https://example.test:{}", bed.https_port()),
            env_file: String::new(),
        }],
        endpoints: vec![Endpoint {
            role: EndpointRole::Dashboard,
            method: Method::Get,
            path: "/dashboard".into(),
            body: String::new(),
            headers: Vec::new(),
            expected_status: 200,
            auth: Some(EndpointAuth {
                credential_id: Some(credential_id),
                ..EndpointAuth::default()
            }),
        }],
        dns_server: bed.dns_server().to_string(),
        ca_file: ca.display().to_string(),
        ..ProjectSpec::default()
    }
}

async fn project_with_credential(bench: &Workbench, name: &str) -> (i64, i64) {
    let project = bench
        .save(ProjectSaveRequest {
            id: None,
            spec: ProjectSpec {
                name: name.into(),
                apex: "example.test".into(),
                ..ProjectSpec::default()
            },
        })
        .await
        .unwrap();
    let credential = stored_api_key(bench, project.id, "dashboard session", TOKEN).await;
    (project.id, credential)
}

/// Stores an API key `secret` labelled `label` under a new hosting account
/// of project `project_id` (its secret goes to the workbench's keychain);
/// answers the credential's id.
pub(super) async fn stored_api_key(
    bench: &Workbench,
    project_id: i64,
    label: &str,
    secret: &str,
) -> i64 {
    let account = bench
        .save_account(AccountSaveRequest {
            project_id,
            id: None,
            spec: AccountSpec {
                kind: ServiceKind::Hosting,
                provider: "Render".into(),
                ..AccountSpec::default()
            },
        })
        .await
        .unwrap();
    bench
        .save_credential(CredentialSaveRequest {
            account_id: account.id,
            credential_id: None,
            kind: CredentialKind::ApiKey,
            label: label.into(),
            secret: SecretText::new(secret.into()),
        })
        .await
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keychain_credential_signs_the_probe_in_and_stays_out_of_the_stored_run() {
    let bed = TestBed::builder()
        .site(
            "app.example.test",
            handler(|req| match req.path() {
                "/dashboard" if req.header("authorization") == Some(&format!("Bearer {TOKEN}")) => {
                    Response::new(200).body("{\"documents\":3}")
                }
                "/dashboard" => Response::new(401),
                _ => Response::not_found(),
            }),
        )
        .start()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();
    let store: Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new().unwrap();
    let bench = Workbench::new(
        Store::open_in_memory().unwrap(),
        Arc::new(Vault::with_store("mock store", store)),
        "tester",
    );
    let (ours, credential) = project_with_credential(&bench, "Ours").await;
    let (_, theirs) = project_with_credential(&bench, "Theirs").await;
    bench
        .save(ProjectSaveRequest {
            id: Some(ours),
            spec: spec("Ours", &bed, &ca, credential),
        })
        .await
        .unwrap();

    let only = ["uptime.endpoints".to_string()];
    let run = bench
        .run_checks(ours, &only, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "uptime.endpoints")
        .unwrap();
    assert_eq!(
        f.title, "Dashboard (signed in) answers 200 as expected",
        "{f:#?}"
    );
    let stored = bench.run(run.summary.id).await.unwrap();
    assert!(!serde_json::to_string(&stored).unwrap().contains(TOKEN));

    // Another project's credential cannot be chosen for this one.
    let refused = bench
        .save(ProjectSaveRequest {
            id: Some(ours),
            spec: spec("Ours", &bed, &ca, theirs),
        })
        .await
        .unwrap_err();
    match refused {
        super::WorkError::Invalid(errors) => {
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "endpoints.0.auth.credential_id");
            assert!(errors[0]
                .message
                .contains("is not one of this project's credentials"));
        }
        other => panic!("{other:?}"),
    }
    // A credential deleted after it was chosen: the probe cannot run.
    bench.delete_credential(credential).await.unwrap();
    let run = bench
        .run_checks(ours, &only, RunSource::Window, Arc::new(|_| {}))
        .await
        .unwrap();
    let f = run
        .findings
        .iter()
        .find(|f| f.check == "uptime.endpoints")
        .unwrap();
    let reason = f.outcome.reason().unwrap_or_default();
    assert!(
        reason.contains(&format!(
            "credential {credential} is not one of this project's credentials (was it deleted?)"
        )),
        "{f:#?}"
    );
    assert!(
        bed.https
            .requests()
            .iter()
            .filter(|r| r.path() == "/dashboard")
            .count()
            == 1,
        "the second run sent nothing to the dashboard"
    );
}
