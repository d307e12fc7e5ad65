//! How long the demo product takes to start — DNS, PKI and certificates,
//! HTTPS, HTTP and SMTP servers, files written — until its apex answers an
//! HTTPS request on loopback, against the 2 s goal. Run with
//! `cargo bench -p handover-demo --bench start` (or `cargo xtask bench`).

use std::time::{Duration, Instant};

use handover_demo::Demo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The goal: the demo is up in under this.
const GOAL: Duration = Duration::from_secs(2);
/// Starts measured.
const STARTS: usize = 20;

/// Until the HTTPS port accepts a connection and answers bytes of a TLS
/// handshake (a ClientHello for the apex).
async fn first_answer(demo: &Demo) {
    let mut tcp = tokio::net::TcpStream::connect(("127.0.0.1", demo.https_port()))
        .await
        .expect("the HTTPS port accepts");
    tcp.write_all(&client_hello("northwind.test"))
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    tcp.read_exact(&mut byte).await.unwrap();
    assert_eq!(byte[0], 0x16, "a TLS handshake record comes back");
}

/// A minimal TLS 1.2/1.3 ClientHello with SNI (enough for the server to
/// answer with its ServerHello).
fn client_hello(host: &str) -> Vec<u8> {
    let name = host.as_bytes();
    let mut sni = vec![0x00];
    sni.extend((name.len() as u16).to_be_bytes());
    sni.extend(name);
    let mut sni_list = (sni.len() as u16).to_be_bytes().to_vec();
    sni_list.extend(sni);
    let mut ext = vec![0x00, 0x00];
    ext.extend((sni_list.len() as u16).to_be_bytes());
    ext.extend(sni_list);
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256.
    ext.extend([0x00, 0x0d, 0x00, 0x06, 0x00, 0x04, 0x04, 0x03, 0x08, 0x04]);
    // supported_groups: x25519, secp256r1; ec_point_formats: uncompressed.
    ext.extend([0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x1d, 0x00, 0x17]);
    ext.extend([0x00, 0x0b, 0x00, 0x02, 0x01, 0x00]);
    let mut body = vec![0x03, 0x03];
    body.extend([7u8; 32]);
    body.push(0);
    // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.
    body.extend([0x00, 0x04, 0xc0, 0x2b, 0xc0, 0x2f]);
    body.extend([0x01, 0x00]);
    body.extend((ext.len() as u16).to_be_bytes());
    body.extend(ext);
    let mut handshake = vec![0x01];
    handshake.extend(&(body.len() as u32).to_be_bytes()[1..]);
    handshake.extend(body);
    let mut record = vec![0x16, 0x03, 0x01];
    record.extend((handshake.len() as u16).to_be_bytes());
    record.extend(handshake);
    record
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut times: Vec<Duration> = Vec::with_capacity(STARTS);
    for _ in 0..STARTS {
        let dir = tempfile::tempdir().unwrap();
        let took = runtime.block_on(async {
            let began = Instant::now();
            let demo = Demo::start(dir.path()).await.expect("the demo starts");
            first_answer(&demo).await;
            began.elapsed()
        });
        times.push(took);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[STARTS / 2];
    let p95 = times[(STARTS * 95).div_ceil(100) - 1];
    println!(
        "demo start to first HTTPS answer, {STARTS} starts: min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(times[0]),
        ms(median),
        ms(p95),
        ms(times[STARTS - 1])
    );
    println!(
        "goal {:.0} ms: the slowest start is {:.0}× under it ({})",
        ms(GOAL),
        GOAL.as_secs_f64() / times[STARTS - 1].as_secs_f64(),
        if times[STARTS - 1] < GOAL {
            "met"
        } else {
            "MISSED"
        }
    );
}
