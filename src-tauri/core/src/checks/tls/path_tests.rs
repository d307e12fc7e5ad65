//! The TLS checks judge the verified path, short-lived certificates on
//! their lifetime, and tell an incomplete chain from an untrusted one.

use handover_model::Severity;
use handover_testbed::pki::{AIA_URL, CA_NAME};
use handover_testbed::{CertKind, TestBed};

use super::endpoint;
use super::tests::{expected, one, run, verdicts};
use crate::checks::net::bed::target;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_an_expired_cross_sign_beside_a_valid_path_is_not_a_blocker() {
    let bed = TestBed::builder()
        .cert("app.example.test", CertKind::ExpiredCrossSign)
        .start()
        .await
        .unwrap();
    let target = target(&bed);
    let findings = run(target.clone()).await;
    // Only the chain says anything, and only "low": the path is valid.
    assert_eq!(
        verdicts(&findings),
        expected(&target, &[("tls.chain", "app.example.test", Severity::Low)]),
        "{findings:#?}"
    );
    let at = endpoint("app.example.test", target.https_port);
    let expiry = one(&findings, "tls.expiry", &at);
    assert!(
        expiry
            .title
            .starts_with(&format!("{at}'s certificate expires in")),
        "{}",
        expiry.title
    );
    assert!((89.0..=90.0).contains(&expiry.measured[0].value));
    assert!(
        expiry
            .detail
            .contains("Judged on the 2 certificate(s) of the verified path"),
        "{}",
        expiry.detail
    );
    assert!(
        expiry.evidence[2].starts_with(&format!("{CA_NAME}: not on the path")),
        "{:?}",
        expiry.evidence
    );
    let chain = one(&findings, "tls.chain", &at);
    assert_eq!(
        chain.title,
        format!("{at} sends an extra certificate in the chain, not used for the path")
    );
    assert!(
        chain
            .detail
            .contains("Handover Test Bed CA (issued by Handover Test Bed Retired Root, expired on"),
        "{}",
        chain.detail
    );
    assert!(
        chain.detail.contains("revocation (OCSP, CRL"),
        "{}",
        chain.detail
    );
    assert!(
        chain.evidence[2].ends_with("(not on the path)"),
        "{:?}",
        chain.evidence
    );
    let protocols = one(&findings, "tls.protocols", &at);
    assert!(
        protocols.detail.contains("weak cipher suites"),
        "{}",
        protocols.detail
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_short_lived_certificates_are_judged_on_their_lifetime() {
    let bed = TestBed::builder()
        .cert(
            "app.example.test",
            CertKind::Lifetime { days: 45, left: 10 },
        )
        .cert("api.example.test", CertKind::Lifetime { days: 90, left: 2 })
        .cert(
            "docs.example.test",
            CertKind::Lifetime { days: 90, left: 20 },
        )
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
                // 10 of 45 days left: more than a sixth (7.5), at most a third.
                ("tls.expiry", "app.example.test", Severity::Info),
                // 2 of 90 days left: at most a tenth (9).
                ("tls.expiry", "api.example.test", Severity::Blocker),
                // 20 of 90: renewal is due, not yet failing for long.
                ("tls.expiry", "docs.example.test", Severity::Info),
            ]
        ),
        "{findings:#?}"
    );
    let port = target.https_port;
    let f = one(&findings, "tls.expiry", &endpoint("app.example.test", port));
    assert_eq!(
        (f.measured[0].name.as_str(), f.measured[0].value),
        ("days_left", 10.0)
    );
    assert_eq!(
        (f.measured[1].name.as_str(), f.measured[1].value),
        ("lifetime_days", 45.0)
    );
    assert!(
        f.detail
            .contains("A 45-day certificate is judged on its lifetime"),
        "{}",
        f.detail
    );
    let f = one(&findings, "tls.expiry", &endpoint("api.example.test", port));
    assert_eq!(
        f.title,
        format!("api.example.test:{port}'s certificate expires in 2 days")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_tls_an_incomplete_chain_is_high_and_an_untrusted_root_a_blocker() {
    let bed = TestBed::builder()
        .cert("app.example.test", CertKind::Incomplete)
        .cert("status.example.test", CertKind::UntrustedRoot)
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
                ("tls.chain", "app.example.test", Severity::High),
                ("tls.chain", "status.example.test", Severity::Blocker),
            ]
        ),
        "{findings:#?}"
    );
    let port = target.https_port;
    let app = endpoint("app.example.test", port);
    let chain = one(&findings, "tls.chain", &app);
    assert_eq!(
        chain.title,
        format!("{app} sends an incomplete certificate chain")
    );
    assert!(
        chain.detail.contains("some clients refuse it"),
        "{}",
        chain.detail
    );
    assert!(
        chain
            .detail
            .contains("not Handover Test Bed Intermediate, which issued app.example.test"),
        "{}",
        chain.detail
    );
    assert_eq!(
        chain.evidence.last().unwrap(),
        &format!("AIA caIssuers: {AIA_URL}")
    );
    // No verified path: the presented chain (the leaf alone) is judged, and said so.
    let expiry = one(&findings, "tls.expiry", &app);
    assert!(
        expiry.detail.contains("No path to a trusted root verified"),
        "{}",
        expiry.detail
    );

    let status = endpoint("status.example.test", port);
    let chain = one(&findings, "tls.chain", &status);
    assert_eq!(
        chain.title,
        format!("{status}'s certificate is not trusted")
    );
    assert!(
        chain
            .detail
            .contains("ends at Untrusted Test Root (issued by Untrusted Test Root)"),
        "{}",
        chain.detail
    );
    assert!(
        chain.detail.contains("revocation (OCSP, CRL"),
        "{}",
        chain.detail
    );
    assert_eq!(one(&findings, "tls.expiry", &status).evidence.len(), 3);
}
