//! The test bed's web servers on 127.0.0.1: [`HttpsServer`] (rustls, a
//! certificate per host chosen by SNI) and [`HttpServer`] (plain), both a
//! minimal HTTP/1.1 responder that answers requests through the [`Site`]
//! their Host header names, keeping the connection open between requests
//! (HTTP/1.1 persistence) unless the client or the response asks to close.
//! Both count the connections opened to each host, so tests can hold a
//! checker to a connection budget.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::server::Acceptor;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::LazyConfigAcceptor;

use crate::http::{parse_head, Delivery, Handler, Request, Response, Routes};
use crate::pki::Leaf;
use crate::{BedError, Tasks};

/// Most bytes of a request head the servers read.
const MAX_HEAD: usize = 64 * 1024;
/// Most bytes of a request body the servers read.
const MAX_BODY: usize = 1024 * 1024;

/// One host a server answers for: its handler and, for HTTPS, its certificate.
#[derive(Clone)]
pub struct Site {
    /// The host name (lowercase ASCII).
    pub host: String,
    /// The certificate presented for it (HTTPS only).
    pub leaf: Option<Leaf>,
    /// What it answers.
    pub handler: Handler,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site").field("host", &self.host).finish()
    }
}

impl Site {
    /// A host answered by `handler`.
    pub fn new(host: &str, handler: Handler) -> Self {
        Self {
            host: host.to_ascii_lowercase(),
            leaf: None,
            handler,
        }
    }

    /// A host answered by a route table.
    pub fn routes(host: &str, routes: Routes) -> Self {
        Self::new(host, routes.into_handler())
    }

    /// Presents `leaf` for this host over HTTPS.
    pub fn cert(mut self, leaf: Leaf) -> Self {
        self.leaf = Some(leaf);
        self
    }
}

/// Which TLS versions an [`HttpsServer`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsVersions {
    /// TLS 1.2 and 1.3.
    #[default]
    Both,
    /// TLS 1.3 only.
    Tls13Only,
    /// TLS 1.2 only.
    Tls12Only,
}

struct Sites {
    by_host: HashMap<String, Handler>,
    fallback: Option<Handler>,
    log: Mutex<Vec<Request>>,
    /// The SNI name of every completed TLS handshake, oldest first.
    handshakes: Mutex<Vec<Option<String>>>,
    /// The host of every connection opened, oldest first: the SNI name of
    /// its ClientHello (HTTPS) or the Host of its first request (HTTP).
    connections: Mutex<Vec<Option<String>>>,
}

impl Sites {
    fn new(sites: &[Site]) -> Arc<Self> {
        Arc::new(Self {
            by_host: sites
                .iter()
                .map(|s| (s.host.clone(), s.handler.clone()))
                .collect(),
            fallback: sites.first().map(|s| s.handler.clone()),
            log: Mutex::new(Vec::new()),
            handshakes: Mutex::new(Vec::new()),
            connections: Mutex::new(Vec::new()),
        })
    }

    fn connected(&self, host: Option<String>) {
        if let Ok(mut seen) = self.connections.lock() {
            seen.push(host.map(|h| h.to_ascii_lowercase()));
        }
    }

    fn connections_for(&self, host: &str) -> usize {
        self.connections
            .lock()
            .map(|seen| seen.iter().filter(|h| h.as_deref() == Some(host)).count())
            .unwrap_or_default()
    }

    fn answer(&self, req: &Request) -> Response {
        if let Ok(mut log) = self.log.lock() {
            log.push(req.clone());
        }
        match self.by_host.get(&req.host).or(self.fallback.as_ref()) {
            Some(handler) => handler(req),
            None => Response::new(421),
        }
    }
}

/// Picks each host's certificate by SNI; unknown or missing SNI gets the
/// first site's.
#[derive(Debug)]
struct SniCerts {
    by_host: HashMap<String, Arc<CertifiedKey>>,
    default: Option<Arc<CertifiedKey>>,
}

impl ResolvesServerCert for SniCerts {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        hello
            .server_name()
            .and_then(|name| self.by_host.get(&name.to_ascii_lowercase()))
            .or(self.default.as_ref())
            .cloned()
    }
}

/// An HTTPS server on 127.0.0.1; stops when dropped.
pub struct HttpsServer {
    port: u16,
    sites: Arc<Sites>,
    _tasks: Tasks,
}

