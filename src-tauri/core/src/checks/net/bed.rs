//! Test helpers over the loopback test bed, and the tests of [`Net`].

use std::time::Duration;

use handover_testbed::{hostile, Response, Routes, TestBed};

use super::{Limits, Net, NetError};
use crate::checks::CheckTarget;

/// The check target for `bed`: its apex and hosts, ports, DNS server and CA.
pub(crate) fn target(bed: &TestBed) -> CheckTarget {
    CheckTarget {
        apex: bed.apex().to_string(),
        hosts: bed.hosts(),
        https_port: bed.https_port(),
        http_port: bed.http_port(),
        dns_server: Some(bed.dns_server()),
        extra_ca_pem: Some(bed.ca_pem()),
        ..CheckTarget::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_net_resolves_connects_and_fetches_through_the_bed() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            Routes::new()
                .route("/", Response::text("hello").gzip())
                .into_handler(),
        )
        .start()
        .await
        .unwrap();
    let net = Net::new(&target(&bed)).unwrap();

    let ips = net.resolve("status.example.test").await.unwrap();
    assert_eq!(ips, vec![std::net::IpAddr::from([127, 0, 0, 1])]);
    assert!(matches!(
        net.resolve("nope.example.test").await,
        Err(NetError::NoSuchHost { .. })
    ));
    net.connect("app.example.test", bed.https_port())
        .await
        .unwrap();

    let client = net.http_client();
    let https = format!("https://app.example.test:{}/", bed.https_port());
    let page = client.get(&https).send().await.unwrap();
    assert_eq!(page.status(), 200, "the extra CA is trusted");

    let http = format!("http://app.example.test:{}/", bed.http_port());
    let redirect = client.get(&http).send().await.unwrap();
    assert_eq!(redirect.status(), 301, "redirects are not followed");

    let api = format!("https://api.example.test:{}/", bed.https_port());
    let gz = client.get(&api).send().await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let body = gz.bytes().await.unwrap();
    assert_eq!(&body[..2], &[0x1f, 0x8b], "bodies arrive as sent");

    let seen = bed.https.requests();
    let agent = seen[0].header("user-agent").unwrap_or_default();
    assert!(
        agent.starts_with("Handover/") && agent.ends_with("(launch audit)"),
        "{agent}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_net_without_the_extra_ca_refuses_the_bed_certificate() {
    let bed = TestBed::start().await.unwrap();
    let mut target = target(&bed);
    target.extra_ca_pem = None;
    let net = Net::new(&target).unwrap();
    let url = format!("https://app.example.test:{}/", bed.https_port());
    assert!(net.http_client().get(&url).send().await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_net_rejects_a_broken_extra_ca() {
    let target = CheckTarget {
        extra_ca_pem: Some("not a certificate".into()),
        ..CheckTarget::default()
    };
    assert!(matches!(Net::new(&target), Err(NetError::ExtraCa(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_net_connect_gives_up_at_its_limit() {
    let silent = handover_testbed::DnsServer::silent().await.unwrap();
    let target = CheckTarget {
        dns_server: Some(silent.addr()),
        ..CheckTarget::default()
    };
    let limits = Limits {
        connect: Duration::from_millis(300),
        ..Limits::default()
    };
    let net = Net::with_limits(&target, limits).unwrap();
    let started = std::time::Instant::now();
    let err = net.resolve("example.test").await.unwrap_err();
    assert!(matches!(err, NetError::DnsTimeout { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // An IP literal needs no DNS; a silent TCP peer still accepts.
    let stall = hostile::SilentServer::start().await.unwrap();
    net.connect("127.0.0.1", stall.port()).await.unwrap();
}
