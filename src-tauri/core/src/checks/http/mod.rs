//! # The fetcher: HTTP requests a hostile server cannot exploit
//!
//! Every web-edge check talks HTTP through [`fetch`] and [`follow`], never
//! through the client directly, so the same guards hold everywhere:
//!
//! - the body is read chunk by chunk and cut at [`Limits::body_bytes`]
//!   (a `Content-Length` is never trusted), and the cut is reported;
//! - the whole exchange has one deadline ([`Request::timeout`]); a body
//!   still trickling in when it passes is kept as far as it got;
//! - response headers larger than [`Limits::header_bytes`] are refused; the
//!   client itself stops reading a head past its read buffer (about
//!   400 KiB) or past [`MAX_HEADER_LINES`] lines, so no server makes it
//!   hold more in memory than that;
//! - redirects are followed by hand, one recorded hop at a time, with loop
//!   detection and a hop limit ([`follow`]);
//! - evidence lines are redacted ([`redact`]).
//! - a refused certificate does not end the check: the same request goes
//!   over the unverified client and the answer is marked ([`unverified`]).
//!
//! [`Limits::body_bytes`]: crate::checks::net::Limits::body_bytes
//! [`Limits::header_bytes`]: crate::checks::net::Limits::header_bytes
//! [`MAX_HEADER_LINES`]: crate::checks::net::MAX_HEADER_LINES

use std::time::{Duration, Instant};

pub use http::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::net::Net;

#[cfg(test)]
pub(crate) mod bed_tests;
pub mod decode;
pub mod follow;
#[cfg(test)]
mod headers_tests;
pub mod jar;
pub(crate) mod origin;
#[cfg(test)]
mod origin_tests;
pub mod redact;
pub mod unverified;

pub use decode::{decode, DecodeError, Decoded};
pub use follow::{follow, follow_with, Chain, ChainEnd, Follow, Hop};
pub use redact::{redact, redact_url, request_line};
pub use reqwest::Method;

/// The deadline of one request unless the check sets another.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// What compressed encodings Handover accepts (and can decode).
pub const ACCEPT_ENCODING: &str = "gzip, deflate, br";

/// One HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The URL.
    pub url: Url,
    /// Extra headers.
    pub headers: HeaderMap,
    /// The body sent, if any (a webhook probe's `{}`, a login form).
    pub body: Option<Vec<u8>>,
    /// Deadline for the whole exchange, connect to last body byte.
    pub timeout: Duration,
    /// Most body bytes to read; `None` means [`Limits::body_bytes`](crate::checks::net::Limits).
    pub body_limit: Option<usize>,
}

impl Request {
    /// A GET of `url` with the default deadline.
    pub fn get(url: Url) -> Self {
        Self::new(Method::GET, url)
    }

    /// A request of `url` with the default deadline.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            timeout: DEFAULT_TIMEOUT,
            body_limit: None,
        }
    }

    /// Adds a header (another value when the name is there already). A
    /// name or value HTTP cannot carry (a space in the name, a control
    /// character in the value) is left out and logged: project headers
    /// are validated when saved, so only a bug gets here.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(value.as_bytes()),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.append(name, value);
            }
            _ => tracing::warn!(header = name, "a header HTTP cannot carry was left out"),
        }
        self
    }

    /// Sends `body` with the request.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the deadline of the whole exchange.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Reads at most `bytes` of the body (0: headers only).
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    /// The request line for evidence.
    pub fn line(&self) -> String {
        request_line(self.method.as_str(), &self.url)
    }
}

/// A response: status, headers as sent, and the body as far as it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The URL that answered.
    pub url: Url,
    /// The status code.
    pub status: u16,
    /// Headers as sent; repeated headers stay separate values.
    pub headers: HeaderMap,
    /// The body as sent (still compressed), at most the body limit.
    pub body: Vec<u8>,
    /// Whether the body was cut at the limit (or not read at all).
    pub truncated: bool,
    /// Whether the deadline passed while the body was still arriving.
    pub timed_out: bool,
    /// Milliseconds until the response headers arrived.
    pub ttfb_ms: u64,
    /// Milliseconds until the body was read (or given up on).
    pub total_ms: u64,
    /// Why the strict client refused the certificate, when this response
    /// came over the unverified one ([`unverified`]).
    pub past_invalid_certificate: Option<String>,
}

