//! [`TestBed`]: a healthy product on loopback — `example.test` and its
//! subdomains in DNS, each served over HTTPS with a certificate from the
//! bed's CA, and plain HTTP redirecting to HTTPS — with a builder to break
//! any part of it.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};

use crate::dns::{DnsServer, Zone};
use crate::http::{Handler, Response, Routes};
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

    /// The DNS server to resolve through (`127.0.0.1:port`, UDP and TCP).
    pub fn dns_server(&self) -> SocketAddr {
        self.dns.addr()
    }

    /// The CA certificate to trust, PEM.
    pub fn ca_pem(&self) -> String {
        self.pki.ca_pem().to_string()
    }

    /// The HTTPS port of every host.
    pub fn https_port(&self) -> u16 {
        self.https.port()
    }

    /// The HTTP port of every host.
    pub fn http_port(&self) -> u16 {
        self.http.port()
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
        let http_sites = hosts
            .iter()
            .map(|host| {
                let handler = self
                    .http_sites
                    .get(host)
                    .cloned()
                    .unwrap_or_else(|| to_https(https.port()));
                Site::new(host, handler)
            })
            .collect();
        let http = HttpServer::start(http_sites).await?;
        Ok(TestBed {
            pki,
            dns,
            https,
            http,
            hosts,
        })
    }
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
