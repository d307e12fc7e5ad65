//! The network context every live check shares: one DNS resolver (the
//! system's, or the server a project names), one TLS trust store, the limits
//! that keep hostile servers from holding a check hostage, and an HTTP client
//! built from all of them.
//!
//! Trust: Mozilla's root store as compiled into `webpki-roots` (the same on
//! every platform, the store Firefox ships), plus the project's extra CA
//! certificate when it names one. The OS store is not consulted, so a finding
//! means the same on a founder's laptop and in CI.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::TokioResolver;
use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use tokio::net::TcpStream;

use super::CheckTarget;

mod error;
pub mod permissive;
mod private;

pub use error::NetError;
pub use private::is_private;

/// How far a check goes with a server before giving up on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Time to open one TCP connection (5 s).
    pub connect: Duration,
    /// Most bytes of response headers read (100 KiB, curl's cap).
    pub header_bytes: usize,
    /// Most bytes of a response body read (5 MiB).
    pub body_bytes: usize,
    /// Most redirects followed by hand (10, reqwest's default).
    pub redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(5),
            header_bytes: 100 * 1024,
            body_bytes: 5 * 1024 * 1024,
            redirects: 10,
        }
    }
}

struct Inner {
    limits: Limits,
    /// The run's TLS handshakes, one per host, port and offer.
    inspections: crate::checks::tls::probe::Inspections,
    /// The run's walks of each host's `/`, shared by the header checks.
    host_pages: crate::checks::web::page::HostPages,
    /// Each origin's connection budget ([`crate::checks::http::origin`]).
    origins: crate::checks::http::origin::Origins,
    /// The project names its own DNS server or CA: an internal setup, whose
    /// hosts may live on private addresses.
    internal: bool,
    resolver: TokioResolver,
    tls: Arc<ClientConfig>,
    roots: Arc<RootCertStore>,
    http: std::sync::OnceLock<reqwest::Client>,
    http_unverified: std::sync::OnceLock<reqwest::Client>,
}

/// The shared network context of one run: cheap to clone.
#[derive(Clone)]
pub struct Net {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Net")
            .field("limits", &self.inner.limits)
            .field("roots", &self.inner.roots.len())
            .finish_non_exhaustive()
    }
}

/// The `ring` crypto provider, the only one Handover builds with.
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Mozilla's roots plus the extra CA certificates in `extra_pem`, if any.
pub fn root_store(extra_pem: Option<&str>) -> Result<RootCertStore, NetError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(pem) = extra_pem {
        let mut added = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|e| NetError::ExtraCa(e.to_string()))?;
            roots
                .add(cert)
                .map_err(|e| NetError::ExtraCa(e.to_string()))?;
            added += 1;
        }
        if added == 0 {
            return Err(NetError::ExtraCa(
                "the file holds no PEM certificate".to_string(),
            ));
        }
    }
    Ok(roots)
}

impl Net {
    /// Whether two handles share one context (one resolver, one client).
    pub fn same_context(&self, other: &Net) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Builds the context for `target`: its DNS server (UDP and TCP) when it
    /// names one, else the system's resolver; Mozilla's roots plus its extra
    /// CA. Checks get theirs from [`CheckTarget::net`], built once per run.
    pub fn new(target: &CheckTarget) -> Result<Net, NetError> {
        Self::with_limits(target, Limits::default())
    }

    /// Like [`Net::new`], with other limits (tests use short ones).
    pub fn with_limits(target: &CheckTarget, limits: Limits) -> Result<Net, NetError> {
        let resolver = build_resolver(target.dns_server)?;
        let roots = Arc::new(root_store(target.extra_ca_pem.as_deref())?);
        let mut tls = ClientConfig::builder_with_provider(crypto_provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| NetError::TlsSetup(e.to_string()))?
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let net = Net {
            inner: Arc::new(Inner {
                limits,
                inspections: Default::default(),
                host_pages: Default::default(),
                origins: Default::default(),
                internal: target.dns_server.is_some() || target.extra_ca_pem.is_some(),
                resolver,
                tls: Arc::new(tls),
                roots,
                http: std::sync::OnceLock::new(),
                http_unverified: std::sync::OnceLock::new(),
            }),
        };
        let client = net.build_http_client((*net.inner.tls).clone())?;
        let _ = net.inner.http.set(client);
        let unverified = permissive::accept_any_config(rustls::DEFAULT_VERSIONS)
            .map_err(|e| NetError::TlsSetup(e.to_string()))?;
        let client = net.build_http_client(unverified)?;
        let _ = net.inner.http_unverified.set(client);
        Ok(net)
    }

    /// The run's shared TLS inspections ([`crate::checks::tls::probe::shared`]).
    pub(crate) fn inspections(&self) -> &crate::checks::tls::probe::Inspections {
        &self.inner.inspections
    }