impl Response {
    /// The first value of header `name` (case-insensitive); a value that
    /// is not visible ASCII reads as absent (no header Handover judges may
    /// hold other bytes), though evidence still shows it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of header `name`, e.g. each `Set-Cookie`.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
    }

    /// Whether the status is a redirect that names a `Location`.
    pub fn is_redirect(&self) -> bool {
        matches!(self.status, 301 | 302 | 303 | 307 | 308) && self.header("location").is_some()
    }

    /// The body decoded per `Content-Encoding`, at most `cap` bytes.
    pub fn decoded(&self, cap: usize) -> Result<Decoded, DecodeError> {
        let mut out = decode(&self.body, self.header("content-encoding"), cap)?;
        out.capped |= self.truncated;
        Ok(out)
    }

    /// The body as text (lossy UTF-8), decoded and capped at `cap` bytes.
    pub fn text(&self, cap: usize) -> Result<String, DecodeError> {
        Ok(String::from_utf8_lossy(&self.decoded(cap)?.bytes).into_owned())
    }

    /// The `Content-Type` without parameters, lower-case.
    pub fn mime(&self) -> String {
        self.header("content-type")
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    /// The status line for evidence, e.g. `→ 301 in 12 ms`.
    pub fn status_line(&self) -> String {
        format!("→ {} in {} ms", self.status, self.ttfb_ms)
    }

    /// Evidence: the request line, the status and the headers in `names`
    /// (all headers when `names` is empty), redacted.
    pub fn evidence(&self, method: &str, names: &[&str]) -> Vec<String> {
        let mut lines = vec![request_line(method, &self.url), self.status_line()];
        if let Some(reason) = &self.past_invalid_certificate {
            lines.push(unverified::evidence_line(reason));
        }
        lines.extend(
            self.headers
                .iter()
                .filter(|(n, _)| {
                    names.is_empty() || names.iter().any(|w| n.as_str().eq_ignore_ascii_case(w))
                })
                .take(40)
                .map(|(n, v)| redact(n.as_str(), &String::from_utf8_lossy(v.as_bytes()))),
        );
        lines
    }
}

/// Why a request got no response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL cannot be fetched (not http or https, no host).
    #[error("{url} cannot be fetched: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server could not be reached (DNS, connection, TLS).
    #[error("{url} could not be reached: {reason}")]
    Unreachable {
        /// The URL.
        url: String,
        /// The host answered with a refusal: nothing listens on the port.
        refused: bool,
        /// The underlying error, as the client described it.
        reason: String,
    },
    /// No response headers arrived before the deadline.
    #[error("{url} sent no response within {after_ms} ms")]
    Timeout {
        /// The URL.
        url: String,
        /// The deadline, ms.
        after_ms: u64,
    },
    /// The response headers exceeded the header limit: more bytes than
    /// [`Limits::header_bytes`](crate::checks::net::Limits) or more lines
    /// than [`MAX_HEADER_LINES`](crate::checks::net::MAX_HEADER_LINES).
    #[error(
        "{url} sent more headers than Handover reads (over {limit} bytes or {} lines)",
        crate::checks::net::MAX_HEADER_LINES
    )]
    HeadersTooLarge {
        /// The URL.
        url: String,
        /// The limit, bytes.
        limit: usize,
    },
    /// A public product led to a private address; not followed.
    #[error("{url} leads to the private address {ip}; Handover does not follow a public product into private networks")]
    PrivateAddress {
        /// The URL.
        url: String,
        /// The address it resolved to.
        ip: std::net::IpAddr,
    },
    /// The server broke the protocol.
    #[error("{url} answered with something that is not valid HTTP: {reason}")]
    Protocol {
        /// The URL.
        url: String,
        /// The underlying error.
        reason: String,
    },
}

