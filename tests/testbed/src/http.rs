//! What the test bed's web servers answer: a parsed [`Request`], a
//! [`Response`] built fluently (including hostile ways of sending it), a
//! per-host [`Handler`], and [`Routes`] for the common path → response case.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// Answers requests for one host.
pub type Handler = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// Wraps a closure as a [`Handler`].
pub fn handler(f: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Handler {
    Arc::new(f)
}

/// One request as the server read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `https` or `http`.
    pub scheme: &'static str,
    /// The host it was for (Host header without port, else the SNI name).
    pub host: String,
    /// The SNI name the client sent, for HTTPS.
    pub sni: Option<String>,
    /// Method, e.g. `GET`.
    pub method: String,
    /// Path and query, e.g. `/login?next=/`.
    pub target: String,
    /// Headers in order (names as sent).
    pub headers: Vec<(String, String)>,
    /// The body (only when `Content-Length` announced one, at most 1 MiB).
    pub body: Vec<u8>,
}

impl Request {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("/")
    }
}

/// How a response goes out on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Status line, headers and body; the connection stays open for the
    /// next request unless either side asks to close it.
    Normal,
    /// Nothing is ever sent; the connection is held open.
    Silence,
    /// The head goes out one byte per interval (the body never follows).
    SlowHeaders(Duration),
    /// The head, then body bytes forever (no length, no end).
    EndlessBody,
    /// A header line of this many bytes before the others.
    HugeHeader(usize),
    /// The head, then the body line by line with this pause before each
    /// line that is not blank (so each server-sent event arrives late); no
    /// length, the connection closes at the end.
    Paced(Duration),
}

/// A response, built fluently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers in order; `Content-Length` is added when absent, and
    /// `Connection: close` when the server closes after this response.
    pub headers: Vec<(String, String)>,
    /// Body bytes as sent (already compressed when `Content-Encoding` says so).
    pub body: Vec<u8>,
    /// Wait before sending anything.
    pub delay: Duration,
    /// How it is sent.
    pub delivery: Delivery,
}

impl Response {
    /// An empty response with `status`.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            delivery: Delivery::Normal,
        }
    }

    /// `200 OK` with an HTML body.
    pub fn html(body: &str) -> Self {
        Self::new(200)
            .header("Content-Type", "text/html; charset=utf-8")
            .body(body)
    }

    /// `200 OK` with a plain-text body.
    pub fn text(body: &str) -> Self {
        Self::new(200)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body(body)
    }

    /// `404 Not Found`.
    pub fn not_found() -> Self {
        Self::new(404)
            .header("Content-Type", "text/plain; charset=utf-8")
            .body("not found")
    }

    /// A redirect (`status` 301, 302, 307 or 308) to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self::new(status).header("Location", location)
    }

    /// Adds a header (repeat for `Set-Cookie` and friends).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl AsRef<[u8]>) -> Self {
        self.body = body.as_ref().to_vec();
        self
    }

    /// Compresses the body with gzip and says so in `Content-Encoding`.
    pub fn gzip(mut self) -> Self {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = enc.write_all(&self.body);
        self.body = enc.finish().unwrap_or_default();
        self.header("Content-Encoding", "gzip")
    }

    /// Compresses the body with Brotli and says so in `Content-Encoding`.
    pub fn brotli(mut self) -> Self {
        let mut out = Vec::new();
        {
            let mut enc = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            let _ = enc.write_all(&self.body);
        }
        self.body = out;
        self.header("Content-Encoding", "br")
    }

    /// Waits `delay` before sending anything.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends it in a hostile way.
    pub fn delivery(mut self, delivery: Delivery) -> Self {
        self.delivery = delivery;
        self
    }

    /// The status line, headers and blank line.
    /// Whether a body goes out with this status at all: never with 1xx,
    /// 204 and 304 (RFC 9110 §6.4.1), whatever the handler set.
    pub fn has_body(&self) -> bool {
        !matches!(self.status, 100..=199 | 204 | 304)
    }

    /// Whether the connection may carry another request after this
    /// response: a normal delivery that does not ask to close it.
    pub fn keeps_alive(&self) -> bool {
        self.delivery == Delivery::Normal
            && !self.headers.iter().any(|(k, v)| {
                k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close")
            })
    }

    /// The status line and headers as sent; `Connection: close` unless
    /// `keep_alive` (the server then reads the next request).
    pub fn head(&self, head_request: bool, keep_alive: bool) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        if let Delivery::HugeHeader(bytes) = self.delivery {
            head.push_str("X-Huge: ");
            head.push_str(&"a".repeat(bytes));
            head.push_str("\r\n");
        }
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let has = |name: &str| {
            self.headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case(name))
        };
        let unbounded = matches!(self.delivery, Delivery::EndlessBody | Delivery::Paced(_));
        if !unbounded && self.has_body() && !has("content-length") {
            let len = if head_request && self.body.is_empty() {
                0
            } else {
                self.body.len()
            };
            head.push_str(&format!("Content-Length: {len}\r\n"));
        }
        if !has("connection") && !keep_alive {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        head.into_bytes()
    }
}

/// A path → response table with a fallback (404 unless set).
#[derive(Debug, Clone)]
pub struct Routes {
    routes: BTreeMap<String, Response>,
    fallback: Response,
}

impl Default for Routes {
    fn default() -> Self {
        Self::new()
    }
}

impl Routes {
    /// No routes; everything is 404.
    pub fn new() -> Self {
        Self {
            routes: BTreeMap::new(),
            fallback: Response::not_found(),
        }
    }

    /// Answers `path` (without query) with `response`.
    pub fn route(mut self, path: &str, response: Response) -> Self {
        self.routes.insert(path.to_string(), response);
        self
    }

    /// Answers every other path with `response`.
    pub fn fallback(mut self, response: Response) -> Self {
        self.fallback = response;
        self
    }

    /// The handler serving these routes.
    pub fn into_handler(self) -> Handler {
        Arc::new(move |req: &Request| {
            self.routes
                .get(req.path())
                .unwrap_or(&self.fallback)
                .clone()
        })
    }
}

/// The reason phrase for common status codes.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        421 => "Misdirected Request",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Parses a request head (up to the blank line); `None` if malformed.
pub(crate) fn parse_head(head: &str, scheme: &'static str, sni: Option<String>) -> Option<Request> {
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let host_header = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map(|(_, v)| host_without_port(v));
    let host = host_header
        .or_else(|| sni.clone())
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some(Request {
        scheme,
        host,
        sni,
        method,
        target,
        headers,
        body: Vec::new(),
    })
}

fn host_without_port(value: &str) -> String {
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest).to_string();
    }
    value.split(':').next().unwrap_or(value).to_string()
}
