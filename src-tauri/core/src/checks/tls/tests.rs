//! The TLS checks against the loopback test bed.

use std::sync::Arc;
use std::time::Instant;

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{CertKind, SilentServer, Site, TestBed, TlsVersions};

use super::inspect::{now_secs, CertInfo};
use super::path::Trust;
use super::{endpoint, expiry};
use crate::checks::net::bed::target;
use crate::checks::{run_all, CheckTarget, RunLimits};

fn tls_checks() -> Vec<std::sync::Arc<dyn crate::checks::Check>> {
    crate::checks::shared(super::definitions())
}

const CHECKS: [&str; 5] = [
    "tls.chain",
    "tls.expiry",
    "tls.handshake",
    "tls.hostname",
    "tls.protocols",
];

pub(super) async fn run(target: CheckTarget) -> Vec<Finding> {
    run_all(
        &tls_checks(),
        Arc::new(target),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await
}

pub(super) fn one<'a>(findings: &'a [Finding], check: &str, at: &str) -> &'a Finding {
    let matching: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check == check && f.target == at)
        .collect();
    assert_eq!(matching.len(), 1, "{check} on {at}: {findings:#?}");
    matching[0]
}

/// Every (check, endpoint, severity), sorted; `changes` replace the pass.
pub(super) fn expected(
    target: &CheckTarget,
    changes: &[(&str, &str, Severity)],
) -> Vec<(String, String, Severity)> {
    let mut v = Vec::new();
    for host in &target.hosts {
        for check in CHECKS {
            let at = endpoint(host, target.https_port);
            let severity = changes
                .iter()
                .find(|(c, h, _)| *c == check && *h == host)
                .map_or(Severity::Pass, |(_, _, s)| *s);
            v.push((check.to_string(), at, severity));
        }
    }
    v.sort();
    v
}

