//! Added network latency without netem: a [`LatencyRelay`] in front of a
//! TCP server and a [`DelayedDns`] in front of a DNS server.
//!
//! Each relay delays every chunk by the one-way delay in each direction,
//! in order and without limiting throughput (chunks are timestamped when
//! read and written when their time comes), so every round trip — a TCP
//! handshake, a TLS flight, a request and its response — pays the round
//! trip time once. The TCP handshake is modelled too: bytes the client
//! sends in the first round trip of a connection are held until it is over,
//! as if the client had waited for the SYN-ACK.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::{BedError, Tasks};

/// How long a relayed DNS query waits for the real server's answer.
const DNS_UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);
/// How many chunks may wait in one direction before reading pauses.
const QUEUE: usize = 256;

/// A TCP relay on 127.0.0.1 forwarding to `target`, every byte delayed by
/// half the round trip time in each direction; it stops (with every relayed
/// connection) when dropped.
pub struct LatencyRelay {
    port: u16,
    target: SocketAddr,
    _tasks: Tasks,
}

impl std::fmt::Debug for LatencyRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LatencyRelay")
            .field("port", &self.port)
            .field("target", &self.target)
            .finish()
    }
}

impl LatencyRelay {
    /// Listens on a random loopback port and relays to `target`, adding
    /// `rtt` to every round trip.
    pub async fn start(target: SocketAddr, rtt: Duration) -> Result<Self, BedError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        Self::on(listener, target, rtt)
    }

    /// Relays connections accepted on `listener` to `target`.
    pub fn on(listener: TcpListener, target: SocketAddr, rtt: Duration) -> Result<Self, BedError> {
        let port = listener.local_addr()?.port();
        let mut tasks = Tasks::default();
        tasks.spawn(accept_relay(listener, target, rtt / 2));
        Ok(Self {
            port,
            target,
            _tasks: tasks,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Where it listens (`127.0.0.1:port`).
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Where it relays to.
    pub fn target(&self) -> SocketAddr {
        self.target
    }
}

async fn accept_relay(listener: TcpListener, target: SocketAddr, one_way: Duration) {
    // Dropping the set (when the relay's task is aborted) ends every
    // relayed connection.
    let mut connections = JoinSet::new();
    while let Ok((client, _)) = listener.accept().await {
        while connections.try_join_next().is_some() {}
        connections.spawn(relay(client, target, one_way));
    }
}

/// One relayed connection: the upstream connection opens at once, the
/// client's bytes are released after the simulated handshake.
async fn relay(client: TcpStream, target: SocketAddr, one_way: Duration) {
    let accepted = Instant::now();
    let Ok(server) = TcpStream::connect(target).await else {
        // The target refused: the client sees its connection closed after
        // the round trip the refusal would have taken.
        tokio::time::sleep(one_way * 2).await;
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    let handshake_done = accepted + one_way * 2;
    tokio::join!(
        pump(client_read, server_write, one_way, Some(handshake_done)),
        pump(server_read, client_write, one_way, None),
    );
}

/// Copies `from` to `to`, each chunk written `one_way` after it was read
/// (or after `not_before`, if later), in order; an end of stream is passed
/// on the same way.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    one_way: Duration,
    not_before: Option<Instant>,
) {
    let (tx, mut rx) = mpsc::channel::<(Instant, Option<Vec<u8>>)>(QUEUE);
    let reader = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = from.read(&mut buf).await.unwrap_or(0);
            let sent = match not_before {
                Some(t) => Instant::now().max(t),
                None => Instant::now(),
            };
            let chunk = (n > 0).then(|| buf[..n].to_vec());
            let end = chunk.is_none();
            if tx.send((sent + one_way, chunk)).await.is_err() || end {
                break;
            }
        }
    };
    let writer = async move {
        while let Some((due, chunk)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            match chunk {
                Some(bytes) => {
                    if to.write_all(&bytes).await.is_err() {
                        break;
                    }
                }
                None => {
                    let _ = to.shutdown().await;
                    break;
                }
            }
        }
        // Closing the channel stops the reader too.
        drop(rx);
    };
    tokio::join!(reader, writer);
}