/// Sends `request` through the run's client and reads the response within
/// the request's deadline and the run's limits.
pub async fn fetch(net: &Net, request: Request) -> Result<Response, FetchError> {
    let url_text = redact_url(&request.url);
    if !matches!(request.url.scheme(), "http" | "https") || request.url.host_str().is_none() {
        return Err(FetchError::BadUrl {
            url: url_text,
            reason: "only http and https URLs with a host are fetched".into(),
        });
    }
    if let Some(ip) = net
        .private_address(request.url.host_str().unwrap_or_default())
        .await
    {
        return Err(FetchError::PrivateAddress { url: url_text, ip });
    }
    let limits = *net.limits();
    let body_limit = request.body_limit.unwrap_or(limits.body_bytes);
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + request.timeout;
    let after_ms = request.timeout.as_millis() as u64;
    // Past a refused certificate too, marked (see [`unverified`]); under
    // the origin's connection budget (see [`origin`]).
    let (mut resp, past_invalid_certificate, lease) =
        match origin::send(net, &request, deadline).await {
            Err(_) => {
                return Err(FetchError::Timeout {
                    url: url_text,
                    after_ms,
                })
            }
            Ok(Err(err)) => return Err(classify(&url_text, after_ms, limits.header_bytes, &err)),
            Ok(Ok(sent)) => sent,
        };
    // Times count from when the request got its connection, not from
    // when it queued for one behind other checks' requests.
    let started = lease.granted().into_std().max(started);
    let ttfb_ms = started.elapsed().as_millis() as u64;
    let headers = std::mem::take(resp.headers_mut());
    let header_bytes: usize = headers
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > limits.header_bytes {
        return Err(FetchError::HeadersTooLarge {
            url: url_text,
            limit: limits.header_bytes,
        });
    }
    let mut response = Response {
        url: request.url.clone(),
        status: resp.status().as_u16(),
        headers,
        body: Vec::new(),
        truncated: false,
        timed_out: false,
        ttfb_ms,
        total_ms: ttfb_ms,
        past_invalid_certificate,
    };
    let bodiless = request.method == Method::HEAD || matches!(response.status, 204 | 304);
    // Whether the body was read to its end, so the connection can carry
    // the next request.
    let mut finished = bodiless;
    if body_limit == 0 {
        response.truncated = !bodiless && resp.content_length() != Some(0);
        if !bodiless {
            finished = drain(&mut resp, deadline).await;
        }
    } else if !bodiless {
        loop {
            match tokio::time::timeout_at(deadline, resp.chunk()).await {
                Err(_) => {
                    response.timed_out = true;
                    response.truncated = true;
                    break;
                }
                Ok(Ok(Some(chunk))) => {
                    let room = body_limit - response.body.len();
                    if chunk.len() > room {
                        response.body.extend_from_slice(&chunk[..room]);
                        response.truncated = true;
                        break;
                    }
                    response.body.extend_from_slice(&chunk);
                }
                Ok(Ok(None)) => {
                    finished = true;
                    break;
                }
                // A body cut off mid-way: keep what arrived.
                Ok(Err(_)) => {
                    response.truncated = true;
                    break;
                }
            }
        }
    }
    // Dropping `resp` here closes the connection on anything left unread.
    let closes = response
        .header_all("connection")
        .any(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case("close")));
    drop(resp);
    if closes || !finished {
        lease.closed();
    }
    drop(lease);
    response.total_ms = started.elapsed().as_millis() as u64;
    if let Some(reason) = &response.past_invalid_certificate {
        unverified::record(&response.url, reason);
    }
    Ok(response)
}

/// Most body bytes read and thrown away after a headers-only request, so
/// its connection can be reused (a longer body closes it instead).
const DRAIN_BYTES: usize = 64 * 1024;

/// Reads and discards a body the check does not need, up to
/// [`DRAIN_BYTES`] and at most a second: whether it reached the end.
async fn drain(resp: &mut reqwest::Response, deadline: tokio::time::Instant) -> bool {
    if resp
        .content_length()
        .is_some_and(|n| n as usize > DRAIN_BYTES)
    {
        return false;
    }
    let until = deadline.min(tokio::time::Instant::now() + Duration::from_secs(1));
    let mut read = 0;
    loop {
        match tokio::time::timeout_at(until, resp.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                read += chunk.len();
                if read > DRAIN_BYTES {
                    return false;
                }
            }
            Ok(Ok(None)) => return true,
            _ => return false,
        }
    }
}

/// Whether somewhere down the error's causes the host refused the connection.
fn refused(err: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(err);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return true;
            }
        }
        if let Some(crate::checks::net::NetError::Connect { refused: true, .. }) =
            cause.downcast_ref::<crate::checks::net::NetError>()
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// Turns a client error into a founder-readable one.
fn classify(url: &str, after_ms: u64, header_limit: usize, err: &reqwest::Error) -> FetchError {
    let mut reason = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !reason.contains(&text) {
            reason = format!("{reason}: {text}");
        }
        source = cause.source();
    }
    let url = url.to_string();
    if err.is_timeout() {
        FetchError::Timeout { url, after_ms }
    } else if err.is_connect() {
        FetchError::Unreachable {
            url,
            refused: refused(err),
            reason,
        }
    } else if err.is_builder() {
        FetchError::BadUrl { url, reason }
    } else if reason.contains("too large") {
        FetchError::HeadersTooLarge {
            url,
            limit: header_limit,
        }
    } else {
        FetchError::Protocol { url, reason }
    }
}
