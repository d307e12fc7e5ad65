//! Hostile peers: servers and responses built to hang, flood or loop a
//! client. A check must survive each within its deadline.
//!
//! Connection level: [`SilentServer`] (accepts TCP, never sends a byte: an
//! HTTP server that never answers, or a TLS handshake stall) and
//! [`crate::DnsServer::silent`]. Response level: the functions below, or all
//! of them at once on one host through [`handler`] and its paths.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::net::TcpListener;

use crate::http::{Delivery, Handler, Request, Response};
use crate::{BedError, Tasks};

/// Accepts TCP connections on 127.0.0.1 and never answers; stops when dropped.
pub struct SilentServer {
    port: u16,
    _tasks: Tasks,
}

impl SilentServer {
    /// Starts it on a random port.
    pub async fn start() -> Result<Self, BedError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let mut tasks = Tasks::default();
        tasks.spawn(hold_connections(listener));
        Ok(Self {
            port,
            _tasks: tasks,
        })
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }
}

/// Accepts connections on `listener` forever and holds each one open.
pub(crate) async fn hold_connections(listener: TcpListener) {
    let mut conns = tokio::task::JoinSet::new();
    while let Ok((tcp, _)) = listener.accept().await {
        conns.spawn(crate::server::hold(tcp));
        while conns.try_join_next().is_some() {}
    }
}

/// A response whose head trickles out at one byte per second.
pub fn slow_headers() -> Response {
    Response::text("never arrives").delivery(Delivery::SlowHeaders(Duration::from_secs(1)))
}

/// A 200 whose body never ends.
pub fn endless_body() -> Response {
    Response::new(200)
        .header("Content-Type", "text/html")
        .delivery(Delivery::EndlessBody)
}

/// A 200 with a 1 MiB header line.
pub fn huge_header() -> Response {
    Response::text("ok").delivery(Delivery::HugeHeader(1024 * 1024))
}

/// Bytes a [`gzip_bomb`] inflates to (64 MiB of zeros, about 64 KiB sent).
pub const GZIP_BOMB_INFLATED: usize = 64 * 1024 * 1024;

/// A 200 HTML page whose gzip body inflates a thousandfold.
pub fn gzip_bomb() -> Response {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    let body = BOMB.get_or_init(|| {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..GZIP_BOMB_INFLATED / zeros.len() {
            let _ = enc.write_all(&zeros);
        }
        enc.finish().unwrap_or_default()
    });
    let mut response = Response::new(200)
        .header("Content-Type", "text/html")
        .header("Content-Encoding", "gzip");
    response.body = body.clone();
    response
}

/// Paths [`handler`] serves.
pub mod paths {
    /// Accepts the request, never answers.
    pub const SILENCE: &str = "/silence";
    /// Headers at one byte per second.
    pub const SLOW_HEADERS: &str = "/slow-headers";
    /// A body without end.
    pub const ENDLESS: &str = "/endless";
    /// A gzip bomb.
    pub const GZIP_BOMB: &str = "/gzip-bomb";
    /// A 1 MiB header line.
    pub const HUGE_HEADER: &str = "/huge-header";
    /// The start of a 100-hop redirect chain (`/hop/0` … `/hop/100`, which is a 200).
    pub const CHAIN: &str = "/hop/0";
    /// A redirect loop (`/loop/a` → `/loop/b` → `/loop/a`).
    pub const LOOP: &str = "/loop/a";
    /// A redirect to the same host and path over plain HTTP (`?port=N` sets the port).
    pub const TO_HTTP: &str = "/to-http";
    /// A redirect to the same host over HTTPS on another port (`?port=N`, default 1).
    pub const TO_PORT: &str = "/to-port";
}

/// Hops in the chain starting at [`paths::CHAIN`].
pub const CHAIN_HOPS: u32 = 100;

/// A handler serving every hostile response under [`paths`]; anything
/// else is a 404.
pub fn handler() -> Handler {
    Arc::new(|req: &Request| {
        let path = req.path();
        if let Some(n) = path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse::<u32>().ok())
        {
            return redirect_chain_step(n, CHAIN_HOPS);
        }
        let port = req
            .target
            .split_once("?port=")
            .and_then(|(_, p)| p.parse::<u16>().ok());
        match path {
            paths::SILENCE => Response::new(200).delivery(Delivery::Silence),
            paths::SLOW_HEADERS => slow_headers(),
            paths::ENDLESS => endless_body(),
            paths::GZIP_BOMB => gzip_bomb(),
            paths::HUGE_HEADER => huge_header(),
            "/loop/a" => Response::redirect(302, "/loop/b"),
            "/loop/b" => Response::redirect(302, "/loop/a"),
            paths::TO_HTTP => {
                let authority = port.map_or(req.host.clone(), |p| format!("{}:{p}", req.host));
                Response::redirect(301, &format!("http://{authority}/"))
            }
            paths::TO_PORT => {
                Response::redirect(301, &format!("https://{}:{}/", req.host, port.unwrap_or(1)))
            }
            _ => Response::not_found(),
        }
    })
}

/// Step `n` of a redirect chain of `hops`: a 302 to `/hop/{n+1}`, and a 200
/// at the end.
pub fn redirect_chain_step(n: u32, hops: u32) -> Response {
    if n >= hops {
        Response::text("end of the chain")
    } else {
        Response::redirect(302, &format!("/hop/{}", n + 1))
    }
}
