//! # A loopback test bed for Handover's live checks
//!
//! Everything a check talks to, on 127.0.0.1 with random ports, started in
//! milliseconds and gone when dropped:
//!
//! - [`Zone`] and [`DnsServer`]: an authoritative DNS server (hickory-server,
//!   UDP and TCP) for in-memory zones, or a silent one;
//! - [`Pki`]: a CA and leaf certificates in every state ([`CertKind`]);
//! - [`HttpsServer`] and [`HttpServer`]: a minimal HTTP/1.1 responder per
//!   host ([`Site`]: a [`Handler`] closure or [`Routes`]), certificates chosen
//!   by SNI;
//! - [`hostile`]: servers and responses that stall, trickle, flood or loop;
//! - [`LatencyRelay`] and [`DelayedDns`]: added round-trip latency in front
//!   of a TCP or DNS server (there is no netem here);
//! - [`chat`]: a chat endpoint with scripted answers (leaks, refusals,
//!   streams, a flaky case) for the evaluation set;
//! - [`TestBed`]: all of it wired up for `example.test` and four subdomains.
//!
//! It knows nothing of `handover-core`: it hands out plain values (DNS
//! server address, CA PEM, ports) and the tests build their own target.
//! Everything must be started inside a Tokio runtime.

pub mod bed;
pub mod bundle_site;
pub mod careful;
pub mod chat;
pub mod dns;
pub mod hostile;
pub mod http;
pub mod latency;
pub mod pki;
pub mod secrets;
pub mod secrets_tree;
pub mod server;
pub mod smtp;

pub use bed::{TestBed, TestBedBuilder, APEX, LOOPBACK, SUBDOMAINS};
pub use dns::{DnsServer, Zone};
pub use hostile::SilentServer;
pub use http::{handler, Delivery, Handler, Request, Response, Routes};
pub use latency::{DelayedDns, LatencyRelay};
pub use pki::{CertKind, Leaf, Pki};
pub use server::{to_https, HttpServer, HttpsServer, Site, TlsVersions};
pub use smtp::{SmtpKind, SmtpServer};

/// Why part of the test bed could not start.
#[derive(Debug, thiserror::Error)]
pub enum BedError {
    /// A socket could not be bound or read.
    #[error("test bed socket: {0}")]
    Io(#[from] std::io::Error),
    /// A certificate could not be made.
    #[error("test bed certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// The TLS server could not be configured.
    #[error("test bed TLS: {0}")]
    Tls(#[from] rustls::Error),
    /// A zone could not be built.
    #[error("test bed DNS: {0}")]
    Dns(String),
}

/// Background tasks of one server, aborted when it is dropped.
#[derive(Default)]
pub(crate) struct Tasks(Vec<tokio::task::JoinHandle<()>>);

impl Tasks {
    pub(crate) fn spawn(&mut self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.0.push(tokio::spawn(task));
    }
}

impl Drop for Tasks {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

#[cfg(test)]
mod tests;
