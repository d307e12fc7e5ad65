//! One virtual user's kept-alive HTTP/1.1 connection, opened by hand so
//! that opening it can be timed phase by phase, as `curl -w` does:
//! the DNS lookup (through the run's resolver, [`Net::resolve`]), the TCP
//! connect, the TLS handshake (HTTPS only) with the run's trust
//! ([`Net::tls_config`]), then hyper's HTTP/1.1 client on the stream.
//!
//! It speaks as [`Net::load_client`] does: HTTP/1.1 only, no proxy, no
//! redirects followed, nothing decompressed, at most
//! [`MAX_HEADER_LINES`] header lines, `User-Agent: Handover/… (launch
//! audit)` and `Accept: */*` unless the plan's headers say otherwise.
//! A connection the server closed while idle is replaced before the next
//! request is written (a request the connection dropped unsent is sent
//! once more, over a new one, as hyper's pooled client does); a request
//! that was written is never sent twice.

use std::net::IpAddr;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::time::Instant;
use tokio_rustls::TlsConnector;
use url::{Host, Url};

use super::load::Plan;
use crate::checks::http::{HeaderMap, HeaderValue};
use crate::checks::net::{user_agent, Net, NetError, MAX_HEADER_LINES};

/// How long each phase of opening one connection took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phases {
    /// The DNS lookup (`None` for an IP address: no lookup was made).
    pub dns: Option<Duration>,
    /// The TCP connect (all addresses tried, in turn).
    pub connect: Duration,
    /// The TLS handshake (`None` over plain HTTP).
    pub tls: Option<Duration>,
    /// Whether that handshake resumed an earlier session of the run (fewer
    /// round trips than a first visit's full handshake).
    pub tls_resumed: bool,
}

