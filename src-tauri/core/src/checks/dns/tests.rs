//! The DNS checks against the loopback test bed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use handover_model::{Cause, Finding, Outcome, Severity};
use handover_testbed::{DnsServer, TestBed, Zone, LOOPBACK};
use hickory_resolver::proto::rr::{RData, RecordType};

use super::records;
use crate::checks::net::bed::target;
use crate::checks::net::Net;
use crate::checks::{run_all, CheckTarget, RunLimits};

fn dns_checks() -> Vec<std::sync::Arc<dyn crate::checks::Check>> {
    crate::checks::shared(super::definitions())
}

pub(super) async fn run(target: CheckTarget) -> Vec<Finding> {
    run_all(
        &dns_checks(),
        Arc::new(target),
        RunLimits::default(),
        Arc::new(|_| {}),
    )
    .await
}

/// `(check, target, severity)` of every finding, sorted.
pub(super) fn verdicts(findings: &[Finding]) -> Vec<(String, String, Severity)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| (f.check.clone(), f.target.clone(), f.severity))
        .collect();
    v.sort();
    v
}

pub(super) fn one<'a>(findings: &'a [Finding], check: &str, target: &str) -> &'a Finding {
    let matching: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.check == check && f.target == target)
        .collect();
    assert_eq!(matching.len(), 1, "{check} on {target}: {findings:#?}");
    matching[0]
}

