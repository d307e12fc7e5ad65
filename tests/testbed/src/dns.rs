//! An authoritative DNS server on loopback: in-memory zones built with
//! [`Zone`], served over UDP and TCP on one random port by hickory-server;
//! and a [`DnsServer::silent`] one that never answers.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::rr::rdata::{A, AAAA, CAA, CNAME, MX, NS, SOA, TXT};
use hickory_proto::rr::{LowerName, Name, RData, Record};
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneHandler, ZoneType};
use hickory_server::Server;
use tokio::net::{TcpListener, UdpSocket};

use crate::{BedError, Tasks};

/// The TTL of every record the test bed serves.
pub const TTL: u32 = 60;

/// One zone: an apex and its records, built up fluently.
///
/// Owner names are given relative to the apex (`"app"`, `"ada.ns"`), as
/// `"@"` for the apex itself, or absolute when they end in the apex or a
/// final dot. Targets (of CNAME and NS) are relative only when they hold no
/// dot (`"app"`); `"shop.hosting.test"` is absolute.
#[derive(Debug, Clone)]
pub struct Zone {
    apex: String,
    records: Vec<(String, RData)>,
    errors: Vec<String>,
}

impl Zone {
    /// An empty zone for `apex` (it gets its SOA when served).
    pub fn new(apex: &str) -> Self {
        Self {
            apex: apex.trim_end_matches('.').to_ascii_lowercase(),
            records: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The apex.
    pub fn apex(&self) -> &str {
        &self.apex
    }

    /// The absolute name (no final dot) of `name` in this zone.
    pub fn absolute(&self, name: &str) -> String {
        let name = name.to_ascii_lowercase();
        if name == "@" || name.is_empty() {
            self.apex.clone()
        } else if let Some(abs) = name.strip_suffix('.') {
            abs.to_string()
        } else if name == self.apex || name.ends_with(&format!(".{}", self.apex)) {
            name
        } else {
            format!("{name}.{}", self.apex)
        }
    }

    fn push(mut self, name: &str, data: RData) -> Self {
        let name = self.absolute(name);
        self.records.push((name, data));
        self
    }

    /// Adds an A record.
    pub fn a(self, name: &str, ip: Ipv4Addr) -> Self {
        self.push(name, RData::A(A(ip)))
    }

    /// Adds an AAAA record.
    pub fn aaaa(self, name: &str, ip: Ipv6Addr) -> Self {
        self.push(name, RData::AAAA(AAAA(ip)))
    }

    /// Adds a CNAME record to `target` (relative only without a dot).
    pub fn cname(self, name: &str, target: &str) -> Self {
        self.with_name(name, target, |n| RData::CNAME(CNAME(n)))
    }

    /// Adds an NS record naming `server` (relative only without a dot).
    pub fn ns(self, name: &str, server: &str) -> Self {
        self.with_name(name, server, |n| RData::NS(NS(n)))
    }

    fn with_name(mut self, name: &str, target: &str, data: fn(Name) -> RData) -> Self {
        let target = if target.contains('.') {
            target.trim_end_matches('.').to_ascii_lowercase()
        } else {
            self.absolute(target)
        };
        match Name::from_ascii(fqdn(&target)) {
            Ok(target) => self.push(name, data(target)),
            Err(err) => {
                self.errors.push(format!("{target}: {err}"));
                self
            }
        }
    }

    /// Adds a CAA `issue` record naming `issuer` (e.g. `letsencrypt.org`).
    pub fn caa_issue(self, name: &str, issuer: &str) -> Self {
        let issuer = Name::from_ascii(issuer).ok();
        self.push(name, RData::CAA(CAA::new_issue(false, issuer, Vec::new())))
    }

    /// Adds a CAA `issue ";"` record: no CA may issue (unless a name
    /// nearer the host says otherwise).
    pub fn caa_forbid(self, name: &str) -> Self {
        self.push(name, RData::CAA(CAA::new_issue(false, None, Vec::new())))
    }

    /// Adds an MX record: `exchange` at `preference` (relative only without
    /// a dot; `"."` is the null MX of RFC 7505, "this domain takes no mail").
    pub fn mx(mut self, name: &str, preference: u16, exchange: &str) -> Self {
        if exchange == "." {
            return self.push(name, RData::MX(MX::new(preference, Name::root())));
        }
        let target = if exchange.contains('.') {
            exchange.trim_end_matches('.').to_ascii_lowercase()
        } else {
            self.absolute(exchange)
        };
        match Name::from_ascii(fqdn(&target)) {
            Ok(target) => self.push(name, RData::MX(MX::new(preference, target))),
            Err(err) => {
                self.errors.push(format!("{target}: {err}"));
                self
            }
        }
    }

    /// Adds a TXT record made of exactly these character-strings (each at
    /// most 255 bytes), as a provider's long SPF or DKIM record is split.
    pub fn txt_strings(self, name: &str, strings: &[&str]) -> Self {
        let pieces = strings.iter().map(|s| s.to_string()).collect();
        self.push(name, RData::TXT(TXT::new(pieces)))
    }

    /// Adds a TXT record of one string (split into 255-byte pieces).
    pub fn txt(self, name: &str, text: &str) -> Self {
        let pieces = text
            .as_bytes()
            .chunks(255)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        self.push(name, RData::TXT(TXT::new(pieces)))
    }

    /// Adds TXT records holding about `bytes` bytes in all: far more than a
    /// UDP answer carries, so resolvers must fall back to TCP. Keep it under
    /// 60 000 (a DNS message cannot exceed 65 535 bytes).
    pub fn oversized_txt(mut self, name: &str, bytes: usize) -> Self {
        let per_record = 4 * 250;
        let records = bytes.div_ceil(per_record).max(1);
        for i in 0..records {
            let pieces = (0..4)
                .map(|j| format!("{i:04}{j}{}", "x".repeat(245)))
                .collect();
            self = self.push(name, RData::TXT(TXT::new(pieces)));
        }
        self
    }

    fn handler(&self) -> Result<InMemoryZoneHandler, BedError> {
        if let Some(err) = self.errors.first() {
            return Err(BedError::Dns(err.clone()));
        }
        let origin = Name::from_ascii(fqdn(&self.apex)).map_err(dns_err)?;
        let mut zone =
            InMemoryZoneHandler::empty(origin.clone(), ZoneType::Primary, AxfrPolicy::Deny);
        let serial = 1;
        let mname = Name::from_ascii(fqdn(&format!("ns1.{}", self.apex))).map_err(dns_err)?;
        let rname =
            Name::from_ascii(fqdn(&format!("hostmaster.{}", self.apex))).map_err(dns_err)?;
        let soa = SOA::new(mname, rname, serial, 3600, 600, 86_400, TTL);
        zone.upsert_mut(Record::from_rdata(origin, TTL, RData::SOA(soa)), serial);
        for (name, data) in &self.records {
            let name = Name::from_ascii(fqdn(name)).map_err(dns_err)?;
            if !zone.upsert_mut(Record::from_rdata(name.clone(), TTL, data.clone()), serial) {
                return Err(BedError::Dns(format!(
                    "could not add {name} to {}",
                    self.apex
                )));
            }
        }
        Ok(zone)
    }
}

/// A DNS server on 127.0.0.1, UDP and TCP on the same random port; it stops
/// when dropped.
pub struct DnsServer {
    addr: SocketAddr,
    _server: Option<Server<Catalog>>,
    _tasks: Tasks,
}

impl std::fmt::Debug for DnsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DnsServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl DnsServer {
    /// Serves `zones` authoritatively; names outside them are refused.
    pub async fn start(zones: Vec<Zone>) -> Result<Self, BedError> {
        let mut catalog = Catalog::new();
        for zone in &zones {
            let origin = LowerName::new(&Name::from_ascii(fqdn(&zone.apex)).map_err(dns_err)?);
            let handler: Arc<dyn ZoneHandler> = Arc::new(zone.handler()?);
            catalog.upsert(origin, vec![handler]);
        }
        let (udp, tcp) = bind_pair().await?;
        let addr = udp.local_addr()?;
        let mut server = Server::new(catalog);
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 64 * 1024);
        Ok(Self {
            addr,
            _server: Some(server),
            _tasks: Tasks::default(),
        })
    }

    /// A server that binds UDP and TCP and never answers: queries vanish,
    /// TCP connections are accepted and left hanging.
    pub async fn silent() -> Result<Self, BedError> {
        let (udp, tcp) = bind_pair().await?;
        let addr = udp.local_addr()?;
        let mut tasks = Tasks::default();
        tasks.spawn(async move {
            let mut buf = vec![0u8; 4096];
            while udp.recv_from(&mut buf).await.is_ok() {}
        });
        tasks.spawn(crate::hostile::hold_connections(tcp));
        Ok(Self {
            addr,
            _server: None,
            _tasks: tasks,
        })
    }

    /// Where it listens (`127.0.0.1:port`, UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// A UDP socket and a TCP listener on the same loopback port.
pub(crate) async fn bind_pair() -> Result<(UdpSocket, TcpListener), BedError> {
    let mut last = None;
    for _ in 0..20 {
        let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let port = udp.local_addr()?.port();
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(err) => last = Some(err),
        }
    }
    Err(last
        .map(BedError::Io)
        .unwrap_or_else(|| BedError::Dns("no free port".into())))
}

fn fqdn(name: &str) -> String {
    if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    }
}

fn dns_err(err: impl std::fmt::Display) -> BedError {
    BedError::Dns(err.to_string())
}
