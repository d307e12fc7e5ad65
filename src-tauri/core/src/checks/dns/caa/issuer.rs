//! The issuer of the certificate a host serves, compared with what its CAA
//! records allow.
//!
//! A certificate does not say which CAA domain its CA answers to, so the
//! comparison maps the issuer's name to CAA domains through
//! [`ISSUER_CAA_DOMAINS`], a heuristic table: an issuer it does not know
//! leaves the comparison inconclusive.

use handover_model::{Cause, Finding, Severity};
use x509_parser::prelude::{FromDer, X509Certificate};

use super::{could_not_compare, Relevant, CHECK};
use crate::checks::finding;
use crate::checks::net::Net;
use crate::checks::tls::inspect::CertInfo;
use crate::checks::tls::probe::{shared, Offer, ProbeError};

/// Words in a certificate issuer's name (matched case-insensitively
/// against the whole distinguished name, first match wins) and the CAA
/// `issue` domains that CA documents. A heuristic: CAs rename
/// intermediates and resell each other (ZeroSSL issues from Sectigo).
pub const ISSUER_CAA_DOMAINS: &[(&str, &[&str])] = &[
    ("let's encrypt", &["letsencrypt.org"]),
    ("zerossl", &["sectigo.com"]),
    ("sectigo", &["sectigo.com", "comodoca.com"]),
    ("comodo", &["sectigo.com", "comodoca.com"]),
    ("digicert", &["digicert.com"]),
    ("rapidssl", &["digicert.com"]),
    ("geotrust", &["digicert.com"]),
    ("thawte", &["digicert.com"]),
    ("google trust services", &["pki.goog"]),
    ("amazon", &["amazon.com", "amazontrust.com"]),
    ("globalsign", &["globalsign.com"]),
    ("buypass", &["buypass.com"]),
    ("ssl.com", &["ssl.com"]),
    ("entrust", &["entrust.net"]),
];

/// The CAA domains of the CA named `issuer` (a distinguished name), by
/// [`ISSUER_CAA_DOMAINS`]; `None` for a CA the table does not know.
pub fn caa_domains(issuer: &str) -> Option<&'static [&'static str]> {
    let issuer = issuer.to_ascii_lowercase();
    ISSUER_CAA_DOMAINS
        .iter()
        .find(|(word, _)| issuer.contains(word))
        .map(|(_, domains)| *domains)
}

/// How a served certificate's issuer compares with the CAA domains
/// `allowed` (`None`: no restriction).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// CAA places no `issue` restriction on this certificate.
    Unrestricted,
    /// One of the issuer's CAA domains is allowed.
    Allowed(String),
    /// None of the issuer's CAA domains is allowed.
    NotAllowed(&'static [&'static str]),
    /// The issuer is not in [`ISSUER_CAA_DOMAINS`].
    UnknownIssuer,
}

/// Compares the issuer's distinguished name with what CAA allows.
pub fn compare(issuer: &str, allowed: Option<&[String]>) -> Comparison {
    let Some(allowed) = allowed else {
        return Comparison::Unrestricted;
    };
    let Some(domains) = caa_domains(issuer) else {
        return Comparison::UnknownIssuer;
    };
    match domains.iter().find(|d| allowed.iter().any(|a| a == *d)) {
        Some(d) => Comparison::Allowed((*d).to_string()),
        None => Comparison::NotAllowed(domains),
    }
}