/// The healthy verdicts for `hosts` (CAA from the apex applies to each,
/// and allows the bed's CA, whose certificate each serves on `port`), with
/// `changes` applied; a change to `Severity::Info` on `host:port` is an
/// inconclusive comparison, `None` removes a verdict.
pub(super) fn expected(
    hosts: &[String],
    port: u16,
    changes: &[(&str, &str, Option<Severity>)],
) -> Vec<(String, String, Severity)> {
    let mut v = vec![(
        "dns.ns".to_string(),
        "example.test".to_string(),
        Severity::Pass,
    )];
    for host in hosts {
        v.push(("dns.resolve".into(), host.clone(), Severity::Pass));
        v.push(("dns.dangling_cname".into(), host.clone(), Severity::Pass));
        v.push(("dns.caa".into(), host.clone(), Severity::Pass));
        v.push(("dns.caa".into(), format!("{host}:{port}"), Severity::Pass));
    }
    for (check, host, severity) in changes {
        let Some(severity) = *severity else {
            v.retain(|(c, t, _)| !(c == check && t == host));
            continue;
        };
        if let Some(slot) = v.iter_mut().find(|(c, t, _)| c == check && t == host) {
            slot.2 = severity;
        } else {
            v.push((check.to_string(), host.to_string(), severity));
        }
    }
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_all_pass_on_the_healthy_bed() {
    let bed = TestBed::start().await.unwrap();
    let findings = run(target(&bed)).await;
    assert_eq!(
        verdicts(&findings),
        expected(&bed.hosts(), bed.https_port(), &[]),
        "{findings:#?}"
    );

    let status = one(&findings, "dns.resolve", "status.example.test");
    assert_eq!(
        status.evidence,
        vec![
            "status.example.test CNAME app.example.test".to_string(),
            "app.example.test A 127.0.0.1".to_string(),
        ]
    );
    let caa = one(&findings, "dns.caa", "status.example.test");
    assert_eq!(
        caa.title,
        "CAA from example.test applies to status.example.test"
    );
    let ns = one(&findings, "dns.ns", "example.test");
    assert_eq!(ns.title, "example.test's 2 name servers answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_a_missing_host_is_a_blocker() {
    let bed = TestBed::start().await.unwrap();
    let mut target = target(&bed);
    target.hosts.push("missing.example.test".into());
    let findings = run(target.clone()).await;
    let port = bed.https_port();
    let missing_tls = format!("missing.example.test:{port}");
    assert_eq!(
        verdicts(&findings),
        expected(
            &target.hosts,
            port,
            &[
                (
                    "dns.resolve",
                    "missing.example.test",
                    Some(Severity::Blocker)
                ),
                ("dns.caa", &missing_tls, None),
            ]
        )
    );
    let missing = one(&findings, "dns.resolve", "missing.example.test");
    assert_eq!(missing.title, "missing.example.test does not exist in DNS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_a_dangling_cname_is_high() {
    let bed = TestBed::builder()
        .zone(|z| {
            z.cname("old", "gone.example.test")
                .cname("shop", "acme-shop.hosting.test")
        })
        .extra_zone(Zone::new("hosting.test").a("other-shop", LOOPBACK))
        .start()
        .await
        .unwrap();
    let mut target = target(&bed);
    target.hosts.push("old.example.test".into());
    target.hosts.push("shop.example.test".into());
    let findings = run(target.clone()).await;
    let port = bed.https_port();
    let (old_tls, shop_tls) = (
        format!("old.example.test:{port}"),
        format!("shop.example.test:{port}"),
    );
    assert_eq!(
        verdicts(&findings),
        expected(
            &target.hosts,
            port,
            &[
                ("dns.resolve", "old.example.test", Some(Severity::Blocker)),
                (
                    "dns.dangling_cname",
                    "old.example.test",
                    Some(Severity::High)
                ),
                ("dns.caa", &old_tls, None),
                ("dns.resolve", "shop.example.test", Some(Severity::Blocker)),
                (
                    "dns.dangling_cname",
                    "shop.example.test",
                    Some(Severity::High)
                ),
                ("dns.caa", &shop_tls, None),
            ]
        ),
        "{findings:#?}"
    );
    let shop = one(&findings, "dns.dangling_cname", "shop.example.test");
    assert_eq!(
        shop.title,
        "shop.example.test points to acme-shop.hosting.test, which does not exist"
    );
    assert_eq!(
        shop.evidence[0],
        "shop.example.test CNAME acme-shop.hosting.test"
    );
    let status = one(&findings, "dns.dangling_cname", "status.example.test");
    assert_eq!(status.title, "status.example.test's CNAME target resolves");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_missing_caa_is_low() {
    let bed = TestBed::builder().without_caa().start().await.unwrap();
    let findings = run(target(&bed)).await;
    let port = bed.https_port();
    let mut changes = Vec::new();
    let hosts = bed.hosts();
    let tls: Vec<String> = hosts.iter().map(|h| format!("{h}:{port}")).collect();
    for (host, at) in hosts.iter().zip(&tls) {
        changes.push(("dns.caa", host.as_str(), Some(Severity::Low)));
        changes.push(("dns.caa", at.as_str(), None));
    }
    assert_eq!(verdicts(&findings), expected(&bed.hosts(), port, &changes));
    let apex = one(&findings, "dns.caa", "example.test");
    assert_eq!(apex.title, "example.test has no CAA record");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_name_servers_cloudflare_and_silent() {
    let bed = TestBed::builder()
        .zone(|z| z.ns("@", "ada.ns.cloudflare.com"))
        .extra_zone(Zone::new("cloudflare.com").a("ada.ns", LOOPBACK))
        .start()
        .await
        .unwrap();
    let findings = run(target(&bed)).await;
    let ns: Vec<_> = findings.iter().filter(|f| f.check == "dns.ns").collect();
    assert_eq!(ns.len(), 2, "{ns:#?}");
    assert_eq!(ns[0].severity, Severity::Info);
    assert_eq!(ns[0].title, "example.test's DNS is managed by Cloudflare");
    assert_eq!(ns[1].severity, Severity::Pass);
    assert_eq!(ns[1].title, "example.test's 3 name servers answer");

    let bed = TestBed::builder()
        .zone(|z| z.ns("@", "ns3"))
        .start()
        .await
        .unwrap();
    let findings = run(target(&bed)).await;
    let ns = one(&findings, "dns.ns", "example.test");
    assert_eq!(ns.severity, Severity::Medium);
    assert_eq!(ns.title, "1 of example.test's name servers do not answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_a_silent_server_ends_in_time_with_typed_findings() {
    let silent = DnsServer::silent().await.unwrap();
    let hosts: Vec<String> = ["example.test", "app.example.test"]
        .map(String::from)
        .to_vec();
    let target = CheckTarget {
        apex: "example.test".into(),
        hosts: hosts.clone(),
        dns_server: Some(silent.addr()),
        ..CheckTarget::default()
    };
    let started = Instant::now();
    let findings = run(target).await;
    let elapsed = started.elapsed();
    eprintln!("silent DNS server: all DNS checks finished in {elapsed:?}");
    let deadline = dns_checks()[0].deadline();
    assert!(elapsed < deadline.mul_f64(1.1), "{elapsed:?}");
    // Nothing answered: whether the names resolve is unknown, never a pass.
    for host in &hosts {
        let f = one(&findings, "dns.resolve", host);
        assert_eq!(
            f.outcome,
            Outcome::Inconclusive {
                cause: Cause::Unreachable,
                reason: format!("no DNS server answered for {host} in time"),
            }
        );
    }
    let ns = one(&findings, "dns.ns", "example.test");
    assert!(ns.outcome.is_inconclusive(), "{ns:?}");
    assert!(
        findings
            .iter()
            .all(|f| f.outcome.is_inconclusive() || f.severity == Severity::Pass),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_reads_an_oversized_txt_answer() {
    let bed = TestBed::builder()
        .zone(|z| z.oversized_txt("big", 40_000))
        .start()
        .await
        .unwrap();
    let net = Net::new(&target(&bed)).unwrap();
    let started = Instant::now();
    let txt = records(&net, "big.example.test", RecordType::TXT)
        .await
        .unwrap();
    let bytes: usize = txt
        .iter()
        .map(|r| match r {
            RData::TXT(t) => t.txt_data.iter().map(|s| s.len()).sum(),
            _ => 0,
        })
        .sum();
    assert_eq!(txt.len(), 40, "every record arrives (over TCP)");
    assert!(bytes >= 40_000, "{bytes}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
