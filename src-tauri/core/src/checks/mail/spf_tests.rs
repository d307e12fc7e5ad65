//! `email.spf` against the loopback test bed: record selection, parsing,
//! the terminal `all`, `ptr`, and a silent DNS server. The include tree's
//! limits are tested in `spf/tree_tests.rs`.

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{DnsServer, TestBed, TestBedBuilder, Zone};

use crate::checks::mail::bed::MailBed;
use crate::checks::CheckTarget;

/// The provider record most tests include.
pub(super) const PROVIDER: &str = "v=spf1 ip4:192.0.2.0/24 -all";

/// Runs `email.spf` against a bed built from `builder`.
pub(super) async fn run(builder: TestBedBuilder) -> Vec<Finding> {
    let bed = MailBed::start(builder).await;
    bed.run("email.spf").await
}

/// Each finding as `(severity, title)`, after checking its id and target.
pub(super) fn verdicts(findings: &[Finding]) -> Vec<(Severity, String)> {
    findings
        .iter()
        .map(|f| {
            assert_eq!(f.check, "email.spf", "{f:#?}");
            assert_eq!(f.target, "example.test", "{f:#?}");
            (f.severity, f.title.clone())
        })
        .collect()
}

/// `(severity, title)` pairs as [`verdicts`] gives them.
pub(super) fn expect(pairs: &[(Severity, &str)]) -> Vec<(Severity, String)> {
    pairs.iter().map(|(s, t)| (*s, t.to_string())).collect()
}

/// The value of measure `name` on `f`.
pub(super) fn measured(f: &Finding, name: &str) -> f64 {
    f.measured
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{name} in {f:#?}"))
        .value
}

/// A bed whose apex publishes `record` and whose provider zone holds `zone`.
pub(super) fn with(record: &'static str, zone: Zone) -> TestBedBuilder {
    TestBed::builder()
        .zone(move |z| z.txt("@", record))
        .extra_zone(zone)
}

fn provider() -> Zone {
    Zone::new("provider.test").txt("_spf", PROVIDER)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_passes_a_good_record_with_its_lookup_count() {
    let findings = run(with("v=spf1 include:_spf.provider.test -all", provider())).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    let f = &findings[0];
    assert_eq!(
        f.evidence,
        [
            "example.test TXT \"v=spf1 include:_spf.provider.test -all\"",
            "1 of 10 DNS lookups"
        ]
    );
    assert_eq!(measured(f, "spf_lookups"), 1.0);
    assert_eq!(measured(f, "spf_void_lookups"), 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_finds_no_record() {
    let findings = run(TestBed::builder()).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "No SPF record")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence, ["example.test has no TXT record"]);
    let other = run(TestBed::builder().zone(|z| z.txt("@", "google-site-verification=abc"))).await;
    assert_eq!(
        verdicts(&other),
        expect(&[(Severity::High, "No SPF record")])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_names_both_of_two_records() {
    let findings = run(TestBed::builder().zone(|z| {
        z.txt("@", "v=spf1 ip4:192.0.2.1 -all")
            .txt("@", "v=spf1 include:_spf.provider.test ~all")
    }))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "example.test has 2 SPF records")]),
        "{findings:#?}"
    );
    let mut evidence = findings[0].evidence.clone();
    evidence.sort();
    assert_eq!(
        evidence,
        [
            "example.test TXT \"v=spf1 include:_spf.provider.test ~all\"",
            "example.test TXT \"v=spf1 ip4:192.0.2.1 -all\"",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_does_not_take_v_spf10_for_spf() {
    let findings = run(TestBed::builder().zone(|z| z.txt("@", "v=spf10 -all"))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "No SPF record")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence, ["example.test TXT \"v=spf10 -all\""]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_joins_a_split_record_without_a_space() {
    // Joined with a space the include would name "_spf.prov ider.test".
    let findings = run(TestBed::builder()
        .zone(|z| z.txt_strings("@", &["v=spf1 include:_spf.prov", "ider.test -all"]))
        .extra_zone(provider()))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence[0],
        "example.test TXT \"v=spf1 include:_spf.provider.test -all\""
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_names_the_term_that_does_not_parse() {
    let findings =
        run(TestBed::builder().zone(|z| z.txt("@", "v=spf1 ip4:192.0.2.1 ip4:300.1 -all"))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "The SPF record does not parse")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[1], "`ip4:300.1` is malformed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_judges_the_terminal_all() {
    for (record, verdict) in [
        (
            "v=spf1 ip4:192.0.2.1 +all",
            (Severity::High, "SPF allows any sender (+all)"),
        ),
        (
            "v=spf1 ip4:192.0.2.1 all",
            (Severity::High, "SPF allows any sender (+all)"),
        ),
        (
            "v=spf1 ip4:192.0.2.1 ?all",
            (Severity::Medium, "SPF ends in ?all"),
        ),
        (
            "v=spf1 ip4:192.0.2.1",
            (Severity::Medium, "The SPF record has no all"),
        ),
        (
            "v=spf1 ip4:192.0.2.1 ~all",
            (Severity::Pass, "SPF record found"),
        ),
    ] {
        let findings = run(TestBed::builder().zone(move |z| z.txt("@", record))).await;
        assert_eq!(
            verdicts(&findings),
            expect(&[verdict]),
            "{record}: {findings:#?}"
        );
        assert_eq!(measured(&findings[0], "spf_lookups"), 0.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_warns_about_ptr() {
    let findings = run(TestBed::builder().zone(|z| z.txt("@", "v=spf1 ptr -all"))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Low, "SPF uses ptr")]),
        "{findings:#?}"
    );
    assert!(findings[0].detail.contains("RFC 7208 §5.5"));
    assert_eq!(findings[0].evidence, ["example.test: ptr"]);
    assert_eq!(measured(&findings[0], "spf_lookups"), 1.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_reports_each_distinct_problem() {
    let findings = run(with(
        "v=spf1 ptr include:_spf.provider.test include:gone.provider.test +all",
        provider(),
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (
                Severity::High,
                "include:gone.provider.test has no SPF record"
            ),
            (Severity::High, "SPF allows any sender (+all)"),
            (Severity::Low, "SPF uses ptr"),
        ]),
        "{findings:#?}"
    );
    assert!(findings.iter().all(|f| measured(f, "spf_lookups") == 3.0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_counts_a_macro_it_cannot_expand() {
    let findings =
        run(TestBed::builder().zone(|z| z.txt("@", "v=spf1 exists:%{i}._spf.example.test -all")))
            .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence[1..],
        [
            "1 of 10 DNS lookups",
            "counted, not expanded (needs a sender): exists:%{i}._spf.example.test",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_with_a_silent_dns_server_is_inconclusive() {
    let silent = DnsServer::silent().await.unwrap();
    let target = CheckTarget {
        apex: "example.test".into(),
        hosts: vec!["example.test".into()],
        mail_domain: "example.test".into(),
        dns_server: Some(silent.addr()),
        ..CheckTarget::default()
    };
    let net = crate::checks::net::Net::new(&target).unwrap();
    let findings = crate::checks::run_with("email.spf", &net, &target)
        .await
        .unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(f.check, "email.spf");
    assert_eq!(f.target, "example.test");
    assert_eq!(
        f.outcome,
        Outcome::Inconclusive {
            cause: Cause::Unreachable,
            reason: "no DNS server answered for example.test in time".into(),
        }
    );
}
