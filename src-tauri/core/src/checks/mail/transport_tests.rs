//! `email.transport` against SMTP servers on loopback.

use std::time::Duration;

use handover_model::{Cause, Severity};
use handover_testbed::{CertKind, SilentServer, SmtpKind, SmtpServer, TestBed, LOOPBACK};

use crate::checks::mail::bed::MailBed;
use crate::checks::net::{Limits, Net};

const MX: &str = "mx1.example.test";

/// A bed whose domain has one MX, `mx1.example.test`, at 127.0.0.1.
async fn bed() -> MailBed {
    MailBed::start(TestBed::builder().zone(|z| z.mx("@", 10, "mx1").a("mx1", LOOPBACK))).await
}

/// Runs the check against an SMTP server of `kind` and returns its one finding.
async fn against(kind: impl FnOnce(&MailBed) -> SmtpKind) -> handover_model::Finding {
    let mut bed = bed().await;
    let server = SmtpServer::start(kind(&bed), MX).await.unwrap();
    bed.target.smtp_port = server.port();
    let mut findings = bed.run("email.transport").await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    findings.remove(0)
}

fn leaf(bed: &MailBed, kind: CertKind) -> handover_testbed::Leaf {
    bed.bed.pki.issue(&[MX], kind).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_with_a_valid_certificate_passes_with_its_version() {
    let f = against(|b| SmtpKind::StartTls(leaf(b, CertKind::Valid))).await;
    assert_eq!(
        (f.severity, f.title.as_str(), f.target.as_str()),
        (
            Severity::Pass,
            "mx1.example.test accepts mail over STARTTLS (TLSv1_3)",
            f.target.as_str()
        )
    );
    assert!(f.target.starts_with("mx1.example.test:"), "{}", f.target);
    assert!(
        f.evidence
            .iter()
            .any(|l| l.contains("STARTTLS") && l.starts_with("EHLO keywords")),
        "{:?}",
        f.evidence
    );
    let f = against(|b| SmtpKind::StartTls12(leaf(b, CertKind::Valid))).await;
    assert_eq!(
        f.title,
        "mx1.example.test accepts mail over STARTTLS (TLSv1_2)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_mail_hosts_are_judged() {
    let f = against(|_| SmtpKind::Plain).await;
    assert_eq!(
        (f.severity, f.title.as_str()),
        (Severity::High, "mx1.example.test offers no STARTTLS")
    );
    let f = against(|_| SmtpKind::Closes).await;
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::High,
            "mx1.example.test closed the connection without greeting"
        )
    );
    let f = against(|_| SmtpKind::Refuses).await;
    assert_eq!(
        (f.severity, f.title.as_str()),
        (Severity::High, "mx1.example.test refuses SMTP (554)")
    );
    let f = against(|b| SmtpKind::StartTls(leaf(b, CertKind::Expired))).await;
    assert_eq!(
        (f.severity, f.title.as_str()),
        (
            Severity::Medium,
            "mx1.example.test's STARTTLS certificate is not valid: the certificate has expired"
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_or_silent_port_could_not_be_checked() {
    let mut bed = bed().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    bed.target.smtp_port = closed.local_addr().unwrap().port();
    drop(closed);
    let f = bed.run("email.transport").await.remove(0);
    assert_eq!(f.outcome.cause(), Some(Cause::Unreachable), "{f:#?}");
    assert!(
        f.outcome
            .reason()
            .unwrap_or_default()
            .contains("could not be reached"),
        "{f:#?}"
    );

    let silent = SilentServer::start().await.unwrap();
    bed.target.smtp_port = silent.port();
    let net = Net::with_limits(
        &bed.target,
        Limits {
            connect: Duration::from_millis(300),
            ..Limits::default()
        },
    )
    .unwrap();
    let f = crate::checks::run_with("email.transport", &net, &bed.target)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(f.outcome.cause(), Some(Cause::TimedOut), "{f:#?}");
}

#[test]
fn port_25_refusals_say_the_network_may_block_it() {
    let f = super::unreachable("mx1.example.test:25", 25, "connection refused");
    assert!(
        f.outcome
            .reason()
            .unwrap()
            .contains("Port 25 is blocked on many"),
        "{f:#?}"
    );
    let f = super::unreachable("mx1.example.test:2525", 2525, "connection refused");
    assert!(!f.outcome.reason().unwrap().contains("Port 25"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_without_mx_has_nothing_to_connect_to() {
    let bed = MailBed::start(TestBed::builder()).await;
    let f = bed.run("email.transport").await.remove(0);
    assert_eq!(f.outcome.cause(), Some(Cause::NothingToCheck), "{f:#?}");
}