/// The issuer comparison for the certificate served on `host:port`,
/// targeted at `host:port`; `None` when DNS says the host has no address
/// (nothing is served; `dns.resolve` reports it).
pub(super) async fn served(
    net: &Net,
    host: &str,
    port: u16,
    relevant: &Relevant,
) -> Option<Finding> {
    let at = format!("{host}:{port}");
    let presented = match &*shared(net, host, port, Offer::Both).await {
        Ok(p) => p.clone(),
        Err(ProbeError::Net(err)) if err.is_negative_answer() => return None,
        Err(err) => {
            let cause = match err {
                ProbeError::Timeout(_) => Cause::TimedOut,
                _ => Cause::Unreachable,
            };
            return Some(could_not_compare(&at, cause, format!("no TLS handshake with {at} ({err}), so the certificate's issuer was not compared with CAA")));
        }
    };
    let leaf = presented.chain.first();
    let parsed = leaf.and_then(|der| {
        let info = CertInfo::parse(der)?;
        let (_, cert) = X509Certificate::from_der(der.as_ref()).ok()?;
        Some((info, cert.issuer().to_string()))
    });
    let Some((info, issuer)) = parsed else {
        return Some(could_not_compare(
            &at,
            Cause::Unreachable,
            format!("{at} sent no certificate Handover could read, so its issuer was not compared with CAA"),
        ));
    };
    let wildcard = !info.names.iter().any(|n| n.eq_ignore_ascii_case(host))
        && host.split_once('.').is_some_and(|(_, parent)| {
            info.names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&format!("*.{parent}")))
        });
    let allowed = relevant.allowed(wildcard);
    let from = &relevant.owner;
    let cert_line = format!("{at} certificate issued by {issuer}");
    let mut f = match compare(&issuer, allowed.as_deref()) {
        Comparison::Unrestricted => finding(
            CHECK,
            &at,
            Severity::Pass,
            format!("CAA from {from} does not restrict {host}'s certificate"),
            format!("{host} serves a {} certificate and the CAA records at {from} restrict only the other kind.", if wildcard { "wildcard" } else { "non-wildcard" }),
        ),
        Comparison::Allowed(domain) => finding(
            CHECK,
            &at,
            Severity::Pass,
            format!("CAA from {from} allows the CA of {host}'s certificate"),
            format!("{host}'s certificate comes from {}, whose CAA domain {domain} the records at {from} allow (issuer-to-domain mapping is a heuristic on the issuer's name).", info.issuer),
        ),
        Comparison::NotAllowed(domains) => finding(
            CHECK,
            &at,
            Severity::Medium,
            format!("CAA from {from} does not allow the CA of {host}'s certificate"),
            format!(
                "{host} serves a certificate from {} (CAA domain {}, going by the issuer's name: the mapping is a heuristic), but the CAA records at {from} allow only {}. The current certificate keeps working; the next renewal from that CA will fail. Add `CAA 0 issue \"{}\"` at {from}, or move to an allowed CA.",
                info.issuer,
                domains.join(" / "),
                allowed.as_deref().map_or_else(String::new, |a| if a.is_empty() { "no CA".to_string() } else { a.join(", ") }),
                domains[0],
            ),
        ),
        Comparison::UnknownIssuer => {
            let mut f = could_not_compare(
                &at,
                Cause::NotAutomated,
                format!("{host}'s certificate comes from {issuer}, a CA Handover cannot map to a CAA domain; compare it with the CAA records at {from} by hand"),
            );
            f.evidence.push(cert_line);
            f.evidence.extend(relevant.evidence());
            return Some(f);
        }
    };
    f.evidence.push(cert_line);
    f.evidence.extend(relevant.evidence());
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_map_to_their_caa_domains() {
        let le = "CN=R11, O=Let's Encrypt, C=US";
        assert_eq!(caa_domains(le), Some(&["letsencrypt.org"][..]));
        assert_eq!(
            caa_domains("CN=WR2, O=Google Trust Services, C=US"),
            Some(&["pki.goog"][..])
        );
        assert_eq!(
            caa_domains("CN=ZeroSSL RSA Domain Secure Site CA, O=ZeroSSL, C=AT"),
            Some(&["sectigo.com"][..])
        );
        assert_eq!(caa_domains("CN=Corp Internal CA, O=Corp"), None);
        let allowed = vec!["letsencrypt.org".to_string()];
        assert_eq!(
            compare(le, Some(&allowed)),
            Comparison::Allowed("letsencrypt.org".into())
        );
        assert_eq!(
            compare(
                "CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1, O=DigiCert Inc",
                Some(&allowed)
            ),
            Comparison::NotAllowed(&["digicert.com"])
        );
        assert_eq!(
            compare(le, Some(&[])),
            Comparison::NotAllowed(&["letsencrypt.org"])
        );
        assert_eq!(compare(le, None), Comparison::Unrestricted);
        assert_eq!(
            compare("CN=Corp Internal CA", Some(&allowed)),
            Comparison::UnknownIssuer
        );
    }
}
