//! Judging a presented chain: who it names, whether it leads to a trusted
//! root (rustls's `WebPkiServerVerifier` with the run's roots), whether the
//! leaf covers the host, and how long each certificate has left.

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::ServerCertVerifier;
use rustls::client::{verify_server_name, WebPkiServerVerifier};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, Error, RootCertStore};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::checks::net::crypto_provider;

/// What one certificate says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// The subject's common name, else the whole subject.
    pub subject: String,
    /// The issuer's common name, else the whole issuer.
    pub issuer: String,
    /// Valid from, seconds since the epoch.
    pub not_before: i64,
    /// Valid until, seconds since the epoch.
    pub not_after: i64,
    /// DNS names in the subject alternative names.
    pub names: Vec<String>,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
}

impl CertInfo {
    /// Parses a DER certificate; `None` when it is not one.
    pub fn parse(der: &CertificateDer<'_>) -> Option<Self> {
        let (_, cert) = X509Certificate::from_der(der.as_ref()).ok()?;
        let cn = |name: &x509_parser::x509::X509Name<'_>| {
            name.iter_common_name()
                .next()
                .and_then(|cn| cn.as_str().ok().map(str::to_string))
                .unwrap_or_else(|| name.to_string())
        };
        let names = cert
            .subject_alternative_name()
            .ok()
            .flatten()
            .map(|san| {
                san.value
                    .general_names
                    .iter()
                    .filter_map(|n| match n {
                        GeneralName::DNSName(dns) => Some(dns.to_string()),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(Self {
            subject: cn(cert.subject()),
            issuer: cn(cert.issuer()),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            names,
            self_issued: cert.subject() == cert.issuer(),
        })
    }

    /// Whole days from `now` (seconds) until it expires; negative once expired.
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    /// One evidence line: subject, issuer and validity.
    pub fn evidence(&self) -> String {
        format!(
            "subject: {}; issuer: {}; valid {} to {}",
            self.subject,
            self.issuer,
            date(self.not_before),
            date(self.not_after)
        )
    }
}

/// `YYYY-MM-DD` of a Unix time.
pub fn date(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|_| secs.to_string())
}

/// Seconds since the epoch, now.
pub fn now_secs() -> i64 {
    UnixTime::now().as_secs() as i64
}

/// How the chain stands against the trusted roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// It leads to a trusted root (validity dates aside: see `dates_ok`).
    Trusted {
        /// Whether every certificate is within its dates right now.
        dates_ok: bool,
    },
    /// It does not; why, in rustls's words.
    Untrusted(String),
}

/// Verifies `chain` (leaf first) for `host` against `roots` with rustls's
/// `WebPkiServerVerifier`. A name mismatch is left to [`covers`]; a chain
/// failing only on dates is re-verified inside its validity window, so
/// trust and dates are judged apart.
pub fn trust(
    roots: Arc<RootCertStore>,
    chain: &[CertificateDer<'static>],
    host: &str,
    infos: &[CertInfo],
) -> Trust {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Trust::Untrusted("the server sent no certificate".to_string());
    };
    let verifier =
        match WebPkiServerVerifier::builder_with_provider(roots, crypto_provider()).build() {
            Ok(v) => v,
            Err(err) => return Trust::Untrusted(err.to_string()),
        };
    // The name is judged by `covers`; an unusable one still lets the chain be judged.
    let name = ServerName::try_from(host.to_string())
        .unwrap_or_else(|_| ServerName::from(std::net::IpAddr::from([0u8, 0, 0, 0])));
    let at = |secs: i64| {
        let when = UnixTime::since_unix_epoch(Duration::from_secs(secs.max(0) as u64));
        verifier.verify_server_cert(leaf, intermediates, &name, &[], when)
    };
    match at(now_secs()) {
        Ok(_) => Trust::Trusted { dates_ok: true },
        Err(err) if is_name(&err) => Trust::Trusted { dates_ok: true },
        Err(err) if is_dates(&err) => {
            // Somewhere every certificate is valid at once, if anywhere.
            let from = infos.iter().map(|i| i.not_before).max().unwrap_or(0);
            let until = infos.iter().map(|i| i.not_after).min().unwrap_or(0);
            if from >= until {
                return Trust::Untrusted(err.to_string());
            }
            match at(from + 1) {
                Ok(_) => Trust::Trusted { dates_ok: false },
                Err(inner) if is_name(&inner) => Trust::Trusted { dates_ok: false },
                Err(inner) => Trust::Untrusted(inner.to_string()),
            }
        }
        Err(err) => Trust::Untrusted(err.to_string()),
    }
}

fn is_name(err: &Error) -> bool {
    matches!(
        err,
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
        )
    )
}

fn is_dates(err: &Error) -> bool {
    matches!(
        err,
        Error::InvalidCertificate(
            CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. }
        )
    )
}

/// Whether the leaf is valid for `host` (wildcards as browsers apply them).
pub fn covers(leaf: &CertificateDer<'_>, host: &str) -> Result<(), String> {
    let parsed = ParsedCertificate::try_from(leaf).map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    verify_server_name(&parsed, &name).map_err(|e| e.to_string())
}
