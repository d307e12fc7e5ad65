//! Reading a presented certificate: who it names, who issued it, where its
//! issuer can be fetched, whether the leaf covers the host, and how long
//! each certificate has left. Which certificates the trusted path uses is
//! [`super::path`]'s business.

use rustls::client::verify_server_name;
use rustls::server::ParsedCertificate;
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The AIA access method caIssuers (RFC 5280 §4.2.2.1), 1.3.6.1.5.5.7.48.2.
const CA_ISSUERS: &str = "1.3.6.1.5.5.7.48.2";

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
    /// Where its issuer's certificate can be fetched (AIA caIssuers URLs).
    pub ca_issuers: Vec<String>,
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
        let ca_issuers = cert
            .extensions()
            .iter()
            .filter_map(|ext| match ext.parsed_extension() {
                ParsedExtension::AuthorityInfoAccess(aia) => Some(aia),
                _ => None,
            })
            .flat_map(|aia| aia.accessdescs.iter())
            .filter(|desc| desc.access_method.to_id_string() == CA_ISSUERS)
            .filter_map(|desc| match &desc.access_location {
                GeneralName::URI(uri) => Some(uri.to_string()),
                _ => None,
            })
            .collect();
        Some(Self {
            subject: cn(cert.subject()),
            issuer: cn(cert.issuer()),
            not_before: cert.validity().not_before.timestamp(),
            not_after: cert.validity().not_after.timestamp(),
            names,
            self_issued: cert.subject() == cert.issuer(),
            ca_issuers,
        })
    }

    /// Whole days from `now` (seconds) until it expires; negative once expired.
    pub fn days_left(&self, now: i64) -> i64 {
        (self.not_after - now).div_euclid(86_400)
    }

    /// Its whole validity, in seconds.
    pub fn lifetime_secs(&self) -> i64 {
        self.not_after - self.not_before
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

/// Whether the leaf is valid for `host` (wildcards as browsers apply them).
pub fn covers(leaf: &CertificateDer<'_>, host: &str) -> Result<(), String> {
    let parsed = ParsedCertificate::try_from(leaf).map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    verify_server_name(&parsed, &name).map_err(|e| e.to_string())
}