    /// The run's shared walks of each host's `/` ([`crate::checks::web::page::inspect`]).
    pub(crate) fn host_pages(&self) -> &crate::checks::web::page::HostPages {
        &self.inner.host_pages
    }

    /// The run's origins and their connection budgets.
    pub(crate) fn origins(&self) -> &crate::checks::http::origin::Origins {
        &self.inner.origins
    }

    /// The limits every check honours.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The DNS resolver, for record lookups beyond addresses.
    pub fn resolver(&self) -> &TokioResolver {
        &self.inner.resolver
    }

    /// The trusted roots (Mozilla's plus the extra CA).
    pub fn roots(&self) -> Arc<RootCertStore> {
        self.inner.roots.clone()
    }

    /// The addresses of `host` (A and AAAA, CNAMEs followed); an IP literal
    /// is returned as is.
    pub async fn resolve(&self, host: &str) -> Result<Vec<IpAddr>, NetError> {
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
            return Ok(vec![ip]);
        }
        let fqdn = fqdn(host);
        let lookup = self
            .inner
            .resolver
            .lookup_ip(fqdn.as_str())
            .await
            .map_err(|e| NetError::from_dns(host, &e))?;
        let ips: Vec<IpAddr> = lookup.iter().collect();
        if ips.is_empty() {
            return Err(NetError::NoAddress {
                host: host.to_string(),
            });
        }
        Ok(ips)
    }

    /// The first private address `host` resolves to — loopback, link-local
    /// (169.254.0.0/16, fe80::/10), RFC 1918, unique-local (fc00::/7),
    /// CGNAT (100.64.0.0/10) or unspecified — when the run is not internal
    /// (no DNS server or CA of its own). A public product's page must not
    /// lead the checker into the machine's own networks; an internal one may.
    pub async fn private_address(&self, host: &str) -> Option<IpAddr> {
        if self.inner.internal {
            return None;
        }
        self.resolve(host)
            .await
            .ok()?
            .into_iter()
            .find(|ip| is_private(*ip))
    }

    /// Resolves `host` and connects to `port`, trying each address in turn,
    /// each within the connect limit.
    pub async fn connect(&self, host: &str, port: u16) -> Result<TcpStream, NetError> {
        let ips = self.resolve(host).await?;
        self.connect_to(host, port, ips).await
    }

    /// Connects to `port` on each of `ips` (the addresses of `host`, already
    /// resolved) in turn, each within the connect limit.
    pub async fn connect_to(
        &self,
        host: &str,
        port: u16,
        ips: Vec<std::net::IpAddr>,
    ) -> Result<TcpStream, NetError> {
        let limit = self.inner.limits.connect;
        let mut last = None;
        for ip in ips {
            match tokio::time::timeout(limit, TcpStream::connect(SocketAddr::new(ip, port))).await {
                Ok(Ok(stream)) => return Ok(stream),
                Ok(Err(err)) => {
                    last = Some(NetError::Connect {
                        host: host.to_string(),
                        port,
                        refused: err.kind() == std::io::ErrorKind::ConnectionRefused,
                        reason: err.to_string(),
                    })
                }
                Err(_) => {
                    last = Some(NetError::ConnectTimeout {
                        host: host.to_string(),
                        port,
                        after: limit,
                    })
                }
            }
        }
        Err(last.unwrap_or_else(|| NetError::NoAddress {
            host: host.to_string(),
        }))
    }

    /// The verifying TLS configuration (roots + extra CA, ALPN `http/1.1`).
    pub fn tls_config(&self) -> Arc<ClientConfig> {
        self.inner.tls.clone()
    }

    /// The HTTP client for the web-edge checks (built once, cheap to clone):
    /// follows no redirects (checks follow them by hand, up to
    /// [`Limits::redirects`]), never decompresses (bodies arrive as sent),
    /// speaks HTTP/1.1, resolves through [`Net::resolve`], trusts
    /// [`Net::tls_config`], ignores proxy settings and says who it is
    /// (`Handover/<version> (launch audit)`), and keeps connections alive
    /// for reuse, within each origin's budget
    /// ([`crate::checks::http::origin`]). Body size limits are the caller's
    /// to enforce while streaming ([`Net::limits`]).
    pub fn http_client(&self) -> reqwest::Client {
        self.inner
            .http
            .get()
            .cloned()
            .expect("Net::new always builds the HTTP client")
    }

    /// The same client as [`Net::http_client`] (same resolver, limits,
    /// headers and protocol versions) except that it accepts any
    /// certificate, checking only the handshake's signatures: for looking
    /// past a certificate the strict client refused, so one run still finds
    /// what is behind it. The TLS checks report the certificate itself.
    pub fn unverified_http_client(&self) -> reqwest::Client {
        self.inner
            .http_unverified
            .get()
            .cloned()
            .expect("Net::new always builds the unverified HTTP client")
    }

    /// A client for load probes: the same resolver, trust, protocol and
    /// identity as [`Net::http_client`], but outside the origin budget and
    /// with its own kept-alive connections, so each user of a rate-limit
    /// burst is one connection; the latency probe opens its own
    /// ([`crate::checks::latency::conn`]) to time connection phases.
    pub fn load_client(&self) -> Result<reqwest::Client, NetError> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.inner.limits.connect)
            .dns_resolver(HostResolver {
                net: Arc::downgrade(&self.inner),
            })
            .tls_backend_preconfigured((*self.inner.tls).clone())
            .no_proxy()
            .http1_only()
            .http1_max_headers(MAX_HEADER_LINES)
            .pool_max_idle_per_host(1)
            .user_agent(user_agent())
            .build()
            .map_err(|e| NetError::HttpSetup(e.to_string()))
    }

    fn build_http_client(&self, tls: ClientConfig) -> Result<reqwest::Client, NetError> {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.inner.limits.connect)
            .dns_resolver(HostResolver {
                net: Arc::downgrade(&self.inner),
            })
            .tls_backend_preconfigured(tls)
            .no_proxy()
            .http1_only()
            .http1_max_headers(MAX_HEADER_LINES)
            .pool_max_idle_per_host(crate::checks::http::origin::PER_ORIGIN as usize)
            .pool_idle_timeout(Duration::from_secs(30))
            .connector_layer(crate::checks::http::origin::Budget)
            .user_agent(user_agent())
            .build()
            .map_err(|e| NetError::HttpSetup(e.to_string()))
    }
}

