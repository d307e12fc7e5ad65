//! `email.mx` against the loopback test bed.

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{DnsServer, TestBed, Zone, LOOPBACK};

use super::{mx_hosts, NULL_MX};
use crate::checks::mail::bed::{sorted, v, MailBed};
use crate::checks::net::Net;
use crate::checks::{run_with, CheckTarget};

/// Each finding as `(target, severity, title)`, in a stable order.
fn verdicts(findings: &[Finding]) -> Vec<(String, Severity, String)> {
    sorted("email.mx", findings)
}

async fn run(edit: impl FnOnce(Zone) -> Zone + Send + 'static) -> Vec<Finding> {
    let bed = MailBed::start(TestBed::builder().zone(edit)).await;
    bed.run("email.mx").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_two_hosts_with_addresses_pass() {
    let findings = run(|z| {
        z.mx("@", 10, "mx1")
            .mx("@", 20, "mx2")
            .a("mx1", LOOPBACK)
            .a("mx2", LOOPBACK)
    })
    .await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "mx1.example.test",
                Severity::Pass,
                "MX mx1.example.test resolves"
            ),
            v(
                "mx2.example.test",
                Severity::Pass,
                "MX mx2.example.test resolves"
            ),
        ],
        "{findings:#?}"
    );
    let mx1 = findings
        .iter()
        .find(|f| f.target == "mx1.example.test")
        .unwrap();
    assert_eq!(
        mx1.evidence,
        [
            "example.test MX 10 mx1.example.test",
            "mx1.example.test A 127.0.0.1"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_hosts_are_listed_by_preference_with_the_null_mx_marked() {
    let bed = MailBed::start(
        TestBed::builder().zone(|z| z.mx("@", 20, "mx2").mx("@", 10, "mx1").mx("@", 0, ".")),
    )
    .await;
    let hosts = mx_hosts(&bed.net, "example.test").await.unwrap();
    assert_eq!(
        hosts,
        [
            (0, NULL_MX.to_string()),
            (10, "mx1.example.test".to_string()),
            (20, "mx2.example.test".to_string()),
        ]
    );
    assert_eq!(mx_hosts(&bed.net, "app.example.test").await.unwrap(), []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_a_null_mx_alone_means_no_mail() {
    let findings = run(|z| z.mx("@", 0, ".")).await;
    assert_eq!(
        verdicts(&findings),
        [v(
            "example.test",
            Severity::Info,
            "example.test receives no mail (null MX)"
        )],
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence, ["example.test MX 0 ."]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_a_null_mx_beside_other_records_is_invalid() {
    let findings = run(|z| z.mx("@", 0, ".").mx("@", 10, "mx1").a("mx1", LOOPBACK)).await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "example.test",
                Severity::Medium,
                "example.test mixes a null MX with other MX records"
            ),
            v(
                "mx1.example.test",
                Severity::Pass,
                "MX mx1.example.test resolves"
            ),
        ],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_none_at_all_loses_replies() {
    let findings = run(|z| z).await;
    assert_eq!(
        verdicts(&findings),
        [v(
            "example.test",
            Severity::Medium,
            "example.test has no MX records"
        )],
        "{findings:#?}"
    );
    assert!(findings[0].detail.contains("127.0.0.1"), "{findings:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_a_host_that_does_not_exist_is_high() {
    let findings = run(|z| z.mx("@", 10, "gone").mx("@", 20, "mx.provider.test")).await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "gone.example.test",
                Severity::High,
                "MX gone.example.test does not exist"
            ),
            v(
                "mx.provider.test",
                Severity::High,
                "MX mx.provider.test does not resolve"
            ),
        ],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_aliases_and_addresses_as_exchanges_are_flagged() {
    let builder = TestBed::builder()
        .zone(|z| {
            z.mx("@", 10, "mail")
                .cname("mail", "in.provider.test")
                .mx("@", 20, "192.0.2.1")
                .mx("@", 30, "nomail")
                .txt("nomail", "no address here")
        })
        .extra_zone(Zone::new("provider.test").a("in", LOOPBACK));
    let bed = MailBed::start(builder).await;
    let findings = bed.run("email.mx").await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "192.0.2.1",
                Severity::High,
                "MX 192.0.2.1 is an IP address, not a host name"
            ),
            v(
                "mail.example.test",
                Severity::Low,
                "MX mail.example.test is a CNAME"
            ),
            v(
                "nomail.example.test",
                Severity::High,
                "MX nomail.example.test has no address"
            ),
        ],
        "{findings:#?}"
    );
    let alias = findings
        .iter()
        .find(|f| f.target == "mail.example.test")
        .unwrap();
    assert_eq!(
        alias.evidence,
        [
            "example.test MX 10 mail.example.test",
            "mail.example.test CNAME in.provider.test",
            "in.provider.test A 127.0.0.1",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_mx_a_silent_server_is_inconclusive() {
    let silent = DnsServer::silent().await.unwrap();
    let target = CheckTarget {
        apex: "example.test".into(),
        mail_domain: "example.test".into(),
        dns_server: Some(silent.addr()),
        ..CheckTarget::default()
    };
    let net = Net::new(&target).unwrap();
    let findings = run_with("email.mx", &net, &target).await.unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        (f.check.as_str(), f.target.as_str()),
        ("email.mx", "example.test")
    );
    assert_eq!(
        f.outcome,
        Outcome::Inconclusive {
            cause: Cause::Unreachable,
            reason: "no DNS server answered for example.test in time".into(),
        }
    );
}
