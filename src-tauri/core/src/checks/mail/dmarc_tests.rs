//! `email.dmarc` against the loopback test bed: each case's exact findings.

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{DnsServer, TestBed, TestBedBuilder, Zone};

use crate::checks::mail::bed::{expected, in_order, MailBed};
use crate::checks::net::Net;

const ID: &str = "email.dmarc";
const NAME: &str = "_dmarc.example.test";
const GOOD: &str = "v=DMARC1; p=reject; rua=mailto:dmarc@example.test";

fn verdicts(findings: &[Finding]) -> Vec<(String, String, Severity, String)> {
    in_order(findings)
}

fn expect(list: &[(&str, Severity, &str)]) -> Vec<(String, String, Severity, String)> {
    expected(ID, list)
}

/// Runs `email.dmarc` on a bed whose `example.test` zone gets `records`
/// at `_dmarc`.
async fn with_records(records: &[&'static str]) -> Vec<Finding> {
    let records: Vec<&'static str> = records.to_vec();
    run(TestBed::builder().zone(move |z| records.iter().fold(z, |z, text| z.txt("_dmarc", text))))
        .await
}

async fn run(builder: TestBedBuilder) -> Vec<Finding> {
    MailBed::start(builder).await.run(ID).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_passes_a_rejecting_policy_with_reports() {
    let findings = with_records(&[GOOD]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::Pass,
            "DMARC policy p=reject protects example.test"
        )]),
        "{findings:#?}"
    );
    let f = &findings[0];
    assert_eq!(f.evidence[0], format!("{NAME} TXT \"{GOOD}\""));
    assert!(
        f.evidence[1].starts_with("_dmarc.test: "),
        "{:?}",
        f.evidence
    );
    assert_eq!(f.measured[0].value, 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_without_a_record_is_high() {
    let findings = run(TestBed::builder().zone(|z| z.txt("@", "v=spf1 -all"))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(NAME, Severity::High, "No DMARC record")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[0], format!("{NAME}: no DMARC record"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_discards_two_records() {
    let findings = with_records(&[GOOD, "v=DMARC1; p=none"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::High,
            "2 DMARC records at _dmarc.example.test"
        )]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_ignores_other_txt_records_at_the_name() {
    let findings = with_records(&["google-site-verification=abc", GOOD]).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Pass);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_p_none_is_high_before_launch() {
    let findings = with_records(&["v=DMARC1; p=none; rua=mailto:dmarc@example.test"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::High,
            "DMARC policy is p=none: spoofed mail is delivered"
        )]),
        "{findings:#?}"
    );
    assert!(findings[0]
        .detail
        .contains("p=quarantine and then p=reject"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_test_mode_is_high() {
    let findings = with_records(&["v=DMARC1; p=reject; t=y; rua=mailto:dmarc@example.test"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(NAME, Severity::High, "DMARC policy is in test mode (t=y)")]),
        "{findings:#?}"
    );
    assert!(findings[0].detail.contains("gets quarantine"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_without_rua_is_medium() {
    let findings = with_records(&["v=DMARC1; p=quarantine"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (
                NAME,
                Severity::Pass,
                "DMARC policy p=quarantine protects example.test"
            ),
            (
                NAME,
                Severity::Medium,
                "DMARC asks for no aggregate reports (no rua=)"
            ),
        ]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_notes_removed_tags() {
    let findings =
        with_records(&["v=DMARC1; p=reject; pct=50; rua=mailto:dmarc@example.test"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (
                NAME,
                Severity::Pass,
                "DMARC policy p=reject protects example.test"
            ),
            (
                NAME,
                Severity::Low,
                "DMARC record uses tags RFC 9989 removed: pct=50"
            ),
        ]),
        "{findings:#?}"
    );
    let findings =
        with_records(&["v=DMARC1; p=reject; ri=86400; rua=mailto:dmarc@example.test"]).await;
    assert_eq!(findings[1].severity, Severity::Info, "{findings:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_notes_weaker_subdomain_policies() {
    let findings = with_records(&[
        "v=DMARC1; p=reject; sp=none; np=quarantine; rua=mailto:dmarc@example.test",
    ])
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (
                NAME,
                Severity::Pass,
                "DMARC policy p=reject protects example.test"
            ),
            (
                NAME,
                Severity::Medium,
                "DMARC gives subdomains a weaker policy (sp=none)"
            ),
            (
                NAME,
                Severity::Low,
                "DMARC gives non-existent subdomains a weaker policy (np=quarantine)"
            ),
        ]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_reports_a_policy_from_the_parent() {
    let mut bed = MailBed::start(TestBed::builder().zone(|z| z.txt("_dmarc", GOOD))).await;
    bed.target.mail_domain = "mail.example.test".into();
    let findings = bed.run(ID).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::Pass,
            "DMARC policy sp=reject from example.test protects mail.example.test"
        )]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence[0],
        "_dmarc.mail.example.test: no DMARC record"
    );
    assert_eq!(findings[0].measured[0].value, 3.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_a_parent_p_none_reaches_the_subdomain() {
    let mut bed = MailBed::start(
        TestBed::builder().zone(|z| z.txt("_dmarc", "v=DMARC1; p=none; rua=mailto:d@example.test")),
    )
    .await;
    bed.target.mail_domain = "mail.example.test".into();
    let findings = bed.run(ID).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::High,
            "DMARC policy from example.test is sp=none: spoofed mail is delivered"
        )]),
        "{findings:#?}"
    );
}

const EXTERNAL: &str = "v=DMARC1; p=reject; rua=mailto:d@reports.test";
const CONSENT: &str = "example.test._report._dmarc.reports.test";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_accepts_an_authorised_external_destination() {
    let findings = run(TestBed::builder()
        .zone(|z| z.txt("_dmarc", EXTERNAL))
        .extra_zone(Zone::new("reports.test").txt("example.test._report._dmarc", "v=DMARC1")))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::Pass,
            "DMARC policy p=reject protects example.test"
        )]),
        "{findings:#?}"
    );
    let consent = format!("{CONSENT} TXT \"v=DMARC1\"");
    assert!(findings[0].evidence.contains(&consent), "{findings:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_flags_an_unauthorised_external_destination() {
    let findings = run(TestBed::builder()
        .zone(|z| z.txt("_dmarc", EXTERNAL))
        .extra_zone(Zone::new("reports.test").txt("other.test._report._dmarc", "v=DMARC1")))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (
                NAME,
                Severity::Pass,
                "DMARC policy p=reject protects example.test"
            ),
            (
                CONSENT,
                Severity::Medium,
                "Reports to reports.test are not authorised; receivers drop them"
            ),
        ]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_is_inconclusive_when_dns_is_silent() {
    let silent = DnsServer::silent().await.unwrap();
    let mut bed = MailBed::start(TestBed::builder().zone(|z| z.txt("_dmarc", GOOD))).await;
    bed.target.dns_server = Some(silent.addr());
    bed.net = Net::new(&bed.target).unwrap();
    let findings = bed.run(ID).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.target, NAME);
    assert_eq!(
        f.outcome,
        Outcome::Inconclusive {
            cause: Cause::Unreachable,
            reason: format!("no DNS server answered for {NAME} in time"),
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_dmarc_flags_unreadable_and_policyless_records() {
    let findings = with_records(&["v=DMARC1; p=maybe; rua=mailto:d@example.test"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            NAME,
            Severity::High,
            "DMARC record at _dmarc.example.test cannot be read"
        )]),
        "{findings:#?}"
    );
    let findings = with_records(&["v=DMARC1; rua=mailto:d@example.test"]).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(NAME, Severity::High, "DMARC record has no policy (p=)")]),
        "{findings:#?}"
    );
}
