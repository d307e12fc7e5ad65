//! `email.spf`'s include-tree limits against the loopback test bed:
//! lookups through nested includes and `redirect=`, void lookups, MX host
//! counts, includes without SPF and include loops.

use std::net::Ipv4Addr;

use handover_model::Severity;
use handover_testbed::{TestBed, Zone};

use super::tests::{expect, measured, run, verdicts, with, PROVIDER};

/// An address for the hosts `a:` terms name.
const HOST: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 10);

/// A provider zone with hosts `h1`…`h9` (each with an address) and the
/// records `(name, text)`.
fn hosts_and(records: &[(&str, &str)]) -> Zone {
    let mut zone = Zone::new("provider.test");
    for i in 1..=9 {
        zone = zone.a(&format!("h{i}"), HOST);
    }
    for (name, text) in records {
        zone = zone.txt(name, text);
    }
    zone
}

/// `a:h1.provider.test` … `a:hN.provider.test`, then `-all`.
fn a_terms(n: usize) -> String {
    let terms: Vec<String> = (1..=n).map(|i| format!("a:h{i}.provider.test")).collect();
    format!("v=spf1 {} -all", terms.join(" "))
}

/// The apex: its own `mx`, a cheap include and a nested one.
const NESTED: &str = "v=spf1 mx include:small.provider.test include:big.provider.test -all";

/// A bed with [`NESTED`] at the apex whose inner include has `inner` a terms.
fn nested(inner: usize) -> handover_testbed::TestBedBuilder {
    let inner = a_terms(inner);
    let zone = hosts_and(&[
        ("small", PROVIDER),
        (
            "big",
            "v=spf1 include:inner.provider.test a:h1.provider.test -all",
        ),
        ("inner", &inner),
    ]);
    TestBed::builder()
        .zone(|z| z.txt("@", NESTED).mx("@", 10, "mail").a("mail", HOST))
        .extra_zone(zone)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_counts_11_lookups_through_nested_includes() {
    let findings = run(nested(6)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "SPF needs 11 DNS lookups, more than 10")]),
        "{findings:#?}"
    );
    let f = &findings[0];
    assert_eq!(
        f.evidence[1..],
        [
            "11 of 10 DNS lookups",
            "example.test itself → 1 lookup (mx)",
            "include:small.provider.test → 1 lookup",
            "include:big.provider.test → 9 lookups",
            "  include:inner.provider.test → 7 lookups",
        ]
    );
    assert!(
        f.detail
            .contains("include:big.provider.test alone costs 9 lookups."),
        "{}",
        f.detail
    );
    assert_eq!(measured(f, "spf_lookups"), 11.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_passes_exactly_10_lookups() {
    let findings = run(nested(5)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[1], "10 of 10 DNS lookups");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_counts_lookups_through_redirect() {
    // The redirect target's -all ends the evaluation: a pass, 2 lookups.
    let findings = run(with(
        "v=spf1 a:h1.provider.test redirect=_spf.provider.test",
        hosts_and(&[("_spf", PROVIDER)]),
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[1], "2 of 10 DNS lookups");

    let heavy = a_terms(9);
    let findings = run(with(
        "v=spf1 a:h1.provider.test a:h2.provider.test redirect=r.provider.test",
        hosts_and(&[("r", &heavy)]),
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "SPF needs 12 DNS lookups, more than 10")]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence.last().unwrap(),
        "redirect=r.provider.test → 10 lookups"
    );

    // With an `all` the redirect is ignored (RFC 7208 §6.1): not followed.
    let findings = run(with(
        "v=spf1 -all redirect=gone.provider.test",
        hosts_and(&[]),
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[1], "0 of 10 DNS lookups");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_permerrors_on_3_void_lookups() {
    let zone = hosts_and(&[]).a("bare", HOST);
    let findings = run(with(
        "v=spf1 include:gone.provider.test include:bare.provider.test a:lost.provider.test -all",
        zone,
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (Severity::High, "SPF makes 3 void lookups, more than 2"),
            (
                Severity::High,
                "include:gone.provider.test has no SPF record"
            ),
            (
                Severity::High,
                "include:bare.provider.test has no SPF record"
            ),
        ]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence,
        [
            "include:gone.provider.test: gone.provider.test does not exist",
            "include:bare.provider.test: bare.provider.test has no TXT record",
            "a:lost.provider.test: lost.provider.test does not exist",
        ]
    );
    assert_eq!(measured(&findings[0], "spf_void_lookups"), 3.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_passes_2_void_lookups() {
    let zone = hosts_and(&[]).a("bare", HOST);
    let findings = run(with(
        "v=spf1 a:lost.provider.test mx:bare.provider.test ip4:192.0.2.1 -all",
        zone,
    ))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::Pass, "SPF record found")]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence[2],
        "2 of 2 void lookups: a:lost.provider.test: lost.provider.test does not exist; \
         mx:bare.provider.test: bare.provider.test has no MX record"
    );
    assert_eq!(measured(&findings[0], "spf_void_lookups"), 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_limits_the_hosts_of_an_mx_term() {
    let findings = run(TestBed::builder().zone(|z| {
        let mut z = z.txt("@", "v=spf1 mx -all");
        for i in 1..=11 {
            z = z.mx("@", 10, &format!("mx{i}"));
        }
        z
    }))
    .await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "An mx term names more than 10 mail hosts")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence, ["mx: 11 MX hosts"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_permerrors_on_an_include_without_spf() {
    let zone = Zone::new("provider.test").txt("_spf", "google-site-verification=abc");
    let findings = run(with("v=spf1 include:_spf.provider.test -all", zone)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            Severity::High,
            "include:_spf.provider.test has no SPF record"
        )]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence,
        ["include:_spf.provider.test: _spf.provider.test has no SPF record"]
    );
    // TXT records without SPF are an answer: not a void lookup.
    assert_eq!(measured(&findings[0], "spf_void_lookups"), 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_stops_at_an_include_loop() {
    let zone = Zone::new("provider.test")
        .txt("a", "v=spf1 include:b.provider.test -all")
        .txt("b", "v=spf1 include:a.provider.test -all");
    let findings = run(with("v=spf1 include:a.provider.test -all", zone)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "The SPF include tree loops")]),
        "{findings:#?}"
    );
    assert_eq!(
        findings[0].evidence,
        ["include:a.provider.test at b.provider.test leads back to a.provider.test"]
    );
    assert_eq!(measured(&findings[0], "spf_lookups"), 3.0);

    // A record that includes its own domain.
    let findings =
        run(TestBed::builder().zone(|z| z.txt("@", "v=spf1 include:example.test -all"))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "The SPF include tree loops")]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_spf_stops_walking_a_chain_deeper_than_the_budget() {
    let mut zone = Zone::new("provider.test");
    let records: Vec<String> = (1..=14)
        .map(|i| format!("v=spf1 include:c{}.provider.test -all", i + 1))
        .collect();
    for (i, record) in records.iter().enumerate() {
        zone = zone.txt(&format!("c{}", i + 1), record);
    }
    let findings = run(with("v=spf1 include:c1.provider.test -all", zone)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(Severity::High, "SPF needs 12 DNS lookups, more than 10")]),
        "{findings:#?}"
    );
    assert_eq!(findings[0].evidence[1], "at least 12 of 10 DNS lookups");
}
