//! The fetcher against the test bed's hostile servers: every guard is
//! exercised over real TLS on loopback, with timings asserted.

use std::time::{Duration, Instant};

use handover_testbed::hostile::{self, paths};
use handover_testbed::{handler, Delivery, Response as BedResponse, TestBed};

use super::*;
use crate::checks::net::Limits;
use crate::checks::CheckTarget;

/// A check target for a running bed (its DNS server, CA and ports).
pub(crate) fn target_of(bed: &TestBed) -> CheckTarget {
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

/// Connections a run may open to each HTTPS host and port: the two TLS
/// inspections and two kept-alive ones for the web checks.
pub(crate) const HTTPS_BUDGET: usize = 4;
/// Connections a run may open to each plain-HTTP host and port.
pub(crate) const HTTP_BUDGET: usize = 2;

/// The connections a finished run opened to each of `hosts`, as
/// `(host, https, http)`, after asserting each is within the budget.
pub(crate) fn assert_polite(bed: &TestBed, hosts: &[String]) -> Vec<(String, usize, usize)> {
    let counts: Vec<(String, usize, usize)> = hosts
        .iter()
        .map(|h| {
            (
                h.clone(),
                bed.https.connections_for(h),
                bed.http.connections_for(h),
            )
        })
        .collect();
    for (host, https, http) in &counts {
        assert!(
            *https <= HTTPS_BUDGET && *http <= HTTP_BUDGET,
            "{host}: {https} HTTPS and {http} HTTP connections (budget {HTTPS_BUDGET} and \
             {HTTP_BUDGET}); all: {counts:?}"
        );
    }
    counts
}

/// A bed whose `api.example.test` serves every hostile response.
async fn hostile_bed() -> (TestBed, CheckTarget) {
    let bed = TestBed::builder()
        .site("api.example.test", hostile::handler())
        .start()
        .await
        .expect("the bed starts");
    let target = target_of(&bed);
    (bed, target)
}

fn api(target: &CheckTarget, path: &str) -> Url {
    Url::parse(&format!(
        "https://api.example.test:{}{path}",
        target.https_port
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_cut_at_the_body_limit() {
    let (_bed, target) = hostile_bed().await;
    let limits = Limits {
        body_bytes: 256 * 1024,
        ..Limits::default()
    };
    let net = Net::with_limits(&target, limits).unwrap();
    let started = Instant::now();
    let r = fetch(&net, Request::get(api(&target, paths::ENDLESS)))
        .await
        .unwrap();
    assert_eq!(
        (r.status, r.body.len(), r.truncated, r.timed_out),
        (200, 256 * 1024, true, false)
    );
    let took = started.elapsed();
    assert!(took < Duration::from_secs(3), "{took:?}");
    eprintln!("endless body: cut at 256 KiB after {} ms", took.as_millis());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_bomb_decodes_only_up_to_the_cap() {
    let (_bed, target) = hostile_bed().await;
    let net = Net::new(&target).unwrap();
    let started = Instant::now();
    let r = fetch(&net, Request::get(api(&target, paths::GZIP_BOMB)))
        .await
        .unwrap();
    assert!(!r.truncated, "the compressed bomb is small");
    assert!(r.body.len() < 1024 * 1024);
    let decoded = r.decoded(1024 * 1024).unwrap();
    assert_eq!((decoded.bytes.len(), decoded.capped), (1024 * 1024, true));
    assert!(hostile::GZIP_BOMB_INFLATED > 60 * decoded.bytes.len());
    eprintln!(
        "gzip bomb: {} bytes sent, decoded to the 1 MiB cap in {} ms",
        r.body.len(),
        started.elapsed().as_millis()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_headers_are_refused_by_the_client_or_by_the_limit() {
    let hostile = hostile::handler();
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(move |req| match req.path() {
                // Under hyper's own ceiling, over Handover's 100 KiB.
                "/200k" => BedResponse::text("ok").delivery(Delivery::HugeHeader(200 * 1024)),
                // Small, but more lines than the client reads.
                "/lines" => (0..=crate::checks::net::MAX_HEADER_LINES)
                    .fold(BedResponse::text("ok"), |r, i| {
                        r.header(&format!("x-line-{i}"), "v")
                    }),
                _ => hostile(req),
            }),
        )
        .start()
        .await
        .unwrap();
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    for path in [paths::HUGE_HEADER, "/200k", "/lines"] {
        let err = fetch(&net, Request::get(api(&target, path)))
            .await
            .unwrap_err();
        assert!(
            matches!(err, FetchError::HeadersTooLarge { limit: 102_400, .. }),
            "{path}: {err:?}"
        );
        eprintln!("huge header: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silence_and_trickled_headers_stop_at_the_deadline() {
    let (_bed, target) = hostile_bed().await;
    let net = Net::new(&target).unwrap();
    let deadline = Duration::from_millis(800);
    for path in [paths::SILENCE, paths::SLOW_HEADERS] {
        let started = Instant::now();
        let err = fetch(&net, Request::get(api(&target, path)).timeout(deadline))
            .await
            .unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(err, FetchError::Timeout { after_ms: 800, .. }),
            "{path}: {err:?}"
        );
        assert!(took < deadline.mul_f64(1.1), "{path}: {took:?}");
        eprintln!(
            "{path}: timed out after {} ms (deadline 800 ms)",
            took.as_millis()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_hop_chain_stops_after_ten_redirects() {
    let (_bed, target) = hostile_bed().await;
    let net = Net::new(&target).unwrap();
    let started = Instant::now();
    let chain = follow(&net, api(&target, paths::CHAIN)).await;
    let took = started.elapsed();
    assert_eq!(chain.end, ChainEnd::TooManyHops);
    assert_eq!((chain.redirects(), chain.hops.len()), (10, 11));
    assert_eq!(chain.hops[10].url.path(), "/hop/10");
    assert!(took < follow::CHAIN_DEADLINE.mul_f64(1.1), "{took:?}");
    assert!(chain.hops.iter().all(|h| h.status == 302));
    eprintln!("100-hop chain: stopped after {} ms", chain.total_ms);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_stops_at_the_second_visit() {
    let (_bed, target) = hostile_bed().await;
    let net = Net::new(&target).unwrap();
    let chain = follow(&net, api(&target, paths::LOOP)).await;
    assert_eq!(
        chain.end,
        ChainEnd::Loop {
            url: api(&target, "/loop/a")
        }
    );
    assert_eq!(chain.hops.len(), 2);
    assert_eq!(
        chain.evidence().last().unwrap(),
        &format!("loop: back to {}", api(&target, "/loop/a"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_chain_stops_at_the_chain_deadline() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(|req| {
                let n: u32 = req.path().trim_start_matches("/slow/").parse().unwrap_or(0);
                BedResponse::redirect(302, &format!("/slow/{}", n + 1))
                    .delay(Duration::from_millis(300))
            }),
        )
        .start()
        .await
        .unwrap();
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    let deadline = Duration::from_secs(1);
    let options = Follow {
        max_hops: 10,
        deadline,
        headers: HeaderMap::new(),
    };
    let started = Instant::now();
    let chain = follow_with(&net, api(&target, "/slow/0"), &options).await;
    let took = started.elapsed();
    assert_eq!(chain.end, ChainEnd::Deadline);
    assert!((2..=4).contains(&chain.hops.len()), "{}", chain.hops.len());
    assert!(took < deadline.mul_f64(1.1), "{took:?}");
    eprintln!(
        "slow chain: {} hops, stopped after {} ms",
        chain.hops.len(),
        chain.total_ms
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheme_and_port_changes_are_seen_on_the_wire() {
    let (_bed, target) = hostile_bed().await;
    let net = Net::new(&target).unwrap();
    let to_http = api(
        &target,
        &format!("{}?port={}", paths::TO_HTTP, target.http_port),
    );
    let chain = follow(&net, to_http).await;
    assert!(chain.downgrades());
    assert_eq!(
        chain.scheme_changes().len(),
        2,
        "https → http → https again"
    );
    let to_port = follow(&net, api(&target, paths::TO_PORT)).await;
    let location = to_port.hops[0].location.as_deref().unwrap();
    assert_eq!(location, "https://api.example.test:1/");
    assert!(
        matches!(
            to_port.end,
            ChainEnd::Failed(FetchError::Unreachable { .. })
        ),
        "{:?}",
        to_port.end
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_stay_separate_and_evidence_is_redacted() {
    let bed = TestBed::builder()
        .site(
            "api.example.test",
            handler(|_| {
                BedResponse::text("hi")
                    .header("Set-Cookie", "session=s3cr3t; Secure; HttpOnly")
                    .header("Set-Cookie", "theme=dark")
            }),
        )
        .start()
        .await
        .unwrap();
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    let r = fetch(
        &net,
        Request::get(api(&target, "/?token=abc")).header("Authorization", "Bearer xyz"),
    )
    .await
    .unwrap();
    assert_eq!(r.header_all("set-cookie").count(), 2);
    assert!(r.ttfb_ms <= r.total_ms);
    let evidence = r.evidence("GET", &["set-cookie"]).join("\n");
    assert!(
        evidence.contains("set-cookie: session=…; Secure; HttpOnly"),
        "{evidence}"
    );
    assert!(
        !evidence.contains("s3cr3t") && !evidence.contains("abc"),
        "{evidence}"
    );
    let sent = bed.https.requests();
    assert_eq!(sent[0].header("authorization"), Some("Bearer xyz"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_cookie_bounce_is_followed_not_called_a_loop() {
    let bed = TestBed::builder()
        .site(
            "app.example.test",
            handler(|req| match (req.path(), req.header("cookie")) {
                ("/", Some(c)) if c.contains("consent=yes") => BedResponse::html("<p>app</p>"),
                ("/", _) => BedResponse::redirect(302, "/consent"),
                _ => BedResponse::redirect(302, "/")
                    .header("Set-Cookie", "consent=yes; Path=/; Secure; HttpOnly"),
            }),
        )
        .start()
        .await
        .unwrap();
    let target = target_of(&bed);
    let net = Net::new(&target).unwrap();
    let start = Url::parse(&format!("https://app.example.test:{}/", target.https_port)).unwrap();
    let chain = follow(&net, start.clone()).await;
    assert_eq!(chain.end, ChainEnd::Final, "{:?}", chain.evidence());
    let statuses: Vec<u16> = chain.hops.iter().map(|h| h.status).collect();
    assert_eq!(statuses, [302, 302, 200]);
    assert_eq!(chain.landed().unwrap().0, &start);
    // A real loop (no cookie ever changes) is still a loop.
    let bed2 = TestBed::builder()
        .site(
            "app.example.test",
            handler(|req| match req.path() {
                "/a" => BedResponse::redirect(302, "/b"),
                _ => BedResponse::redirect(302, "/a"),
            }),
        )
        .start()
        .await
        .unwrap();
    let target2 = target_of(&bed2);
    let net2 = Net::new(&target2).unwrap();
    let a = Url::parse(&format!(
        "https://app.example.test:{}/a",
        target2.https_port
    ))
    .unwrap();
    assert!(matches!(follow(&net2, a).await.end, ChainEnd::Loop { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_product_is_not_followed_into_private_addresses() {
    let bed = TestBed::start().await.unwrap();
    let loopback = Url::parse(&format!("http://127.0.0.1:{}/", bed.http_port())).unwrap();
    // No DNS server or CA of its own: a public product.
    let public = Net::new(&CheckTarget::default()).unwrap();
    let err = fetch(&public, Request::get(loopback.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::PrivateAddress { ip, .. } if ip.is_loopback()),
        "{err:?}"
    );
    let chain = follow(&public, loopback.clone()).await;
    assert!(
        matches!(
            chain.end,
            ChainEnd::Failed(FetchError::PrivateAddress { .. })
        ),
        "{:?}",
        chain.end
    );
    // The bed's own project names a DNS server and a CA: internal, allowed.
    let internal = Net::new(&target_of(&bed)).unwrap();
    assert!(fetch(&internal, Request::get(loopback)).await.is_ok());
}
