//! `handover check` against the loopback test bed: the real binary, a real
//! DNS server, real certificates and HTTPS servers, no network beyond 127.0.0.1.

use std::process::Command;

use handover_model::{Finding, Severity};
use handover_testbed::TestBed;

fn check_command(bed: &TestBed, ca: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handover"));
    cmd.args([
        "check",
        bed.apex(),
        "--subdomains",
        "app,api,docs,status",
        "--json",
    ])
    .arg("--dns-server")
    .arg(bed.dns_server().to_string())
    .arg("--ca")
    .arg(ca)
    .args(["--https-port", &bed.https_port().to_string()])
    .args(["--http-port", &bed.http_port().to_string()])
    .env("HANDOVER_DATA_DIR", ca.parent().unwrap());
    cmd
}

#[test]
fn a_healthy_test_bed_has_no_blockers() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, bed.ca_pem()).unwrap();

    let out = check_command(&bed, &ca).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let findings: Vec<Finding> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON findings ({e}); stderr: {stderr}"));
    let blockers: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Blocker)
        .map(|f| format!("{} {} {}", f.check, f.target, f.title))
        .collect();
    assert!(blockers.is_empty(), "{blockers:#?}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    // No old addresses were named: that check says so and decides nothing.
    let legacy = findings
        .iter()
        .find(|f| f.check == "redirect.legacy_urls")
        .unwrap();
    assert!(legacy.outcome.is_inconclusive(), "{legacy:?}");
    for host in bed.hosts() {
        assert!(
            findings.iter().any(|f| f.check == "dns.resolve"
                && f.target == host
                && f.severity == Severity::Pass),
            "{host} resolves through the bed's DNS server"
        );
        assert!(
            findings.iter().any(|f| f.check == "tls.chain"
                && f.target.starts_with(&host)
                && f.severity == Severity::Pass),
            "{host}'s chain is trusted through --ca"
        );
    }
}

#[test]
fn without_the_bed_ca_every_certificate_is_untrusted() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.pem");
    let unrelated = runtime.block_on(TestBed::start()).unwrap();
    std::fs::write(&other, unrelated.ca_pem()).unwrap();

    let out = check_command(&bed, &other).output().unwrap();
    let findings: Vec<Finding> = serde_json::from_slice(&out.stdout).unwrap();
    // Every host's chain, not just one of them.
    for host in bed.hosts() {
        let chain: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.check == "tls.chain" && f.host == host)
            .collect();
        assert_eq!(chain.len(), 1, "{host}: {chain:?}");
        assert_eq!(chain[0].severity, Severity::Blocker, "{host}");
        assert!(!chain[0].outcome.is_inconclusive(), "{host}");
    }
    assert_eq!(
        out.status.code(),
        Some(1),
        "a blocker makes the exit code 1"
    );
}

#[test]
fn bad_arguments_are_refused_with_exit_code_2() {
    for args in [
        vec!["check", "https://example.com/"],
        vec!["check", "example.com", "--dns-server", "ns1.example.com"],
        vec!["check", "example.com", "--ca", "/nonexistent/ca.pem"],
        vec!["check", "example.com", "--legacy", "/old"],
        vec!["check", "example.com", "--legacy", "old=/new"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_handover"))
            .args(&args)
            .env("HANDOVER_DATA_DIR", std::env::temp_dir())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
}
