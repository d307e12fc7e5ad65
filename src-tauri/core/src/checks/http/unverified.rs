//! # Looking past an invalid certificate
//!
//! When the strict client refuses a host's certificate (expired, wrong
//! host, self-signed, unknown issuer), [`super::fetch`] sends the same
//! request again over [`Net::unverified_http_client`] (and every later
//! request to that origin goes there directly, [`super::origin`]) and marks the
//! response ([`super::Response::past_invalid_certificate`]), so one run
//! finds the header, CORS, cache and cookie problems behind the
//! certificate too. The TLS checks report the certificate itself.
//!
//! Every check body runs inside [`marking`], which collects the hosts
//! fetched that way and marks each finding built from them: a sentence in
//! its detail and the evidence line `checked past an invalid certificate:
//! <reason>` ([`past_invalid_certificate`] reads it back).
//!
//! [`Net::unverified_http_client`]: crate::checks::net::Net::unverified_http_client

use std::future::Future;
use std::sync::{Arc, Mutex};

use handover_model::Finding;
use rustls::CertificateError;
use url::Url;

/// How the evidence line of a marked finding starts.
pub const MARK: &str = "checked past an invalid certificate";

/// A host answered over the unverified client.
#[derive(Debug, Clone)]
struct Past {
    host: String,
    /// `scheme://host[:port]/`, as evidence URLs start.
    origin: String,
    reason: String,
}

type Seen = Arc<Mutex<Vec<Past>>>;

tokio::task_local! {
    static SEEN: Seen;
}

/// Why the server's certificate was refused, when that is why `err` failed:
/// a `rustls::Error::InvalidCertificate` somewhere down its causes. An I/O
/// error is looked into (`get_ref`), since its `source` skips the error it
/// wraps, and I/O errors wrap one another on the way up from the handshake.
pub fn invalid_certificate(err: &reqwest::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(why)) = current.downcast_ref() {
            return Some(describe(why));
        }
        cause = match current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
}

/// A founder-readable reason for a refused certificate.
pub fn describe(err: &CertificateError) -> String {
    match err {
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the certificate has expired".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the certificate is not valid yet".into()
        }
        CertificateError::NotValidForNameContext { presented, .. } if !presented.is_empty() => {
            // Names come as webpki prints them: `DnsName("example.com")`.
            let names: Vec<&str> = presented
                .iter()
                .map(|name| {
                    name.strip_prefix("DnsName(\"")
                        .and_then(|rest| rest.strip_suffix("\")"))
                        .unwrap_or(name)
                })
                .collect();
            format!("the certificate is for {}, not this host", names.join(", "))
        }
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            "the certificate is not for this host".into()
        }
        CertificateError::UnknownIssuer => {
            "the certificate's issuer is not trusted (self-signed, or an unknown CA)".into()
        }
        CertificateError::Revoked => "the certificate has been revoked".into(),
        CertificateError::BadSignature => "the certificate's signature is invalid".into(),
        other => format!("the certificate is invalid ({other:?})"),
    }
}

/// Notes that `url` answered only over the unverified client, for the
/// [`marking`] around the running check (none outside one).
pub(crate) fn record(url: &Url, reason: &str) {
    let past = Past {
        host: url
            .host_str()
            .unwrap_or_default()
            .trim_matches(['[', ']'])
            .to_ascii_lowercase(),
        origin: format!("{}/", url.origin().ascii_serialization()),
        reason: reason.to_string(),
    };
    let _ = SEEN.try_with(|seen| {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.iter().any(|p| p.origin == past.origin) {
            seen.push(past);
        }
    });
}

/// Runs a check body and marks its findings checked past an invalid
/// certificate: judged findings about a host that answered only over the
/// unverified client, or whose evidence names such an origin, and findings
/// whose evidence already carries the [`MARK`] line.
pub async fn marking<F>(body: F) -> Vec<Finding>
where
    F: Future<Output = Vec<Finding>>,
{
    let seen: Seen = Arc::default();
    let mut findings = SEEN.scope(seen.clone(), body).await;
    let seen = seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for finding in &mut findings {
        let reason = past_invalid_certificate(finding)
            .map(str::to_string)
            .or_else(|| {
                seen.iter()
                    .find(|p| {
                        !finding.outcome.is_inconclusive()
                            && (finding.host == p.host
                                || finding.evidence.iter().any(|l| l.contains(&p.origin)))
                    })
                    .map(|p| p.reason.clone())
            });
        if let Some(reason) = reason {
            mark(finding, &reason);
        }
    }
    findings
}

/// The evidence line of a marked finding.
pub fn evidence_line(reason: &str) -> String {
    format!("{MARK}: {reason}")
}

/// Why `finding` was checked past an invalid certificate, if it was.
pub fn past_invalid_certificate(finding: &Finding) -> Option<&str> {
    finding
        .evidence
        .iter()
        .find_map(|l| l.strip_prefix(MARK)?.strip_prefix(": "))
}

fn mark(finding: &mut Finding, reason: &str) {
    if past_invalid_certificate(finding).is_none() {
        finding.evidence.insert(0, evidence_line(reason));
    }
    if !finding
        .detail
        .contains("Checked past an invalid certificate")
    {
        let sep = if finding.detail.is_empty() { "" } else { " " };
        finding.detail.push_str(&format!(
            "{sep}Checked past an invalid certificate ({reason}): browsers refuse this host until \
             the certificate is fixed (the TLS checks say how); this is what they will see then."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::finding;
    use handover_model::Severity;

    #[test]
    fn reasons_read_like_sentences() {
        assert_eq!(
            describe(&CertificateError::Expired),
            "the certificate has expired"
        );
        assert_eq!(
            describe(&CertificateError::UnknownIssuer),
            "the certificate's issuer is not trusted (self-signed, or an unknown CA)"
        );
    }

    #[tokio::test]
    async fn findings_on_a_recorded_host_are_marked_once_and_others_are_not() {
        let url = Url::parse("https://api.example.test:8443/health").unwrap();
        let findings = marking(async {
            record(&url, "the certificate has expired");
            record(&url, "the certificate has expired");
            vec![
                finding("cors.policy", url.as_str(), Severity::Blocker, "t", "d."),
                finding(
                    "cors.policy",
                    "https://example.test/",
                    Severity::Pass,
                    "t",
                    "",
                ),
            ]
        })
        .await;
        assert_eq!(
            findings[0].evidence,
            ["checked past an invalid certificate: the certificate has expired"]
        );
        assert!(findings[0]
            .detail
            .starts_with("d. Checked past an invalid certificate (the certificate has expired)"));
        assert_eq!(
            past_invalid_certificate(&findings[0]),
            Some("the certificate has expired")
        );
        assert!(findings[1].evidence.is_empty() && findings[1].detail.is_empty());
        // Outside a marking, recording is a no-op.
        record(&url, "x");
    }
}
