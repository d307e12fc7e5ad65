//! The test bed does what it says: each server and hostile behaviour,
//! checked over raw sockets.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};

use crate::hostile::{self, paths};
use crate::{CertKind, DnsServer, HttpServer, Pki, SilentServer, Site, TestBed};

/// Sends a GET for `path` on `host` and reads for at most `wait` or `cap` bytes.
async fn get(port: u16, host: &str, path: &str, wait: Duration, cap: usize) -> Vec<u8> {
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    tcp.write_all(req.as_bytes()).await.unwrap();
    read_for(&mut tcp, wait, cap).await
}

async fn read_for<S: tokio::io::AsyncRead + Unpin>(
    s: &mut S,
    wait: Duration,
    cap: usize,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let end = Instant::now() + wait;
    while out.len() < cap {
        match tokio::time::timeout_at(end.into(), s.read(&mut buf)).await {
            Ok(Ok(0)) | Err(_) | Ok(Err(_)) => break,
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
    out
}

async fn hostile_server() -> HttpServer {
    HttpServer::start(vec![Site::new("evil.test", hostile::handler())])
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_redirects_every_bed_host_to_https() {
    let bed = TestBed::start().await.unwrap();
    let raw = get(
        bed.http_port(),
        "api.example.test",
        "/x?y=1",
        Duration::from_secs(2),
        1 << 20,
    )
    .await;
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 301"), "{text}");
    let location = format!(
        "Location: https://api.example.test:{}/x?y=1",
        bed.https_port()
    );
    assert!(text.contains(&location), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_picks_the_certificate_by_sni() {
    let bed = TestBed::builder()
        .cert("docs.example.test", CertKind::WrongHost)
        .start()
        .await
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(bed.pki.ca_der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let connect = |host: &'static str| {
        let connector = connector.clone();
        let port = bed.https_port();
        async move {
            let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
            connector
                .connect(ServerName::try_from(host).unwrap(), tcp)
                .await
        }
    };
    let mut tls = connect("app.example.test")
        .await
        .expect("a valid certificate");
    tls.write_all(b"GET / HTTP/1.1\r\nHost: app.example.test\r\n\r\n")
        .await
        .unwrap();
    let page = read_for(&mut tls, Duration::from_secs(2), 1 << 20).await;
    assert!(String::from_utf8_lossy(&page).contains("<h1>app.example.test</h1>"));
    assert!(connect("docs.example.test").await.is_err(), "wrong host");
    assert_eq!(
        bed.https.requests()[0].sni.as_deref(),
        Some("app.example.test")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_have_the_dates_they_promise() {
    let pki = Pki::new().unwrap();
    assert!(pki.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    for kind in [
        CertKind::Valid,
        CertKind::Expired,
        CertKind::NotYetValid,
        CertKind::ExpiresIn(20),
        CertKind::SelfSigned,
    ] {
        let leaf = pki.issue(&["a.test"], kind).unwrap();
        assert_eq!(leaf.chain.len(), 1);
    }
    assert_eq!(pki.via_intermediate(&["a.test"], 5).unwrap().chain.len(), 2);
    let lifetime = CertKind::Lifetime { days: 45, left: 10 };
    for (kind, presented) in [
        (lifetime, 1),
        (CertKind::ExpiredCrossSign, 3),
        (CertKind::Incomplete, 1),
        (CertKind::UntrustedRoot, 3),
    ] {
        let leaf = pki.issue(&["a.test"], kind).unwrap();
        assert_eq!(leaf.chain.len(), presented, "{kind:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_responses_misbehave_as_promised() {
    let evil = hostile_server().await;
    let port = evil.port();
    let short = Duration::from_millis(1500);

    let silence = get(port, "evil.test", paths::SILENCE, short, 1).await;
    assert!(silence.is_empty());

    let slow = get(
        port,
        "evil.test",
        paths::SLOW_HEADERS,
        Duration::from_millis(2500),
        1 << 20,
    )
    .await;
    assert!(
        (1..=4).contains(&slow.len()),
        "one byte a second: {}",
        slow.len()
    );

    let endless = get(
        port,
        "evil.test",
        paths::ENDLESS,
        Duration::from_secs(5),
        8 << 20,
    )
    .await;
    assert!(endless.len() >= 8 << 20, "{}", endless.len());

    let huge = get(
        port,
        "evil.test",
        paths::HUGE_HEADER,
        Duration::from_secs(5),
        2 << 20,
    )
    .await;
    assert!(huge.len() > 1 << 20);
    assert!(!huge[..huge.len().min(4096)]
        .windows(4)
        .any(|w| w == b"\r\n\r\n"));

    let bomb = get(
        port,
        "evil.test",
        paths::GZIP_BOMB,
        Duration::from_secs(5),
        1 << 20,
    )
    .await;
    let split = bomb.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let mut inflated = Vec::new();
    let mut decoder = flate2::read::GzDecoder::new(&bomb[split..]);
    std::io::Read::read_to_end(&mut decoder, &mut inflated).unwrap();
    assert_eq!(inflated.len(), hostile::GZIP_BOMB_INFLATED);
    assert!(bomb.len() - split < hostile::GZIP_BOMB_INFLATED / 500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirect_chains_loops_and_scheme_changes() {
    let evil = hostile_server().await;
    let port = evil.port();
    let wait = Duration::from_secs(2);
    let mut path = paths::CHAIN.to_string();
    for _ in 0..hostile::CHAIN_HOPS {
        let raw = String::from_utf8(get(port, "evil.test", &path, wait, 1 << 16).await).unwrap();
        assert!(raw.starts_with("HTTP/1.1 302"), "{raw}");
        path = raw
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap()
            .to_string();
    }
    let end = String::from_utf8(get(port, "evil.test", &path, wait, 1 << 16).await).unwrap();
    assert!(end.starts_with("HTTP/1.1 200"), "{path}: {end}");

    let a = String::from_utf8(get(port, "evil.test", paths::LOOP, wait, 1 << 16).await).unwrap();
    assert!(a.contains("Location: /loop/b"));
    let b = String::from_utf8(get(port, "evil.test", "/loop/b", wait, 1 << 16).await).unwrap();
    assert!(b.contains("Location: /loop/a"));
    let http = String::from_utf8(get(port, "evil.test", "/to-http?port=8080", wait, 1 << 16).await)
        .unwrap();
    assert!(http.contains("Location: http://evil.test:8080/"), "{http}");
    let other =
        String::from_utf8(get(port, "evil.test", "/to-port?port=8443", wait, 1 << 16).await)
            .unwrap();
    assert!(
        other.contains("Location: https://evil.test:8443/"),
        "{other}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_servers_accept_and_never_answer() {
    let tcp = SilentServer::start().await.unwrap();
    let mut conn = TcpStream::connect(tcp.addr()).await.unwrap();
    conn.write_all(b"\x16\x03\x01\x00\x05hello").await.unwrap();
    assert!(read_for(&mut conn, Duration::from_millis(500), 1)
        .await
        .is_empty());

    let dns = DnsServer::silent().await.unwrap();
    let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let query = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1];
    udp.send_to(&query, dns.addr()).await.unwrap();
    let mut buf = [0u8; 512];
    let answer = tokio::time::timeout(Duration::from_millis(500), udp.recv_from(&mut buf)).await;
    assert!(answer.is_err(), "no answer");
    TcpStream::connect(dns.addr())
        .await
        .expect("TCP is accepted too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_stay_open_for_the_next_request_and_are_counted_per_host() {
    let server = HttpServer::start(vec![Site::new(
        "app.example.test",
        crate::handler(|req| crate::Response::text(&req.target)),
    )])
    .await
    .unwrap();
    let mut tcp = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .unwrap();
    for path in ["/one", "/two"] {
        let req = format!("GET {path} HTTP/1.1\r\nHost: app.example.test\r\n\r\n");
        tcp.write_all(req.as_bytes()).await.unwrap();
        let raw = read_for(&mut tcp, Duration::from_millis(500), 1).await;
        let raw = String::from_utf8(raw).unwrap();
        assert!(
            raw.starts_with("HTTP/1.1 200") && raw.ends_with(path),
            "{raw}"
        );
        assert!(!raw.contains("Connection: close"), "{raw}");
    }
    // Asking to close is honoured, and the next connection counts again.
    let closing = get(
        server.port(),
        "app.example.test",
        "/three",
        Duration::from_secs(2),
        1 << 16,
    )
    .await;
    assert!(String::from_utf8(closing)
        .unwrap()
        .contains("Connection: close"));
    assert_eq!(server.connections_for("app.example.test"), 2);
    assert_eq!(server.requests().len(), 3);
}