/// A DNS front on 127.0.0.1 (UDP and TCP on one port) forwarding to a DNS
/// server, every query and answer delayed by half the round trip time; it
/// stops when dropped.
pub struct DelayedDns {
    addr: SocketAddr,
    _tcp: LatencyRelay,
    _tasks: Tasks,
}

impl std::fmt::Debug for DelayedDns {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelayedDns")
            .field("addr", &self.addr)
            .finish()
    }
}

impl DelayedDns {
    /// Forwards UDP and TCP queries to `upstream`, adding `rtt` to each.
    pub async fn start(upstream: SocketAddr, rtt: Duration) -> Result<Self, BedError> {
        let (udp, tcp) = crate::dns::bind_pair().await?;
        let addr = udp.local_addr()?;
        let tcp = LatencyRelay::on(tcp, upstream, rtt)?;
        let mut tasks = Tasks::default();
        tasks.spawn(forward_udp(Arc::new(udp), upstream, rtt / 2));
        Ok(Self {
            addr,
            _tcp: tcp,
            _tasks: tasks,
        })
    }

    /// Where it listens (`127.0.0.1:port`, UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

async fn forward_udp(front: Arc<UdpSocket>, upstream: SocketAddr, one_way: Duration) {
    let mut queries = JoinSet::new();
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok((n, client)) = front.recv_from(&mut buf).await {
        while queries.try_join_next().is_some() {}
        let query = buf[..n].to_vec();
        let front = front.clone();
        queries.spawn(async move {
            tokio::time::sleep(one_way).await;
            let Ok(socket) = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await else {
                return;
            };
            if socket.send_to(&query, upstream).await.is_err() {
                return;
            }
            let mut answer = vec![0u8; 64 * 1024];
            let Ok(Ok((n, _))) =
                tokio::time::timeout(DNS_UPSTREAM_TIMEOUT, socket.recv_from(&mut answer)).await
            else {
                return;
            };
            tokio::time::sleep(one_way).await;
            let _ = front.send_to(&answer[..n], client).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::{DnsServer, TestBed, Zone};

    const RTT: Duration = Duration::from_millis(50);

    /// An echo server: every byte read is written back.
    async fn echo() -> (SocketAddr, Tasks) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut tasks = Tasks::default();
        tasks.spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let (mut r, mut w) = tcp.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
        (addr, tasks)
    }

    async fn read_exactly(tcp: &mut TcpStream, n: usize) -> Vec<u8> {
        let mut out = vec![0u8; n];
        tokio::time::timeout(Duration::from_secs(5), tcp.read_exact(&mut out))
            .await
            .expect("the echo arrives in time")
            .unwrap();
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_relay_adds_the_round_trip_and_keeps_the_bytes() {
        let (target, _echo) = echo().await;
        let relay = LatencyRelay::start(target, RTT).await.unwrap();
        assert_eq!(relay.target(), target);

        // One request/response round trip on a new connection (the
        // simulated handshake adds one more round trip).
        let started = Instant::now();
        let mut tcp = TcpStream::connect(relay.addr()).await.unwrap();
        tcp.write_all(b"ping").await.unwrap();
        assert_eq!(read_exactly(&mut tcp, 4).await, b"ping");
        let first = started.elapsed();
        assert!(first >= RTT * 2, "first round trip took {first:?}");
        assert!(first < Duration::from_millis(500), "took {first:?}");

        // One more on the established connection pays the round trip once.
        let started = Instant::now();
        tcp.write_all(b"pong").await.unwrap();
        assert_eq!(read_exactly(&mut tcp, 4).await, b"pong");
        let again = started.elapsed();
        assert!(again >= RTT, "round trip took {again:?}");
        assert!(again < Duration::from_millis(500), "took {again:?}");

        // Many writes, pipelined: intact, in order, and not one round trip
        // per write.
        let data: Vec<u8> = (0..1_000_000u32).map(|i| (i % 251) as u8).collect();
        let started = Instant::now();
        let (mut r, mut w) = tcp.into_split();
        let sent = data.clone();
        let writer = tokio::spawn(async move {
            for piece in sent.chunks(10_000) {
                w.write_all(piece).await.unwrap();
            }
            w.shutdown().await.unwrap();
        });
        let mut back = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), r.read_to_end(&mut back))
            .await
            .expect("the echo ends in time")
            .unwrap();
        writer.await.unwrap();
        let all = started.elapsed();
        assert_eq!(back.len(), data.len());
        assert!(back == data, "the bytes came back altered or reordered");
        assert!(all >= RTT, "took {all:?}");
        assert!(all < Duration::from_secs(2), "took {all:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_relay_to_a_closed_port_closes_the_connection() {
        let closed = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let target = closed.local_addr().unwrap();
        drop(closed);
        let relay = LatencyRelay::start(target, RTT).await.unwrap();
        let mut tcp = TcpStream::connect(relay.addr()).await.unwrap();
        let mut buf = [0u8; 16];
        let read = tokio::time::timeout(Duration::from_secs(2), tcp.read(&mut buf)).await;
        assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
    }

    /// A query for `name` type A, id 0x4242.
    fn query(name: &str) -> Vec<u8> {
        let mut q = vec![0x42, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in name.split('.') {
            q.push(label.len() as u8);
            q.extend_from_slice(label.as_bytes());
        }
        q.extend_from_slice(&[0, 0, 1, 0, 1]);
        q
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dns_answers_come_one_round_trip_late() {
        let dns = DnsServer::start(vec![Zone::new("lag.test").a("@", Ipv4Addr::LOCALHOST)])
            .await
            .unwrap();
        let delayed = DelayedDns::start(dns.addr(), RTT).await.unwrap();
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let started = Instant::now();
        udp.send_to(&query("lag.test"), delayed.addr())
            .await
            .unwrap();
        let mut buf = vec![0u8; 4096];
        let (n, _) = tokio::time::timeout(Duration::from_secs(2), udp.recv_from(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        let took = started.elapsed();
        assert!(n > 12 && buf[..2] == [0x42, 0x42], "{:?}", &buf[..n]);
        assert_eq!(u16::from_be_bytes([buf[6], buf[7]]), 1, "one answer");
        assert!(took >= RTT, "took {took:?}");
        assert!(took < Duration::from_millis(500), "took {took:?}");

        // TCP on the same port (length-prefixed).
        let started = Instant::now();
        let mut tcp = TcpStream::connect(delayed.addr()).await.unwrap();
        let q = query("lag.test");
        let mut framed = (q.len() as u16).to_be_bytes().to_vec();
        framed.extend_from_slice(&q);
        tcp.write_all(&framed).await.unwrap();
        let len = read_exactly(&mut tcp, 2).await;
        let answer = read_exactly(&mut tcp, u16::from_be_bytes([len[0], len[1]]) as usize).await;
        assert_eq!(answer[..2], [0x42, 0x42]);
        assert!(started.elapsed() >= RTT * 2, "took {:?}", started.elapsed());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_bed_with_latency_advertises_its_relays() {
        let bed = TestBed::builder().latency(RTT).start().await.unwrap();
        assert_eq!(bed.latency(), Some(RTT));
        assert_ne!(bed.https_port(), bed.https.port());
        assert_ne!(bed.http_port(), bed.http.port());
        assert_ne!(bed.dns_server(), bed.dns.addr());

        // Plain HTTP through its relay redirects to the relayed HTTPS port.
        let started = Instant::now();
        let mut tcp = TcpStream::connect(("127.0.0.1", bed.http_port()))
            .await
            .unwrap();
        tcp.write_all(b"GET /x HTTP/1.1\r\nHost: app.example.test\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut reply = Vec::new();
        tokio::time::timeout(Duration::from_secs(2), tcp.read_to_end(&mut reply))
            .await
            .expect("a reply")
            .unwrap();
        let took = started.elapsed();
        let reply = String::from_utf8_lossy(&reply);
        let location = format!("https://app.example.test:{}/x", bed.https_port());
        assert!(reply.starts_with("HTTP/1.1 301"), "{reply}");
        assert!(reply.contains(&location), "{reply}");
        assert!(took >= RTT * 2, "took {took:?}");

        let plain = TestBed::start().await.unwrap();
        assert_eq!(plain.latency(), None);
        assert_eq!(plain.https_port(), plain.https.port());
        assert_eq!(plain.dns_server(), plain.dns.addr());
    }
}
