//! # The demo product
//!
//! "Northwind Ops Assistant", an internal-ops chatbot about to launch, served
//! entirely on 127.0.0.1 from the test bed's servers so a newcomer can walk
//! the whole handover offline: an authoritative DNS server for
//! `northwind.test`, HTTPS for the apex, `www`, `app`, `api`, `docs`,
//! `status` and `staging` (certificates from a CA generated for this run),
//! plain HTTP redirecting to HTTPS, an SMTP host with STARTTLS, the chat
//! endpoint (scripted answers, a slow one and a system-prompt leak among
//! them), a health endpoint, a webhook receiver, a static bundle with its
//! source map, staging and production env files and a small repository.
//!
//! It carries a deliberate mix of faults ([`story`]): some launch blockers,
//! some highs, and much that is fine. Ports are random; nothing listens
//! beyond loopback; everything stops when the [`Demo`] is dropped.

pub mod files;
pub mod install;
pub mod site;
pub mod spec;
pub mod story;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use handover_testbed::{
    CertKind, DnsServer, HttpServer, HttpsServer, Pki, Site, SmtpKind, SmtpServer,
};

pub use spec::{DemoAccount, DemoCredential};

/// The demo's apex domain (`.test` is reserved for testing, RFC 6761).
pub const APEX: &str = "northwind.test";
/// The subdomains the demo project lists, in order.
pub const SUBDOMAINS: [&str; 5] = ["www", "app", "api", "docs", "status"];
/// The staging host's label (an environment, not a checked subdomain).
pub const STAGING: &str = "staging";
/// The mail host's label.
pub const MAIL_HOST: &str = "mx1";
/// The environment variable the printed project file reads the canary from.
pub const CANARY_ENV: &str = "HANDOVER_DEMO_CANARY";

/// Why the demo could not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A server could not start.
    #[error("the demo's servers could not start: {0}")]
    Servers(#[from] handover_testbed::BedError),
    /// Its files could not be written.
    #[error("the demo's files could not be written to {path}: {source}")]
    Files {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// The demo's values that must not be printed (the canary, planted keys).
pub struct Planted {
    /// The canary in the chatbot's system prompt.
    pub canary: String,
    /// The Stripe live key shipped in the bundle's source map.
    pub stripe_live: String,
    /// The OpenAI key the chatbot hands out and production exposes.
    pub openai: String,
}

/// A running demo product; its servers stop when it is dropped.
pub struct Demo {
    dns: DnsServer,
    https: HttpsServer,
    http: HttpServer,
    smtp: SmtpServer,
    dir: PathBuf,
    planted: Planted,
    took: Duration,
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demo")
            .field("dns", &self.dns.addr())
            .field("https_port", &self.https.port())
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl Demo {
    /// Starts every server and writes the demo's files (CA, env files,
    /// repository, build output) under `dir`, replacing any earlier ones.
    /// Must be called inside a Tokio runtime.
    pub async fn start(dir: &Path) -> Result<Demo, DemoError> {
        Self::start_with(dir, None).await
    }

    /// Like [`Demo::start`], planting `canary` in the chatbot's system
    /// prompt instead of a fresh one (so a project file's [`CANARY_ENV`]
    /// can name it).
    pub async fn start_with(dir: &Path, canary: Option<String>) -> Result<Demo, DemoError> {
        let began = Instant::now();
        let planted = Planted {
            canary: canary
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(files::canary),
            stripe_live: handover_testbed::secrets::token("stripe-secret-key", files::seed()),
            openai: handover_testbed::secrets::token("openai-api-key", files::seed()),
        };
        let pki = Pki::new()?;
        let dns = DnsServer::start(vec![site::zone()]).await?;
        let mx = format!("{MAIL_HOST}.{APEX}");
        let smtp = SmtpServer::start(SmtpKind::StartTls(pki.valid(&[&mx])?), &mx).await?;
        let mut sites = Vec::new();
        for (host, handler) in site::https_sites(&planted) {
            let kind = if host == format!("status.{APEX}") {
                CertKind::Expired
            } else {
                CertKind::Valid
            };
            sites.push(Site::new(&host, handler).cert(pki.issue(&[&host], kind)?));
        }
        let https = HttpsServer::start(sites).await?;
        let http = HttpServer::start(
            site::all_hosts()
                .iter()
                .map(|host| Site::new(host, handover_testbed::to_https(https.port())))
                .collect(),
        )
        .await?;
        files::write(dir, pki.ca_pem(), &planted)?;
        Ok(Demo {
            dns,
            https,
            http,
            smtp,
            dir: dir.to_path_buf(),
            planted,
            took: began.elapsed(),
        })
    }

    /// The DNS server to resolve `northwind.test` through (UDP and TCP).
    pub fn dns_server(&self) -> SocketAddr {
        self.dns.addr()
    }

    /// The HTTPS port of every host.
    pub fn https_port(&self) -> u16 {
        self.https.port()
    }

    /// The plain HTTP port of every host.
    pub fn http_port(&self) -> u16 {
        self.http.port()
    }

    /// The SMTP port of the mail host.
    pub fn smtp_port(&self) -> u16 {
        self.smtp.port()
    }

    /// Where the demo's files are.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every address the demo listens on (DNS counts once for UDP and TCP).
    pub fn listening(&self) -> Vec<SocketAddr> {
        vec![
            self.dns.addr(),
            self.https.addr(),
            SocketAddr::from((handover_testbed::LOOPBACK, self.http.port())),
            self.smtp.addr(),
        ]
    }

    /// The hosts of the project, apex first.
    pub fn hosts(&self) -> Vec<String> {
        site::project_hosts()
    }

    /// The values the demo planted (never print them).
    pub fn planted(&self) -> &Planted {
        &self.planted
    }

    /// How long [`Demo::start`] took.
    pub fn start_time(&self) -> Duration {
        self.took
    }
}

#[cfg(test)]
mod tests;