pub(super) fn verdicts(findings: &[Finding]) -> Vec<(String, String, Severity)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| (f.check.clone(), f.target.clone(), f.severity))
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_all_pass_on_the_healthy_bed_with_its_ca_trusted() {
    let bed = TestBed::start().await.unwrap();
    let target = target(&bed);
    let findings = run(target.clone()).await;
    assert_eq!(verdicts(&findings), expected(&target, &[]), "{findings:#?}");
    let at = endpoint("app.example.test", target.https_port);
    let handshake = one(&findings, "tls.handshake", &at);
    assert!(
        handshake.detail.contains("issued by Handover Test Bed CA"),
        "{}",
        handshake.detail
    );
    let expiry = one(&findings, "tls.expiry", &at);
    assert_eq!(expiry.measured[0].name, "days_left");
    assert!((89.0..=90.0).contains(&expiry.measured[0].value));
    let protocols = one(&findings, "tls.protocols", &at);
    assert!(
        protocols.detail.contains("cannot speak them"),
        "{}",
        protocols.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_tell_each_broken_certificate_apart() {
    let bed = TestBed::builder()
        .cert("app.example.test", CertKind::Expired)
        .cert("api.example.test", CertKind::ExpiresIn(20))
        .cert("docs.example.test", CertKind::WrongHost)
        .cert("status.example.test", CertKind::SelfSigned)
        .start()
        .await
        .unwrap();
    let target = target(&bed);
    let findings = run(target.clone()).await;
    assert_eq!(
        verdicts(&findings),
        expected(
            &target,
            &[
                ("tls.expiry", "app.example.test", Severity::Blocker),
                ("tls.expiry", "api.example.test", Severity::High),
                ("tls.hostname", "docs.example.test", Severity::Blocker),
                ("tls.chain", "status.example.test", Severity::Blocker),
            ]
        ),
        "{findings:#?}"
    );
    let port = target.https_port;
    let expired = one(&findings, "tls.expiry", &endpoint("app.example.test", port));
    assert!(
        expired.title.contains("certificate expired on"),
        "{}",
        expired.title
    );
    let soon = one(&findings, "tls.expiry", &endpoint("api.example.test", port));
    assert_eq!(soon.measured[0].value, 20.0);
    assert_eq!(
        soon.title,
        format!("api.example.test:{port}'s certificate expires in 20 days")
    );
    let wrong = one(
        &findings,
        "tls.hostname",
        &endpoint("docs.example.test", port),
    );
    assert_eq!(wrong.title, "Certificate does not cover docs.example.test");
    assert!(
        wrong.detail.contains("wrong-host.invalid"),
        "{}",
        wrong.detail
    );
    let selfie = one(
        &findings,
        "tls.chain",
        &endpoint("status.example.test", port),
    );
    assert_eq!(
        selfie.title,
        format!("status.example.test:{port} presents a self-signed certificate")
    );
    assert!(
        selfie.evidence[0].contains("issuer: status.example.test"),
        "{:?}",
        selfie.evidence
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_without_the_extra_ca_no_chain_is_trusted() {
    let bed = TestBed::start().await.unwrap();
    let mut target = target(&bed);
    target.extra_ca_pem = None;
    let findings = run(target.clone()).await;
    let changes: Vec<(&str, &str, Severity)> = target
        .hosts
        .iter()
        .map(|h| ("tls.chain", h.as_str(), Severity::Blocker))
        .collect();
    assert_eq!(verdicts(&findings), expected(&target, &changes));
    let chain = one(
        &findings,
        "tls.chain",
        &endpoint("example.test", target.https_port),
    );
    assert!(
        chain.detail.contains("Handover Test Bed CA"),
        "{}",
        chain.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_not_yet_valid_and_intermediates_count() {
    let bed = TestBed::builder()
        .cert("app.example.test", CertKind::NotYetValid)
        .start()
        .await
        .unwrap();
    let leaf = bed.pki.via_intermediate(&["app.example.test"], 5).unwrap();
    let via = handover_testbed::HttpsServer::start(vec![Site::new(
        "app.example.test",
        handover_testbed::bed::default_page("app.example.test"),
    )
    .cert(leaf)])
    .await
    .unwrap();
    let mut target = target(&bed);
    target.hosts = vec!["app.example.test".into()];
    let findings = run(target.clone()).await;
    let early = one(
        &findings,
        "tls.expiry",
        &endpoint("app.example.test", target.https_port),
    );
    assert_eq!(early.severity, Severity::Blocker);
    assert_eq!(
        early.title,
        "app.example.test's certificate is not valid yet"
    );

    target.https_port = via.port();
    let findings = run(target.clone()).await;
    assert_eq!(
        verdicts(&findings),
        expected(
            &target,
            &[("tls.expiry", "app.example.test", Severity::Blocker)]
        )
    );
    let inter = one(
        &findings,
        "tls.expiry",
        &endpoint("app.example.test", via.port()),
    );
    assert_eq!(
        inter.title,
        "Intermediate certificate Handover Test Bed Intermediate expires in 5 days"
    );
    assert_eq!(
        inter.evidence.len(),
        2,
        "every certificate presented is listed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_protocols_are_tried_one_by_one() {
    for (versions, severity, title) in [
        (
            TlsVersions::Tls12Only,
            Severity::Low,
            "does not offer TLS 1.3",
        ),
        (
            TlsVersions::Tls13Only,
            Severity::Pass,
            "offers TLS 1.3 only",
        ),
    ] {
        let bed = TestBed::builder()
            .tls_versions(versions)
            .start()
            .await
            .unwrap();
        let mut target = target(&bed);
        target.hosts = vec!["example.test".into()];
        let findings = run(target.clone()).await;
        let at = endpoint("example.test", target.https_port);
        let f = one(&findings, "tls.protocols", &at);
        assert_eq!(f.severity, severity, "{versions:?}");
        assert_eq!(f.title, format!("{at} {title}"));
        assert_eq!(
            one(&findings, "tls.handshake", &at).severity,
            Severity::Pass
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_a_handshake_stall_ends_in_time_with_typed_findings() {
    let bed = TestBed::start().await.unwrap();
    let stall = SilentServer::start().await.unwrap();
    let mut target = target(&bed);
    target.https_port = stall.port();
    let started = Instant::now();
    let findings = run(target.clone()).await;
    let elapsed = started.elapsed();
    eprintln!("TLS handshake stall: all TLS checks finished in {elapsed:?}");
    assert!(
        elapsed < tls_checks()[0].deadline().mul_f64(1.1),
        "{elapsed:?}"
    );
    for host in &target.hosts {
        let at = endpoint(host, stall.port());
        // A peer that accepts and then stays silent: the checks could not look.
        let f = one(&findings, "tls.handshake", &at);
        assert_eq!(
            f.outcome,
            Outcome::Inconclusive {
                cause: Cause::TimedOut,
                reason: format!("{at} did not complete a TLS handshake within 8 s"),
            }
        );
        for check in ["tls.chain", "tls.hostname", "tls.expiry", "tls.protocols"] {
            let f = one(&findings, check, &at);
            assert!(
                matches!(
                    f.outcome,
                    Outcome::Inconclusive {
                        cause: Cause::TimedOut,
                        ..
                    }
                ),
                "{check}: {f:?}"
            );
        }
    }
}

#[test]
fn checks_tls_expiry_thresholds() {
    let now = now_secs();
    let cert = |days: i64| CertInfo {
        subject: "leaf".into(),
        issuer: "ca".into(),
        not_before: now - 86_400,
        not_after: now + days * 86_400 + 3_600,
        names: vec![],
        self_issued: false,
        ca_issuers: vec![],
    };
    let trusted = Trust::Trusted {
        dates_ok: true,
        on_path: vec![true, true],
    };
    for (days, severity) in [
        (-1, Severity::Blocker),
        (7, Severity::Blocker),
        (8, Severity::High),
        (30, Severity::High),
        (31, Severity::Info),
        (60, Severity::Info),
        (61, Severity::Pass),
    ] {
        let f = expiry::expiry("tls.expiry", "x", &[cert(400), cert(days)], &trusted);
        assert_eq!(f.severity, severity, "{days} days");
        assert_eq!(f.measured[0].value, days as f64);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_a_closed_port_is_could_not_check_with_the_reason() {
    let bed = TestBed::start().await.unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut target = target(&bed);
    target.https_port = closed;
    let findings = run(target.clone()).await;
    assert_eq!(findings.len(), target.hosts.len() * CHECKS.len());
    for f in &findings {
        let at = endpoint(&f.host, closed);
        assert_eq!(
            f.outcome,
            Outcome::Inconclusive {
                cause: Cause::Unreachable,
                reason: format!("{at} refused the connection: nothing listens for HTTPS there"),
            },
            "{f:?}"
        );
        assert_eq!(f.port, Some(closed));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_and_caa_share_two_handshakes_per_host() {
    let bed = TestBed::start().await.unwrap();
    let target = std::sync::Arc::new(target(&bed));
    let mut checks = tls_checks();
    checks.extend(
        crate::checks::all()
            .into_iter()
            .filter(|c| c.id() == "dns.caa"),
    );
    assert_eq!(checks.len(), CHECKS.len() + 1);
    let findings = run_all(
        &checks,
        target.clone(),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await;
    assert!(
        findings.iter().all(|f| !f.outcome.is_inconclusive()),
        "{findings:#?}"
    );
    for host in &target.hosts {
        // TLS 1.3 alone and TLS 1.2 alone, one each, for five TLS checks
        // and the CAA issuer comparison (it was eight); what a browser
        // offering both gets is read from them.
        assert_eq!(bed.https.handshakes_for(host), 2, "{host}");
        assert_eq!(bed.https.connections_for(host), 2, "{host}");
    }
}