/// How a request got its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    /// Sent over the user's kept-alive connection: no connection phases.
    Reused,
    /// Opened a new connection first, in these phases.
    Opened(Phases),
    /// Failed before a connection was open (DNS, connect or TLS).
    NotOpened,
}

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The URL names no host, or a scheme other than HTTP(S).
    #[error("{0} cannot be requested (an http or https URL with a host is needed)")]
    BadUrl(String),
    /// DNS or TCP trouble.
    #[error(transparent)]
    Net(#[from] NetError),
    /// The TLS handshake failed.
    #[error("the TLS handshake with {host} failed: {reason}")]
    Tls {
        /// The host.
        host: String,
        /// What went wrong.
        reason: String,
    },
    /// The request could not be built from the plan.
    #[error("the request could not be built: {0}")]
    Build(#[from] http::Error),
    /// HTTP trouble: the connection closed, a malformed answer…
    #[error("{0}")]
    Http(#[from] hyper::Error),
}

/// Where requests go: the URL's parts, worked out once.
#[derive(Debug, Clone)]
pub(crate) struct Destination {
    host: String,
    ip: Option<IpAddr>,
    port: u16,
    tls: bool,
    authority: HeaderValue,
    path: String,
}

impl Destination {
    /// The parts of `url`.
    pub(crate) fn of(url: &Url) -> Result<Self, RequestError> {
        let bad = || RequestError::BadUrl(crate::checks::http::redact_url(url));
        let (host, ip) = match url.host().ok_or_else(bad)? {
            Host::Domain(name) => (name.to_string(), None),
            Host::Ipv4(ip) => (ip.to_string(), Some(IpAddr::V4(ip))),
            Host::Ipv6(ip) => (ip.to_string(), Some(IpAddr::V6(ip))),
        };
        let tls = match url.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(bad()),
        };
        let port = url.port_or_known_default().ok_or_else(bad)?;
        let authority =
            HeaderValue::from_str(&url[url::Position::BeforeHost..url::Position::AfterPort])
                .map_err(|_| bad())?;
        let path = url[url::Position::BeforePath..url::Position::AfterQuery].to_string();
        Ok(Self {
            host,
            ip,
            port,
            tls,
            authority,
            path,
        })
    }
}

/// One virtual user's connection: none until the first request.
#[derive(Default)]
pub(crate) struct KeptAlive {
    open: Option<Open>,
}

struct Open {
    sender: http1::SendRequest<Full<Bytes>>,
    /// Drives the connection; aborted when the connection is dropped.
    driver: tokio::task::JoinHandle<()>,
}

impl Drop for Open {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

impl KeptAlive {
    /// Drops the connection (a body left unread, a request timed out): the
    /// next request opens another.
    pub(crate) fn close(&mut self) {
        self.open = None;
    }

    /// Sends `plan`'s request to `to`, over the kept-alive connection when
    /// it is still open, else over a new one; `how` says which as soon as
    /// it is known (so a caller that gives up waiting still knows).
    pub(crate) async fn send(
        &mut self,
        net: &Net,
        to: &Destination,
        plan: &Plan,
        body: &Bytes,
        how: &mut Connection,
    ) -> Result<hyper::Response<Incoming>, RequestError> {
        *how = self.ready(net, to).await?;
        let open = self.open.as_mut().expect("ready leaves a connection open");
        match open.sender.send_request(request(to, plan, body)?).await {
            Ok(response) => Ok(response),
            Err(err) if err.is_canceled() && *how == Connection::Reused => {
                // Closed under us before the request was written: once more,
                // over a new connection.
                self.close();
                *how = Connection::NotOpened;
                *how = self.ready(net, to).await?;
                let open = self.open.as_mut().expect("ready leaves a connection open");
                Ok(open.sender.send_request(request(to, plan, body)?).await?)
            }
            Err(err) => {
                self.close();
                Err(err.into())
            }
        }
    }

    /// The open connection, ready for a request, or a new one.
    async fn ready(&mut self, net: &Net, to: &Destination) -> Result<Connection, RequestError> {
        if let Some(open) = self.open.as_mut() {
            if !open.sender.is_closed() && open.sender.ready().await.is_ok() {
                return Ok(Connection::Reused);
            }
            self.open = None;
        }
        let (open, phases) = connect(net, to).await?;
        self.open = Some(open);
        Ok(Connection::Opened(phases))
    }
}

/// Opens a connection to `to`, timing each phase.
async fn connect(net: &Net, to: &Destination) -> Result<(Open, Phases), RequestError> {
    let lookup = Instant::now();
    let (ips, dns) = match to.ip {
        Some(ip) => (vec![ip], None),
        None => (net.resolve(&to.host).await?, Some(lookup.elapsed())),
    };
    let connecting = Instant::now();
    let tcp = net.connect_to(&to.host, to.port, ips).await?;
    let _ = tcp.set_nodelay(true);
    let connect = connecting.elapsed();
    if !to.tls {
        let open = handshake(tcp).await?;
        return Ok((
            open,
            Phases {
                dns,
                connect,
                tls: None,
                tls_resumed: false,
            },
        ));
    }
    let shaking = Instant::now();
    let tls_error = |reason: String| RequestError::Tls {
        host: to.host.clone(),
        reason,
    };
    let name = ServerName::try_from(to.host.clone()).map_err(|e| tls_error(e.to_string()))?;
    let stream = TlsConnector::from(net.tls_config())
        .connect(name, tcp)
        .await
        .map_err(|e| tls_error(e.to_string()))?;
    let tls = Some(shaking.elapsed());
    let tls_resumed = stream.get_ref().1.handshake_kind() == Some(rustls::HandshakeKind::Resumed);
    let open = handshake(stream).await?;
    Ok((
        open,
        Phases {
            dns,
            connect,
            tls,
            tls_resumed,
        },
    ))
}

/// hyper's HTTP/1.1 client over `stream`, its connection driven by a task.
async fn handshake<S>(stream: S) -> Result<Open, hyper::Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = http1::Builder::new()
        .max_headers(MAX_HEADER_LINES)
        .handshake(TokioIo::new(stream))
        .await?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Open { sender, driver })
}

/// The plan's request: its method, path, headers and body, with `Host`,
/// `User-Agent` and `Accept` unless the plan's headers set them.
fn request(
    to: &Destination,
    plan: &Plan,
    body: &Bytes,
) -> Result<hyper::Request<Full<Bytes>>, http::Error> {
    let mut request = hyper::Request::builder()
        .method(plan.method.clone())
        .uri(to.path.as_str())
        .body(Full::new(body.clone()))?;
    let headers = request.headers_mut();
    headers.insert(http::header::HOST, to.authority.clone());
    if let Ok(agent) = HeaderValue::from_str(&user_agent()) {
        headers.insert(http::header::USER_AGENT, agent);
    }
    headers.insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
    overlay(headers, &plan.headers);
    Ok(request)
}

/// `extra` over `headers`: a name `extra` has replaces all its values.
fn overlay(headers: &mut HeaderMap, extra: &HeaderMap) {
    for name in extra.keys() {
        headers.remove(name);
    }
    for (name, value) in extra {
        headers.append(name.clone(), value.clone());
    }
}
