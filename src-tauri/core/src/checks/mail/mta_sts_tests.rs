//! `email.mta_sts` against the loopback test bed: each case's exact
//! findings.

use handover_model::{Finding, Severity};
use handover_testbed::{handler, Response, TestBed, TestBedBuilder, LOOPBACK};

use crate::checks::mail::bed::{expected, in_order, MailBed};

const ID: &str = "email.mta_sts";
const TXT: &str = "_mta-sts.example.test";
const TLSRPT: &str = "_smtp._tls.example.test";
const POLICY_HOST: &str = "mta-sts.example.test";
const GOOD: &str = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 604800\n";

fn verdicts(findings: &[Finding]) -> Vec<(String, String, Severity, String)> {
    in_order(findings)
}

fn expect(list: &[(&str, Severity, &str)]) -> Vec<(String, String, Severity, String)> {
    expected(ID, list)
}

/// A bed with MX `mx1.example.test`, the `_mta-sts` TXT record (when
/// `txt`), TLS-RPT (when `tlsrpt`) and `policy` served at the policy URL
/// (404 when `None`).
fn builder(txt: bool, tlsrpt: bool, policy: Option<&'static str>) -> TestBedBuilder {
    let builder = TestBed::builder().zone(move |z| {
        let mut z = z
            .mx("@", 10, "mx1")
            .a("mx1", LOOPBACK)
            .a("mta-sts", LOOPBACK);
        if txt {
            z = z.txt("_mta-sts", "v=STSv1; id=20261201T000000");
        }
        if tlsrpt {
            z = z.txt("_smtp._tls", "v=TLSRPTv1; rua=mailto:tls@example.test");
        }
        z
    });
    builder.site(
        POLICY_HOST,
        handler(move |req| match policy {
            Some(body) if req.path() == "/.well-known/mta-sts.txt" => Response::text(body),
            _ => Response::not_found(),
        }),
    )
}

/// The policy URL on the bed's port.
fn url(bed: &MailBed) -> String {
    format!(
        "https://{POLICY_HOST}:{}/.well-known/mta-sts.txt",
        bed.bed.https_port()
    )
}

async fn run(builder: TestBedBuilder) -> (MailBed, Vec<Finding>) {
    let bed = MailBed::start(builder).await;
    let findings = bed.run(ID).await;
    (bed, findings)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_passes_an_enforced_policy_covering_the_mx() {
    let (bed, findings) = run(builder(true, true, Some(GOOD))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            TXT,
            Severity::Pass,
            "MTA-STS enforces TLS for mail to example.test"
        )]),
        "{findings:#?}"
    );
    let evidence = &findings[0].evidence;
    assert_eq!(
        evidence[0],
        format!("{TXT} TXT \"v=STSv1; id=20261201T000000\"")
    );
    assert!(evidence.contains(&"example.test MX mx1.example.test".to_string()));
    assert!(
        evidence.iter().any(|l| l.starts_with(TLSRPT)),
        "{evidence:?}"
    );
    assert!(bed.bed.https.connections_for(POLICY_HOST) >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_accepts_a_wildcard_mx_pattern() {
    let policy = "version: STSv1\r\nmode: enforce\r\nmx: *.example.test\r\nmax_age: 86400\r\n";
    let (_bed, findings) = run(builder(true, true, Some(policy))).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].severity, Severity::Pass);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_without_a_record_is_low() {
    let findings = MailBed::start(TestBed::builder()).await.run(ID).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(TXT, Severity::Low, "No MTA-STS policy")]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_finds_a_policy_without_its_record() {
    let (_bed, findings) = run(builder(false, true, Some(GOOD))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            TXT,
            Severity::Medium,
            "MTA-STS policy is served but not announced"
        )]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_a_missing_policy_file_is_medium() {
    let (bed, findings) = run(builder(true, true, None)).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(&url(&bed), Severity::Medium, "MTA-STS policy returns 404")]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_an_uncovered_mx_is_medium() {
    let policy = "version: STSv1\nmode: enforce\nmx: mail.other.test\nmax_age: 604800\n";
    let (bed, findings) = run(builder(true, true, Some(policy))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            &url(&bed),
            Severity::Medium,
            "MTA-STS policy does not cover mx1.example.test"
        )]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_testing_mode_is_low() {
    let policy = "version: STSv1\nmode: testing\nmx: mx1.example.test\nmax_age: 604800\n";
    let (bed, findings) = run(builder(true, true, Some(policy))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            &url(&bed),
            Severity::Low,
            "MTA-STS policy is in testing mode"
        )]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_judges_max_age() {
    let long = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 31557601\n";
    let (bed, findings) = run(builder(true, true, Some(long))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(&url(&bed), Severity::Medium, "MTA-STS max_age is invalid")]),
        "{findings:#?}"
    );
    let short = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 3600\n";
    let (bed, findings) = run(builder(true, true, Some(short))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(
            &url(&bed),
            Severity::Low,
            "MTA-STS max_age is short (3600 s)"
        )]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_without_tls_rpt_is_low() {
    let (_bed, findings) = run(builder(true, false, Some(GOOD))).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[(TLSRPT, Severity::Low, "No TLS-RPT record")]),
        "{findings:#?}"
    );
    assert!(findings[0]
        .detail
        .contains("only means something alongside MTA-STS"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_flags_an_invalid_txt_record_and_policy() {
    let policy = "version: STSv1\nmode: strict\nmx: mx1.example.test\nmax_age: 604800\n";
    let builder = TestBed::builder()
        .zone(|z| {
            z.mx("@", 10, "mx1")
                .a("mta-sts", LOOPBACK)
                .txt("_mta-sts", "v=STSv1; id=not-valid!")
                .txt("_smtp._tls", "v=TLSRPTv1")
        })
        .site(POLICY_HOST, handler(move |_| Response::text(policy)));
    let (bed, findings) = run(builder).await;
    assert_eq!(
        verdicts(&findings),
        expect(&[
            (TXT, Severity::Medium, "MTA-STS TXT record is invalid"),
            (&url(&bed), Severity::Medium, "MTA-STS policy is invalid"),
            (TLSRPT, Severity::Low, "TLS-RPT record is invalid"),
        ]),
        "{findings:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_email_mta_sts_is_inconclusive_when_dns_is_silent() {
    let silent = handover_testbed::DnsServer::silent().await.unwrap();
    let mut bed = MailBed::start(builder(true, true, Some(GOOD))).await;
    bed.target.dns_server = Some(silent.addr());
    bed.net = crate::checks::net::Net::new(&bed.target).unwrap();
    let findings = bed.run(ID).await;
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].target, TXT);
    assert!(findings[0].outcome.is_inconclusive(), "{findings:#?}");
}
