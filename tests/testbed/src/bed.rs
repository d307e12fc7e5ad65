//! [`TestBed`]: a healthy product on loopback — `example.test` and its
//! subdomains in DNS, each served over HTTPS with a certificate from the
//! bed's CA, and plain HTTP redirecting to HTTPS — with a builder to break
//! any part of it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::dns::{DnsServer, Zone};
use crate::http::{Handler, Response, Routes};
use crate::latency::{DelayedDns, LatencyRelay};
use crate::pki::{CertKind, Pki};
use crate::server::{to_https, HttpServer, HttpsServer, Site, TlsVersions};
use crate::BedError;

/// The bed's apex.
pub const APEX: &str = "example.test";
/// The bed's subdomain labels.
pub const SUBDOMAINS: [&str; 4] = ["app", "api", "docs", "status"];
/// Where every name of the bed points.
pub const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;
/// The issuer the bed's CAA record names.
pub const CAA_ISSUER: &str = "letsencrypt.org";

/// A running bed; everything stops when it is dropped.
pub struct TestBed {
    /// The CA (issue more certificates with it).
    pub pki: Pki,
    /// The DNS server for the bed's zones.
    pub dns: DnsServer,
    /// The HTTPS server for every host.
    pub https: HttpsServer,
    /// The plain HTTP server for every host.
    pub http: HttpServer,
    hosts: Vec<String>,
    latency: Option<Latency>,
}

/// The relays of a bed started with [`TestBedBuilder::latency`].
struct Latency {
    rtt: Duration,
    dns: DelayedDns,
    https: LatencyRelay,
    http: LatencyRelay,
}

impl TestBed {
    /// The healthy bed.
    pub async fn start() -> Result<Self, BedError> {
        Self::builder().start().await
    }

    /// A bed to break before starting.
    pub fn builder() -> TestBedBuilder {
        TestBedBuilder::default()
    }

    /// The apex, `example.test`.
    pub fn apex(&self) -> &str {
        APEX
    }

    /// The apex, then `app.`, `api.`, `docs.`, `status.` (the order a
    /// check target lists them).
    pub fn hosts(&self) -> Vec<String> {
        self.hosts.clone()
    }

    /// The DNS server to resolve through (`127.0.0.1:port`, UDP and TCP);
    /// with [`TestBedBuilder::latency`], the delaying front of it.
    pub fn dns_server(&self) -> SocketAddr {
        match &self.latency {
            Some(latency) => latency.dns.addr(),
            None => self.dns.addr(),
        }
    }

    /// The CA certificate to trust, PEM.
    pub fn ca_pem(&self) -> String {
        self.pki.ca_pem().to_string()
    }

    /// The HTTPS port of every host; with [`TestBedBuilder::latency`], the
    /// delaying relay's.
    pub fn https_port(&self) -> u16 {
        match &self.latency {
            Some(latency) => latency.https.port(),
            None => self.https.port(),
        }
    }

    /// The HTTP port of every host; with [`TestBedBuilder::latency`], the
    /// delaying relay's.
    pub fn http_port(&self) -> u16 {
        match &self.latency {
            Some(latency) => latency.http.port(),
            None => self.http.port(),
        }
    }

    /// The round trip time added to DNS, HTTPS and HTTP, if any.
    pub fn latency(&self) -> Option<Duration> {
        self.latency.as_ref().map(|l| l.rtt)
    }
}

/// Parts of a [`TestBed`] to change before it starts.
#[derive(Default)]
pub struct TestBedBuilder {
    zone_edits: Vec<Box<dyn FnOnce(Zone) -> Zone + Send>>,
    extra_zones: Vec<Zone>,
    without_caa: bool,
    certs: HashMap<String, CertKind>,
    sites: HashMap<String, Handler>,
    http_sites: HashMap<String, Handler>,
    versions: TlsVersions,
    latency: Option<Duration>,
}

impl TestBedBuilder {
    /// Edits the `example.test` zone after the healthy records are in.
    pub fn zone(mut self, edit: impl FnOnce(Zone) -> Zone + Send + 'static) -> Self {
        self.zone_edits.push(Box::new(edit));
        self
    }

    /// Serves another zone from the same DNS server.
    pub fn extra_zone(mut self, zone: Zone) -> Self {
        self.extra_zones.push(zone);
        self
    }

    /// Leaves out the CAA record.
    pub fn without_caa(mut self) -> Self {
        self.without_caa = true;
        self
    }

    /// Presents a certificate of `kind` for `host` (full name).
    pub fn cert(mut self, host: &str, kind: CertKind) -> Self {
        self.certs.insert(host.to_ascii_lowercase(), kind);
        self
    }