impl HttpsServer {
    /// Serves `sites` over TLS 1.2 and 1.3; every site needs a certificate
    /// except that a site without one shares the first site's.
    pub async fn start(sites: Vec<Site>) -> Result<Self, BedError> {
        Self::start_with(sites, TlsVersions::Both).await
    }

    /// Like [`HttpsServer::start`], accepting only `versions`.
    pub async fn start_with(sites: Vec<Site>, versions: TlsVersions) -> Result<Self, BedError> {
        let mut by_host = HashMap::new();
        let mut default = None;
        for site in &sites {
            if let Some(leaf) = &site.leaf {
                let key = rustls::crypto::ring::sign::any_supported_type(&leaf.key)?;
                let certified = Arc::new(CertifiedKey::new(leaf.chain.clone(), key));
                default.get_or_insert_with(|| certified.clone());
                by_host.insert(site.host.clone(), certified);
            }
        }
        let protocols: &[&'static rustls::SupportedProtocolVersion] = match versions {
            TlsVersions::Both => &[&rustls::version::TLS13, &rustls::version::TLS12],
            TlsVersions::Tls13Only => &[&rustls::version::TLS13],
            TlsVersions::Tls12Only => &[&rustls::version::TLS12],
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(protocols)?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(SniCerts { by_host, default }));
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let config = Arc::new(config);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let sites = Sites::new(&sites);
        let mut tasks = Tasks::default();
        let served = sites.clone();
        tasks.spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            while let Ok((tcp, _)) = listener.accept().await {
                // Answers go out as soon as they are written, as a real
                // server's do (no waiting on Nagle for a delayed ACK).
                let _ = tcp.set_nodelay(true);
                let (config, sites) = (config.clone(), served.clone());
                conns.spawn(async move {
                    let accept = async {
                        // Read the ClientHello first, so a connection the
                        // client gives up on mid-handshake still counts.
                        let start = LazyConfigAcceptor::new(Acceptor::default(), tcp)
                            .await
                            .ok()?;
                        let sni = start.client_hello().server_name().map(str::to_string);
                        sites.connected(sni.clone());
                        let tls = start.into_stream(config).await.ok()?;
                        Some((tls, sni))
                    };
                    if let Ok(Some((tls, sni))) =
                        tokio::time::timeout(Duration::from_secs(10), accept).await
                    {
                        if let Ok(mut seen) = sites.handshakes.lock() {
                            seen.push(sni.clone());
                        }
                        serve(tls, "https", sni, &sites).await;
                    }
                });
                while conns.try_join_next().is_some() {}
            }
        });
        Ok(Self {
            port,
            sites,
            _tasks: tasks,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:port`.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, self.port))
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        self.sites.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// How many TLS handshakes completed for `host` (by SNI) so far: each
    /// is one connection a checker opened.
    pub fn handshakes_for(&self, host: &str) -> usize {
        self.sites
            .handshakes
            .lock()
            .map(|seen| {
                seen.iter()
                    .filter(|sni| sni.as_deref() == Some(host))
                    .count()
            })
            .unwrap_or_default()
    }

    /// How many connections were opened to `host` (by the SNI name of
    /// their ClientHello) so far, whether or not the handshake completed.
    pub fn connections_for(&self, host: &str) -> usize {
        self.sites.connections_for(host)
    }
}

/// A plain HTTP server on 127.0.0.1; stops when dropped.
pub struct HttpServer {
    port: u16,
    sites: Arc<Sites>,
    _tasks: Tasks,
}

impl HttpServer {
    /// Serves `sites` (certificates are ignored); unknown hosts get the
    /// first site's handler.
    pub async fn start(sites: Vec<Site>) -> Result<Self, BedError> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = listener.local_addr()?.port();
        let sites = Sites::new(&sites);
        let mut tasks = Tasks::default();
        tasks.spawn(accept_plain(listener, sites.clone()));
        Ok(Self {
            port,
            sites,
            _tasks: tasks,
        })
    }

    /// Redirects every request on every host to
    /// `https://<host>[:https_port]<path>` with a 301.
    pub async fn redirecting_to_https(hosts: &[&str], https_port: u16) -> Result<Self, BedError> {
        let sites = hosts
            .iter()
            .map(|host| Site::new(host, to_https(https_port)))
            .collect();
        Self::start(sites).await
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request answered so far, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        self.sites.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// How many connections were opened to `host` (by the Host header of
    /// their first request) so far.
    pub fn connections_for(&self, host: &str) -> usize {
        self.sites.connections_for(host)
    }
}

/// A handler redirecting (301) to the same host and path over HTTPS.
pub fn to_https(https_port: u16) -> Handler {
    Arc::new(move |req: &Request| {
        let authority = if https_port == 443 {
            req.host.clone()
        } else {
            format!("{}:{https_port}", req.host)
        };
        Response::redirect(301, &format!("https://{authority}{}", req.target))
    })
}

async fn accept_plain(listener: TcpListener, sites: Arc<Sites>) {
    let mut conns = tokio::task::JoinSet::new();
    while let Ok((tcp, _)) = listener.accept().await {
        let _ = tcp.set_nodelay(true);
        let sites = sites.clone();
        conns.spawn(async move { serve(tcp, "http", None, &sites).await });
        while conns.try_join_next().is_some() {}
    }
}

/// How long a kept-open connection may sit idle before the server closes it.
const IDLE: Duration = Duration::from_secs(5);

/// Answers requests from `stream` through `sites` until the client closes
/// it, asks to close (`Connection: close`), idles past [`IDLE`], or a
/// response is one the connection cannot outlive (closing or hostile).
async fn serve<S>(mut stream: S, scheme: &'static str, sni: Option<String>, sites: &Sites)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut first = true;
    loop {
        let wait = if first { Duration::from_secs(10) } else { IDLE };
        let Some(req) = read_request(&mut stream, scheme, sni.clone(), wait).await else {
            break;
        };
        if first && scheme == "http" {
            sites.connected(Some(req.host.clone()));
        }
        first = false;
        let response = sites.answer(&req);
        let keep = response.keeps_alive()
            && !req
                .header("connection")
                .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if send(&mut stream, &response, req.method == "HEAD", keep)
            .await
            .is_err()
            || !keep
        {
            break;
        }
    }
    let _ = stream.shutdown().await;
}

async fn read_request<S: AsyncRead + Unpin>(
    stream: &mut S,
    scheme: &'static str,
    sni: Option<String>,
    wait: Duration,
) -> Option<Request> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let end = loop {
        let n = tokio::time::timeout(wait, stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
    };
    let mut req = parse_head(&String::from_utf8_lossy(&buf[..end]), scheme, sni)?;
    let mut body = buf.split_off(end + 4);
    let want = req
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY);
    while body.len() < want {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(want);
    req.body = body;
    Some(req)
}

/// Writes `response` the way its [`Delivery`] says.
pub(crate) async fn send<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &Response,
    head_request: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    if !response.delay.is_zero() {
        tokio::time::sleep(response.delay).await;
    }
    let head = response.head(head_request, keep_alive);
    match response.delivery {
        Delivery::Silence => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
        Delivery::SlowHeaders(interval) => {
            for byte in head {
                stream.write_all(&[byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(interval).await;
            }
            Ok(())
        }
        Delivery::EndlessBody => {
            stream.write_all(&head).await?;
            let chunk = vec![b'a'; 16 * 1024];
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        Delivery::Paced(pause) => {
            stream.write_all(&head).await?;
            stream.flush().await?;
            for piece in response.body.split_inclusive(|b| *b == b'\n') {
                if piece == b"\n" {
                    stream.write_all(piece).await?;
                    stream.flush().await?;
                    continue;
                }
                tokio::time::sleep(pause).await;
                stream.write_all(piece).await?;
                stream.flush().await?;
            }
            Ok(())
        }
        Delivery::Normal | Delivery::HugeHeader(_) => {
            // One write, as a server with its answer at hand sends it.
            let mut whole = head;
            if !head_request && response.has_body() {
                whole.extend_from_slice(&response.body);
            }
            stream.write_all(&whole).await?;
            stream.flush().await
        }
    }
}

/// Accepts TCP connections and holds each open, reading and discarding
/// whatever arrives, never writing a byte (used by the hostile servers).
pub(crate) async fn hold(mut tcp: TcpStream) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = tcp.read(&mut buf).await {
        if n == 0 {
            break;
        }
    }
}
