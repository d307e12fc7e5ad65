//! `dns.caa` and the NODATA grading of `dns.dangling_cname` against the
//! loopback test bed.

use handover_model::Severity;
use handover_testbed::{TestBed, Zone, LOOPBACK};

use super::tests::{expected, one, run, verdicts};
use crate::checks::net::bed::target;
use handover_testbed::bed::CAA_ISSUER;
use handover_testbed::http::Routes;

/// A CA other than the one the bed's certificates stand for.
const OTHER_CA: &str = "digicert.com";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_caa_on_the_parent_only_applies_and_names_the_parent() {
    let bed = TestBed::builder()
        .zone(|z| z.a("eu.app", LOOPBACK))
        .site("eu.app.example.test", Routes::new().into_handler())
        .start()
        .await
        .unwrap();
    let mut target = target(&bed);
    target.hosts.push("eu.app.example.test".into());
    let findings = run(target.clone()).await;
    let port = bed.https_port();
    assert_eq!(
        verdicts(&findings),
        expected(&target.hosts, port, &[]),
        "{findings:#?}"
    );
    for host in ["app.example.test", "eu.app.example.test"] {
        let f = one(&findings, "dns.caa", host);
        assert_eq!(f.title, format!("CAA from example.test applies to {host}"));
        assert_eq!(
            f.evidence[0],
            format!("example.test CAA 0 issue \"{CAA_ISSUER}\"")
        );
    }
    let deep = one(&findings, "dns.caa", "eu.app.example.test");
    assert_eq!(
        deep.evidence[1..],
        [
            "asked first: eu.app.example.test: no CAA".to_string(),
            "asked first: app.example.test: no CAA".to_string(),
        ]
    );
    let served = one(&findings, "dns.caa", &format!("app.example.test:{port}"));
    assert_eq!(
        served.title,
        "CAA from example.test allows the CA of app.example.test's certificate"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_caa_on_a_subdomain_overrides_the_apex_per_host() {
    let bed = TestBed::builder()
        .without_caa()
        .zone(|z| z.caa_forbid("@").caa_issue("api", CAA_ISSUER))
        .start()
        .await
        .unwrap();
    let findings = run(target(&bed)).await;
    let port = bed.https_port();
    let hosts = bed.hosts();
    let tls: Vec<String> = hosts.iter().map(|h| format!("{h}:{port}")).collect();
    let changes: Vec<_> = tls
        .iter()
        .filter(|at| !at.starts_with("api."))
        .map(|at| ("dns.caa", at.as_str(), Some(Severity::Medium)))
        .collect();
    assert_eq!(
        verdicts(&findings),
        expected(&hosts, port, &changes),
        "{findings:#?}"
    );
    let api = one(&findings, "dns.caa", "api.example.test");
    assert_eq!(
        api.title,
        "CAA from api.example.test applies to api.example.test"
    );
    let app = one(&findings, "dns.caa", "app.example.test");
    assert_eq!(
        app.title,
        "CAA from example.test applies to app.example.test"
    );
    let app_tls = one(&findings, "dns.caa", &format!("app.example.test:{port}"));
    assert_eq!(
        app_tls.title,
        "CAA from example.test does not allow the CA of app.example.test's certificate"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_caa_finds_a_served_certificate_its_records_do_not_allow() {
    let bed = TestBed::builder()
        .zone(|z| z.caa_issue("app", OTHER_CA))
        .start()
        .await
        .unwrap();
    let findings = run(target(&bed)).await;
    let port = bed.https_port();
    let app_tls = format!("app.example.test:{port}");
    // status.example.test is a CNAME to app: app's records apply to it too.
    let status_tls = format!("status.example.test:{port}");
    assert_eq!(
        verdicts(&findings),
        expected(
            &bed.hosts(),
            port,
            &[
                ("dns.caa", &app_tls, Some(Severity::Medium)),
                ("dns.caa", &status_tls, Some(Severity::Medium)),
            ]
        ),
        "{findings:#?}"
    );
    let status = one(&findings, "dns.caa", "status.example.test");
    assert_eq!(
        status.title,
        "CAA from app.example.test applies to status.example.test"
    );
    let f = one(&findings, "dns.caa", &app_tls);
    assert_eq!(
        f.title,
        "CAA from app.example.test does not allow the CA of app.example.test's certificate"
    );
    assert!(f.detail.contains("heuristic"), "{}", f.detail);
    assert!(f.detail.contains("the next renewal from that CA will fail"));
    assert_eq!(
        f.evidence[1],
        format!("app.example.test CAA 0 issue \"{OTHER_CA}\"")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_caa_follows_a_cname_to_its_target_records() {
    let bed = TestBed::builder()
        .zone(|z| z.cname("shop", "shops.hosting.test"))
        .extra_zone(
            Zone::new("hosting.test")
                .a("shops", LOOPBACK)
                .caa_issue("shops", OTHER_CA),
        )
        .site("shop.example.test", Routes::new().into_handler())
        .start()
        .await
        .unwrap();
    let mut target = target(&bed);
    target.hosts.push("shop.example.test".into());
    let findings = run(target.clone()).await;
    let port = bed.https_port();
    let shop_tls = format!("shop.example.test:{port}");
    assert_eq!(
        verdicts(&findings),
        expected(
            &target.hosts,
            port,
            &[("dns.caa", &shop_tls, Some(Severity::Medium))]
        ),
        "{findings:#?}"
    );
    let shop = one(&findings, "dns.caa", "shop.example.test");
    assert_eq!(
        shop.title,
        "CAA from shops.hosting.test applies to shop.example.test"
    );
    assert_eq!(
        shop.evidence[0],
        "shop.example.test CNAME shops.hosting.test"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_dns_a_cname_to_a_name_without_address_is_not_nxdomain() {
    let bed = TestBed::builder()
        .zone(|z| z.cname("blog", "parked.hosting.test"))
        .extra_zone(Zone::new("hosting.test").txt("parked", "parked"))
        .start()
        .await
        .unwrap();
    let mut target = target(&bed);
    target.hosts.push("blog.example.test".into());
    let findings = run(target.clone()).await;
    let port = bed.https_port();
    let blog_tls = format!("blog.example.test:{port}");
    assert_eq!(
        verdicts(&findings),
        expected(
            &target.hosts,
            port,
            &[
                ("dns.resolve", "blog.example.test", Some(Severity::Blocker)),
                (
                    "dns.dangling_cname",
                    "blog.example.test",
                    Some(Severity::Medium)
                ),
                ("dns.caa", &blog_tls, None),
            ]
        ),
        "{findings:#?}"
    );
    let blog = one(&findings, "dns.dangling_cname", "blog.example.test");
    assert_eq!(
        blog.title,
        "blog.example.test points to parked.hosting.test, which has no address"
    );
    let resolve = one(&findings, "dns.resolve", "blog.example.test");
    assert_eq!(resolve.title, "blog.example.test has no address");
}