/// Most header lines a response may have: the client stops reading past
/// them, as it stops past its read buffer (about 400 KiB) on long lines.
pub const MAX_HEADER_LINES: usize = 200;

/// `Handover/<version> (launch audit)`.
pub fn user_agent() -> String {
    format!("Handover/{} (launch audit)", env!("CARGO_PKG_VERSION"))
}

/// `host` with a trailing dot, so no search domain is ever appended.
pub fn fqdn(host: &str) -> String {
    if host.ends_with('.') {
        host.to_string()
    } else {
        format!("{host}.")
    }
}

/// A resolver that asks only the server at `addr` (UDP, then TCP), without
/// caching, one try of `timeout`: for probing a name server directly.
pub fn resolver_at(addr: SocketAddr, timeout: Duration) -> Result<TokioResolver, NetError> {
    let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
    for conn in &mut ns.connections {
        conn.port = addr.port();
    }
    let config = ResolverConfig::from_name_servers(vec![ns]);
    let mut builder = TokioResolver::builder_with_config(config, TokioRuntimeProvider::default());
    let opts = builder.options_mut();
    opts.timeout = timeout;
    opts.attempts = 1;
    opts.ndots = 0;
    opts.cache_size = 0;
    opts.recursion_desired = false;
    builder
        .build()
        .map_err(|e| NetError::ResolverSetup(e.to_string()))
}

fn build_resolver(server: Option<SocketAddr>) -> Result<TokioResolver, NetError> {
    let provider = TokioRuntimeProvider::default();
    let mut builder = match server {
        Some(addr) => {
            let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
            for conn in &mut ns.connections {
                conn.port = addr.port();
            }
            let config = ResolverConfig::from_name_servers(vec![ns]);
            TokioResolver::builder_with_config(config, provider)
        }
        None => {
            TokioResolver::builder(provider).map_err(|e| NetError::ResolverSetup(e.to_string()))?
        }
    };
    let opts: &mut ResolverOpts = builder.options_mut();
    opts.timeout = Duration::from_secs(2);
    opts.attempts = 2;
    opts.ndots = 0;
    opts.preserve_intermediates = true;
    opts.try_tcp_on_error = true;
    builder
        .build()
        .map_err(|e| NetError::ResolverSetup(e.to_string()))
}

/// Resolves hosts for reqwest through the run's [`Net`]; weak, because the
/// `Net` owns the client that owns this resolver.
#[derive(Clone)]
struct HostResolver {
    net: std::sync::Weak<Inner>,
}

impl reqwest::dns::Resolve for HostResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let net = self.net.upgrade().map(|inner| Net { inner });
        let host = name.as_str().to_string();
        Box::pin(async move {
            let net = net.ok_or_else(|| NetError::Dns {
                host: host.clone(),
                reason: "the run has ended".to_string(),
            })?;
            let ips = net.resolve(&host).await?;
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
pub(crate) mod bed;
