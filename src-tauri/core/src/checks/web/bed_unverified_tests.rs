//! One pass finds everything: a host whose certificate is invalid gets its
//! certificate reported by the TLS checks and its HTTP-level problems by
//! the web checks, which look past the certificate and say so.

use std::sync::Arc;

use handover_model::{Finding, Severity};
use handover_testbed::{handler, CertKind, Handler, Response, TestBed, TestBedBuilder};
use url::Url;

use crate::checks::http::bed_tests::{assert_polite, target_of};
use crate::checks::http::unverified::{past_invalid_certificate, MARK};
use crate::checks::http::{fetch, Request};
use crate::checks::net::Net;
use crate::checks::tls::endpoint;
use crate::checks::{all, run_all, CheckTarget, RunLimits};

const API: &str = "api.example.test";
const EXPIRED: &str = "the certificate has expired";

/// An API that echoes any Origin and allows credentials, and sets a
/// session cookie without `Secure` or `HttpOnly`.
fn reflecting() -> Handler {
    handler(|req| {
        let mut r = Response::new(200)
            .header("Content-Type", "application/json")
            .header("Set-Cookie", "session=opaque; Path=/")
            .body("{}");
        if let Some(origin) = req.header("origin") {
            r = r
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Credentials", "true");
        }
        r
    })
}

/// One whole run over the bed `builder` makes, its target and findings;
/// the run kept to its connection budget on every host.
async fn run(builder: TestBedBuilder) -> (CheckTarget, Vec<Finding>) {
    let bed = builder
        .site(API, reflecting())
        .start()
        .await
        .expect("the bed starts");
    let mut target = target_of(&bed);
    target.paths = vec![("api_health".into(), "/health".into())];
    target.cors_origins = vec!["https://app.example.test".into()];
    let findings = run_all(
        &all(),
        Arc::new(target.clone()),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await;
    let counts = assert_polite(&bed, &target.hosts);
    assert!(
        counts.iter().all(|(_, https, _)| *https >= 2),
        "every host was inspected: {counts:?}"
    );
    (target, findings)
}

/// Check, severity and target of each finding `keep` keeps, in order.
fn exact(findings: &[Finding], keep: impl Fn(&Finding) -> bool) -> Vec<(&str, Severity, &str)> {
    findings
        .iter()
        .filter(|f| keep(f))
        .map(|f| (f.check.as_str(), f.severity, f.target.as_str()))
        .collect()
}

fn marked(f: &Finding) -> bool {
    past_invalid_certificate(f).is_some()
        || f.detail.contains("Checked past an invalid certificate")
        || f.evidence.iter().any(|l| l.contains(MARK))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_api_certificate_no_longer_hides_its_cors_blocker() {
    let (target, findings) = run(TestBed::builder().cert(API, CertKind::Expired)).await;
    let port = target.https_port;
    let api_root = format!("https://{API}:{port}/");
    let api_health = format!("https://{API}:{port}/health");
    let api_endpoint = endpoint(API, port);
    assert_eq!(
        exact(&findings, |f| !f.outcome.is_inconclusive()
            && f.severity == Severity::Blocker),
        [
            ("cors.policy", Severity::Blocker, api_root.as_str()),
            ("cors.policy", Severity::Blocker, api_health.as_str()),
            ("tls.expiry", Severity::Blocker, api_endpoint.as_str()),
        ],
        "{findings:#?}"
    );
    let cors = findings
        .iter()
        .find(|f| f.check == "cors.policy" && f.severity == Severity::Blocker)
        .unwrap();
    assert_eq!(past_invalid_certificate(cors), Some(EXPIRED));
    assert_eq!(cors.evidence[0], format!("{MARK}: {EXPIRED}"));
    assert!(
        cors.detail
            .contains(&format!("Checked past an invalid certificate ({EXPIRED})")),
        "{}",
        cors.detail
    );
    // The certificate's own findings stay as they were: unmarked.
    let tls_expiry = findings
        .iter()
        .find(|f| f.check == "tls.expiry" && f.severity == Severity::Blocker)
        .unwrap();
    assert!(!marked(tls_expiry), "{tls_expiry:#?}");
    // Every web check judged the API host instead of giving up on it, and
    // every finding marked is about the API host, never another one.
    let on_api =
        |f: &Finding| f.host == API && !f.check.starts_with("tls.") && !f.check.starts_with("dns.");
    let web_on_api: Vec<&Finding> = findings.iter().filter(|f| on_api(f)).collect();
    assert!(
        web_on_api.iter().all(|f| !f.outcome.is_inconclusive()),
        "{web_on_api:#?}"
    );
    let cookies = web_on_api
        .iter()
        .find(|f| f.check == "headers.cookies")
        .expect("the API's cookie was judged");
    assert!(
        cookies.severity > Severity::Low && marked(cookies),
        "{cookies:#?}"
    );
    for check in [
        "headers.hsts",
        "headers.csp",
        "cors.policy",
        "cdn.private_not_cached",
    ] {
        assert!(
            web_on_api.iter().any(|f| f.check == check && marked(f)),
            "{check} judged past the certificate: {web_on_api:#?}"
        );
    }
    assert_eq!(
        exact(&findings, marked),
        exact(&findings, |f| on_api(f)
            && !f.outcome.is_inconclusive()
            && marked(f)),
    );
    assert!(findings
        .iter()
        .filter(|f| marked(f))
        .all(|f| past_invalid_certificate(f) == Some(EXPIRED)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_certificates_leave_no_mark_anywhere() {
    let (target, findings) = run(TestBed::builder()).await;
    let api_root = format!("https://{API}:{}/", target.https_port);
    let api_health = format!("https://{API}:{}/health", target.https_port);
    assert_eq!(
        exact(&findings, |f| !f.outcome.is_inconclusive()
            && f.severity == Severity::Blocker),
        [
            ("cors.policy", Severity::Blocker, api_root.as_str()),
            ("cors.policy", Severity::Blocker, api_health.as_str()),
        ],
        "{findings:#?}"
    );
    assert_eq!(exact(&findings, marked), [], "{findings:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_invalid_certificate_is_fetched_past_with_its_reason() {
    let ok = || handler(|_| Response::text("ok"));
    let bed = TestBed::builder()
        .cert("app.example.test", CertKind::Expired)
        .cert("docs.example.test", CertKind::WrongHost)
        .cert("status.example.test", CertKind::SelfSigned)
        .cert(API, CertKind::UntrustedRoot)
        .site("app.example.test", ok())
        .site("docs.example.test", ok())
        .site("status.example.test", ok())
        .site(API, ok())
        .site("example.test", ok())
        .start()
        .await
        .expect("the bed starts");
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    let untrusted = "the certificate's issuer is not trusted (self-signed, or an unknown CA)";
    for (host, reason) in [
        ("app.example.test", Some(EXPIRED)),
        (
            "docs.example.test",
            Some("the certificate is for wrong-host.invalid, not this host"),
        ),
        ("status.example.test", Some(untrusted)),
        (API, Some(untrusted)),
        ("example.test", None),
    ] {
        let url = Url::parse(&format!("https://{host}:{}/", target.https_port)).unwrap();
        let response = fetch(&net, Request::get(url)).await.expect(host);
        assert_eq!(response.status, 200, "{host}");
        assert_eq!(response.body, b"ok", "{host}");
        assert_eq!(
            response.past_invalid_certificate.as_deref(),
            reason,
            "{host}"
        );
        let evidence = response.evidence("GET", &[]);
        assert_eq!(
            evidence.iter().any(|l| l.starts_with(MARK)),
            reason.is_some(),
            "{host}: {evidence:?}"
        );
    }
}