    /// Answers HTTPS requests for `host` with `handler`.
    pub fn site(mut self, host: &str, handler: Handler) -> Self {
        self.sites.insert(host.to_ascii_lowercase(), handler);
        self
    }

    /// Answers plain HTTP requests for `host` with `handler` (instead of
    /// the redirect to HTTPS).
    pub fn http_site(mut self, host: &str, handler: Handler) -> Self {
        self.http_sites.insert(host.to_ascii_lowercase(), handler);
        self
    }

    /// Accepts only these TLS versions.
    pub fn tls_versions(mut self, versions: TlsVersions) -> Self {
        self.versions = versions;
        self
    }

    /// Adds `rtt` to every round trip: DNS answers are delayed and a
    /// delaying relay stands in front of the HTTPS and HTTP servers (half of
    /// `rtt` each way, so TCP and TLS handshakes and every request pay it).
    /// [`TestBed::dns_server`], [`TestBed::https_port`] and
    /// [`TestBed::http_port`] then point at the fronts, and plain HTTP
    /// redirects to the relayed HTTPS port; [`TestBed::dns`],
    /// [`TestBed::https`] and [`TestBed::http`] stay the servers behind them.
    pub fn latency(mut self, rtt: Duration) -> Self {
        self.latency = Some(rtt);
        self
    }

    /// Starts DNS, HTTPS and HTTP.
    pub async fn start(self) -> Result<TestBed, BedError> {
        let hosts: Vec<String> = std::iter::once(APEX.to_string())
            .chain(SUBDOMAINS.iter().map(|s| format!("{s}.{APEX}")))
            .collect();
        let mut zone = healthy_zone(!self.without_caa);
        for edit in self.zone_edits {
            zone = edit(zone);
        }
        let mut zones = vec![zone];
        zones.extend(self.extra_zones);
        let dns = DnsServer::start(zones).await?;

        let pki = Pki::new()?;
        let mut sites = Vec::new();
        for host in &hosts {
            let kind = self.certs.get(host).copied().unwrap_or(CertKind::Valid);
            let handler = self
                .sites
                .get(host)
                .cloned()
                .unwrap_or_else(|| default_page(host));
            sites.push(Site::new(host, handler).cert(pki.issue(&[host], kind)?));
        }
        for (host, handler) in &self.sites {
            if !hosts.contains(host) {
                let kind = self.certs.get(host).copied().unwrap_or(CertKind::Valid);
                sites.push(Site::new(host, handler.clone()).cert(pki.issue(&[host], kind)?));
            }
        }
        let https = HttpsServer::start_with(sites, self.versions).await?;
        let https_relay = match self.latency {
            Some(rtt) => Some(LatencyRelay::start(https.addr(), rtt).await?),
            None => None,
        };
        let https_port = https_relay
            .as_ref()
            .map_or_else(|| https.port(), LatencyRelay::port);
        let http_sites = hosts
            .iter()
            .map(|host| {
                let handler = self
                    .http_sites
                    .get(host)
                    .cloned()
                    .unwrap_or_else(|| to_https(https_port));
                Site::new(host, handler)
            })
            .collect();
        let http = HttpServer::start(http_sites).await?;
        let latency = match (self.latency, https_relay) {
            (Some(rtt), Some(https_relay)) => Some(Latency {
                rtt,
                dns: DelayedDns::start(dns.addr(), rtt).await?,
                https: https_relay,
                http: LatencyRelay::start(loopback(http.port()), rtt).await?,
            }),
            _ => None,
        };
        Ok(TestBed {
            pki,
            dns,
            https,
            http,
            hosts,
            latency,
        })
    }
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from((LOOPBACK, port))
}

/// The healthy zone: SOA, two name servers, CAA (optional), the apex,
/// `app`, `api`, `docs` as A records and `status` as a CNAME to `app`.
pub fn healthy_zone(with_caa: bool) -> Zone {
    let mut zone = Zone::new(APEX)
        .ns("@", "ns1")
        .ns("@", "ns2")
        .a("ns1", LOOPBACK)
        .a("ns2", LOOPBACK)
        .a("@", LOOPBACK)
        .a("app", LOOPBACK)
        .a("api", LOOPBACK)
        .a("docs", LOOPBACK)
        .cname("status", "app");
    if with_caa {
        zone = zone.caa_issue("@", CAA_ISSUER);
    }
    zone
}

/// A small HTML home page at `/`, 404 elsewhere.
pub fn default_page(host: &str) -> Handler {
    let page = format!(
        "<!doctype html><html><head><title>{host}</title></head><body><h1>{host}</h1></body></html>"
    );
    Routes::new()
        .route("/", Response::html(&page))
        .into_handler()
}
