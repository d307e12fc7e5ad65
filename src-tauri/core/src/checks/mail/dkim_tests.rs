//! `email.dkim` against the loopback test bed.

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{DnsServer, TestBed, TestBedBuilder, Zone};

use super::test_keys::{ED25519, RSA_1024, RSA_2048, RSA_512};
use crate::checks::mail::bed::{sorted, v, MailBed};
use crate::checks::net::Net;
use crate::checks::{run_with, CheckTarget};

/// Each finding as `(target, severity, title)`, in a stable order.
fn verdicts(findings: &[Finding]) -> Vec<(String, Severity, String)> {
    sorted("email.dkim", findings)
}

const S1: &str = "s1._domainkey.example.test";

/// Runs `email.dkim` with selector `s1` configured.
async fn run_s1(builder: TestBedBuilder) -> Vec<Finding> {
    let mut bed = MailBed::start(builder).await;
    bed.target.dkim_selectors = vec!["s1".into()];
    bed.run("email.dkim").await
}

/// Runs `email.dkim` with `record` as selector `s1`'s TXT.
async fn with_s1(record: String) -> Vec<Finding> {
    run_s1(TestBed::builder().zone(move |z| z.txt("s1._domainkey", &record))).await
}

fn one(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_2048_bit_rsa_key_passes() {
    let findings = with_s1(format!("v=DKIM1; k=rsa; p={RSA_2048}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Pass, "DKIM key s1 is 2048-bit RSA")]
    );
    let f = one(&findings);
    assert_eq!(f.evidence[1], "key: RSA 2048 bits");
    assert_eq!(f.evidence[2], "selector from: the project's settings");
    assert_eq!(f.measured[0].name, "dkim_key_bits");
    assert_eq!(f.measured[0].value, 2048.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_1024_bit_key_is_medium() {
    let findings = with_s1(format!("v=DKIM1; p={RSA_1024}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Medium, "DKIM key s1 is only 1024-bit RSA")]
    );
    assert_eq!(one(&findings).measured[0].value, 1024.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_512_bit_key_is_high() {
    let findings = with_s1(format!("k=rsa; p={RSA_512}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(
            S1,
            Severity::High,
            "DKIM key s1 is 512-bit RSA, too weak"
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_an_ed25519_key_passes() {
    let findings = with_s1(format!("v=DKIM1; k=ed25519; p={ED25519}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Pass, "DKIM key s1 is Ed25519")]
    );
    let f = one(&findings);
    assert_eq!(f.evidence[1], "key: Ed25519 256 bits");
    assert_eq!(f.measured[0].value, 256.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_an_empty_key_is_revoked() {
    let findings = with_s1("v=DKIM1; k=rsa; p=".into()).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::High, "DKIM key s1 is revoked")]
    );
    assert!(one(&findings).measured.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_configured_selector_without_a_record_is_high() {
    let findings = run_s1(TestBed::builder()).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::High, "No DKIM key for selector s1")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_record_split_across_strings_is_joined() {
    let (a, rest) = RSA_2048.split_at(100);
    let (b, c) = rest.split_at(150);
    let first = format!("v=DKIM1; k=rsa; p={a}");
    let findings = run_s1(
        TestBed::builder().zone(move |z| z.txt_strings("s1._domainkey", &[first.as_str(), b, c])),
    )
    .await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Pass, "DKIM key s1 is 2048-bit RSA")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_sha1_only_testing_and_unreadable_records_are_flagged() {
    let findings = with_s1(format!("v=DKIM1; h=sha1; p={RSA_2048}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Medium, "DKIM key s1 allows only rsa-sha1")]
    );
    let findings = with_s1(format!("v=DKIM1; t=y; p={RSA_2048}")).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::Low, "DKIM key s1 is in testing mode")]
    );
    let findings = with_s1("v=DKIM1; k=rsa; p=not*base64".into()).await;
    assert_eq!(
        verdicts(&findings),
        [v(S1, Severity::High, "DKIM record for s1 cannot be read")]
    );
    assert!(
        one(&findings).detail.contains("p= is not valid base64"),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_finds_google_s_selector_from_the_mx() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_2048}");
    let builder = TestBed::builder().zone(move |z| {
        z.mx("@", 1, "aspmx.l.google.com")
            .mx("@", 5, "alt1.aspmx.l.google.com")
            .txt("google._domainkey", &record)
    });
    let bed = MailBed::start(builder).await;
    let findings = bed.run("email.dkim").await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "example.test",
                Severity::Info,
                "Mail provider Google Workspace: DKIM selector google found"
            ),
            v(
                "google._domainkey.example.test",
                Severity::Pass,
                "DKIM key google is 2048-bit RSA"
            ),
        ],
        "{findings:#?}"
    );
    let key = findings
        .iter()
        .find(|f| f.target.starts_with("google."))
        .unwrap();
    assert_eq!(
        key.evidence[2],
        "selector from: Google Workspace's usual selectors"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_follows_a_cname_to_the_provider_and_skips_absent_guesses() {
    let record = format!("v=DKIM1; k=rsa; p={RSA_1024}");
    let builder = TestBed::builder()
        .zone(|z| {
            z.mx("@", 0, "example-test.mail.protection.outlook.com")
                .cname(
                    "selector1._domainkey",
                    "selector1-example._domainkey.provider.test",
                )
        })
        .extra_zone(Zone::new("provider.test").txt("selector1-example._domainkey", &record));
    let mut bed = MailBed::start(builder).await;
    // A configured selector that is also a provider's is looked at once,
    // however it was typed.
    bed.target.dkim_selectors = vec!["Selector1._domainkey.example.test".into()];
    let findings = bed.run("email.dkim").await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "example.test",
                Severity::Info,
                "Mail provider Microsoft 365: DKIM selector selector1 found"
            ),
            v(
                "selector1._domainkey.example.test",
                Severity::Medium,
                "DKIM key selector1 is only 1024-bit RSA"
            ),
        ],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_with_nothing_to_look_at_says_how_to_find_selectors() {
    let bed = MailBed::start(TestBed::builder()).await;
    let findings = bed.run("email.dkim").await;
    assert_eq!(
        verdicts(&findings),
        [v("example.test", Severity::Medium, "No DKIM key found")]
    );
    assert!(one(&findings).detail.contains("DKIM-Signature"));
    let builder = TestBed::builder().zone(|z| z.txt("@", "v=spf1 include:amazonses.com -all"));
    let bed = MailBed::start(builder).await;
    let findings = bed.run("email.dkim").await;
    assert_eq!(
        verdicts(&findings),
        [
            v(
                "example.test",
                Severity::Info,
                "Mail provider Amazon SES: its DKIM selectors cannot be guessed"
            ),
            v("example.test", Severity::Medium, "No DKIM key found"),
        ],
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_dkim_a_silent_server_is_inconclusive() {
    let silent = DnsServer::silent().await.unwrap();
    let mut target = CheckTarget {
        apex: "example.test".into(),
        mail_domain: "example.test".into(),
        dns_server: Some(silent.addr()),
        ..CheckTarget::default()
    };
    let net = Net::new(&target).unwrap();
    let unanswered = |name: &str| Outcome::Inconclusive {
        cause: Cause::Unreachable,
        reason: format!("no DNS server answered for {name} in time"),
    };
    let findings = run_with("email.dkim", &net, &target).await.unwrap();
    let f = one(&findings);
    assert_eq!(f.target, "example.test");
    assert_eq!(f.outcome, unanswered("example.test"));
    target.dkim_selectors = vec!["s1".into()];
    let findings = run_with("email.dkim", &net, &target).await.unwrap();
    let f = one(&findings);
    assert_eq!(f.target, S1);
    assert_eq!(f.outcome, unanswered(S1));
}
