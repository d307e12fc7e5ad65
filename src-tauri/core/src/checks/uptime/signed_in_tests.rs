//! Signed-in routes and the cross-tenant probe against the test bed: the
//! credential goes where the project says, its value never reaches a
//! finding, and a refusal is only trusted when the credential works.

use handover_model::{
    AuthScheme, Cause, EndpointAuth, EndpointRole, Finding, Method, SecretText, Severity,
    TenantProbe,
};
use handover_testbed::{handler, Handler, Response, TestBed};

use super::tests::{endpoint, seen_at, summary, Seen};
use crate::checks::credentials::Credentials;
use crate::checks::web::bed_tests::Bed;

const APP: &str = "app.example.test";
const API: &str = "api.example.test";
const TOKEN: &str = "team-a-7f3c9e1d2b4a6f80";

fn bearer(id: i64) -> EndpointAuth {
    EndpointAuth {
        credential_id: Some(id),
        ..EndpointAuth::default()
    }
}

/// The app: `/dashboard` for team A's bearer token or its `sid` cookie,
/// 401 otherwise. The API: team B's document for anyone signed in when
/// `leaky`, else only for team B (404 to team A).
fn hosts(leaky: bool, seen: &Seen) -> (Handler, Handler) {
    let seen_app = seen.clone();
    let app = handler(move |req| {
        seen_app.lock().unwrap().push(req.clone());
        let bearer = req.header("authorization") == Some(&format!("Bearer {TOKEN}"));
        let cookie = req
            .header("cookie")
            .is_some_and(|c| c.split("; ").any(|kv| kv == format!("sid={TOKEN}")));
        match req.path() {
            "/dashboard" if bearer || cookie => Response::new(200)
                .header("Content-Type", "application/json")
                .body(r#"{"team":"a","documents":3}"#),
            "/dashboard" => Response::new(401).body("sign in"),
            _ => Response::not_found(),
        }
    });
    let seen_api = seen.clone();
    let api = handler(move |req| {
        seen_api.lock().unwrap().push(req.clone());
        let signed_in = req.header("authorization") == Some(&format!("Bearer {TOKEN}"));
        match req.path() {
            "/teams/b/documents/1" if signed_in && leaky => Response::new(200)
                .header("Content-Type", "application/json")
                .body(r#"{"team":"b","title":"Payroll 2026"}"#),
            "/teams/b/documents/1" if signed_in => Response::not_found(),
            "/teams/b/documents/1" => Response::new(401).body("sign in"),
            _ => Response::not_found(),
        }
    });
    (app, api)
}

async fn bed(leaky: bool, seen: &Seen, auth: EndpointAuth, secret: Option<&str>) -> Bed {
    let (app, api) = hosts(leaky, seen);
    let mut bed = Bed::start(TestBed::builder().site(APP, app).site(API, api)).await;
    let mut dashboard = endpoint(EndpointRole::Dashboard, Method::Get, "/dashboard", 200);
    dashboard.auth = Some(auth.clone());
    bed.target.endpoints = vec![dashboard];
    bed.target.credentials = Credentials::read([&auth], |_| match secret {
        Some(s) => Ok(SecretText::new(s.into())),
        None => Err("the keychain is locked".into()),
    });
    bed
}

async fn run(bed: &Bed, check: &str) -> Vec<Finding> {
    crate::checks::run_with(check, &bed.net, &bed.target)
        .await
        .expect("a check id")
}

fn never_shows_the_secret(findings: &[Finding]) {
    let text = serde_json::to_string(findings).unwrap();
    assert!(!text.contains(TOKEN), "the credential leaked into {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_in_dashboard_is_probed_with_its_credential_and_refuses_without_it() {
    let seen = Seen::default();
    let bed = bed(false, &seen, bearer(1), Some(TOKEN)).await;
    let uptime = run(&bed, super::health::CHECK).await;
    assert_eq!(
        summary(&uptime),
        [(
            super::health::CHECK,
            Severity::Pass,
            "Dashboard (signed in) answers 200 as expected"
        )]
    );
    let access = run(&bed, super::access::CHECK).await;
    assert_eq!(
        summary(&access),
        [
            (
                super::access::CHECK,
                Severity::Pass,
                "Dashboard refuses a caller without credentials (401)"
            ),
            (
                super::access::CHECK,
                Severity::Pass,
                "/admin refuses a caller without credentials (404)"
            ),
        ]
    );
    let sent: Vec<Option<String>> = seen_at(&seen, "/dashboard")
        .iter()
        .map(|r| r.header("authorization").map(str::to_string))
        .collect();
    assert_eq!(sent, [Some(format!("Bearer {TOKEN}")), None]);
    never_shows_the_secret(&uptime);
    never_shows_the_secret(&access);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_cookie_goes_in_the_cookie_header() {
    let seen = Seen::default();
    let cookie = EndpointAuth {
        scheme: AuthScheme::Cookie,
        name: "sid".into(),
        ..bearer(2)
    };
    let bed = bed(false, &seen, cookie, Some(TOKEN)).await;
    let uptime = run(&bed, super::health::CHECK).await;
    assert_eq!(uptime[0].severity, Severity::Pass, "{uptime:#?}");
    assert_eq!(
        seen_at(&seen, "/dashboard")[0].header("cookie"),
        Some(format!("sid={TOKEN}").as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_or_unreadable_credential_is_could_not_check_not_a_failure() {
    let seen = Seen::default();
    let expired = bed(false, &seen, bearer(1), Some("expired-token")).await;
    let uptime = run(&expired, super::health::CHECK).await;
    assert_eq!(uptime.len(), 1);
    assert_eq!(uptime[0].outcome.cause(), Some(Cause::CouldNotStart));
    let reason = uptime[0].outcome.reason().unwrap();
    assert!(
        reason.starts_with("the stored credential was not accepted (401): renew it in Accounts"),
        "{reason}"
    );

    let locked = bed(false, &seen, bearer(1), None).await;
    let before = seen_at(&seen, "/dashboard").len();
    let uptime = run(&locked, super::health::CHECK).await;
    assert_eq!(uptime[0].outcome.cause(), Some(Cause::CouldNotStart));
    assert_eq!(
        uptime[0].outcome.reason(),
        Some("the credential (credential 1) could not be read: the keychain is locked")
    );
    assert_eq!(
        seen_at(&seen, "/dashboard").len(),
        before,
        "nothing was sent"
    );
}

fn tenant(bed: &mut Bed) {
    bed.target.tenant_probe = Some(TenantProbe {
        other_tenant_url: "/teams/b/documents/1".into(),
        auth: bearer(1),
    });
}

/// The cross-tenant finding: the last one `access.boundaries` makes.
async fn cross_tenant(bed: &Bed) -> Finding {
    let findings = run(bed, super::access::CHECK).await;
    never_shows_the_secret(&findings);
    findings.last().cloned().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_teams_document_read_with_our_credential_is_a_blocker() {
    let seen = Seen::default();
    let mut leaky = bed(true, &seen, bearer(1), Some(TOKEN)).await;
    tenant(&mut leaky);
    let f = cross_tenant(&leaky).await;
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::Blocker,
            "One team's credential reads another team's resource (200)"
        )
    );
    assert_eq!(f.target, leaky.https(API, "/teams/b/documents/1"));
    assert!(
        f.evidence
            .contains(&"sent with credential 1 as bearer token (value not shown)".to_string()),
        "{:?}",
        f.evidence
    );
    assert!(
        f.evidence
            .iter()
            .any(|e| e.starts_with("control: its own team's") && e.ends_with("answered 200")),
        "{:?}",
        f.evidence
    );
    assert!(
        f.evidence
            .contains(&r#"body starts: {"team":"b","title":"Payroll 2026"}"#.to_string()),
        "{:?}",
        f.evidence
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_passes_only_when_the_credential_works_on_its_own_team() {
    let seen = Seen::default();
    let mut safe = bed(false, &seen, bearer(1), Some(TOKEN)).await;
    tenant(&mut safe);
    let f = cross_tenant(&safe).await;
    assert_eq!(
        (f.severity, f.title.as_str(), f.outcome.is_inconclusive()),
        (
            Severity::Pass,
            "Another team's resource is refused (404)",
            false
        )
    );

    // No signed-in endpoint uses the credential: nothing confirms it works.
    let mut alone = bed(false, &seen, bearer(1), Some(TOKEN)).await;
    alone.target.endpoints.clear();
    tenant(&mut alone);
    let f = cross_tenant(&alone).await;
    assert_eq!(f.outcome.cause(), Some(Cause::CouldNotStart));
    assert!(f
        .outcome
        .reason()
        .unwrap()
        .contains("no signed-in endpoint of the project uses this credential"));

    // An expired credential is refused everywhere: not a pass.
    let mut expired = bed(false, &seen, bearer(1), Some("expired-token")).await;
    tenant(&mut expired);
    let f = cross_tenant(&expired).await;
    assert_eq!(f.outcome.cause(), Some(Cause::CouldNotStart));
    assert!(
        f.outcome
            .reason()
            .unwrap()
            .contains("answered 401 with this credential, so it may have expired"),
        "{:?}",
        f.outcome
    );
}
