//! Which presented certificates the trusted path uses.
//!
//! rustls's `WebPkiServerVerifier` says yes or no but hides the path it
//! built, so the path is built here with the same library underneath it
//! (rustls-webpki's `EndEntityCert::verify_for_usage`, which returns the
//! `VerifiedPath`), the run's roots and the run's signature algorithms.
//! webpki builds paths like a browser: it tries every candidate issuer and
//! backtracks, so an expired cross-sign beside a valid intermediate does not
//! break the path — and then must not count against the certificate.

use std::time::Duration;

use rustls::RootCertStore;
use rustls_pki_types::{CertificateDer, UnixTime};
use webpki::{anchor_from_trusted_cert, EndEntityCert, Error, KeyUsage, VerifiedPath};

use super::inspect::{now_secs, CertInfo};
use crate::checks::net::crypto_provider;

/// How the presented chain stands against the trusted roots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// A path leads from the leaf to a trusted root.
    Trusted {
        /// Whether that path verified right now (else only at another
        /// instant, inside the leaf's validity: dates are for `tls.expiry`).
        dates_ok: bool,
        /// For each presented certificate (leaf first), whether the path
        /// uses it: the leaf, the intermediates it chains through, and the
        /// trusted root itself when the server sent it.
        on_path: Vec<bool>,
    },
    /// No path verifies at any instant tried.
    Untrusted {
        /// Why, in webpki's words.
        why: String,
        /// The failure was an issuer that none of the presented
        /// certificates nor the roots provide (as opposed to a bad
        /// signature, a wrong key usage, a name constraint…).
        unknown_issuer: bool,
    },
}

impl Trust {
    /// Whether the certificate at `index` of the presented chain is on the
    /// verified path; `None` when no path verified.
    pub fn on_path(&self, index: usize) -> Option<bool> {
        match self {
            Trust::Trusted { on_path, .. } => Some(on_path.get(index).copied().unwrap_or(false)),
            Trust::Untrusted { .. } => None,
        }
    }
}

/// Builds the path for `chain` (leaf first; `infos` parsed from it, index
/// for index) to `roots`. The host name is not judged here (see
/// `tls.hostname`). When no path verifies now because of dates, it is
/// re-built at an instant where the leaf and, if possible, every presented
/// certificate are within their dates, so trust and dates are judged apart.
pub fn trust(
    roots: &RootCertStore,
    chain: &[CertificateDer<'static>],
    infos: &[CertInfo],
) -> Trust {
    let Some((leaf, intermediates)) = chain.split_first() else {
        return untrusted("the server sent no certificate".to_string(), false);
    };
    let ee = match EndEntityCert::try_from(leaf) {
        Ok(ee) => ee,
        Err(err) => return untrusted(format!("the leaf certificate cannot be read: {err}"), false),
    };
    let algorithms = crypto_provider().signature_verification_algorithms.all;
    let at = |secs: i64| {
        let when = UnixTime::since_unix_epoch(Duration::from_secs(secs.max(0) as u64));
        ee.verify_for_usage(
            algorithms,
            &roots.roots,
            intermediates,
            when,
            KeyUsage::server_auth(),
            None,
            None,
        )
        .map(|path| used(&path, chain))
    };
    let now = now_secs();
    let first = match at(now) {
        Ok(on_path) => {
            return Trust::Trusted {
                dates_ok: true,
                on_path,
            }
        }
        Err(err) => err,
    };
    if !is_dates(&first) {
        return untrusted_from(&first);
    }
    let mut instants = Vec::new();
    let from = infos.iter().map(|i| i.not_before).max().unwrap_or(0);
    let until = infos.iter().map(|i| i.not_after).min().unwrap_or(0);
    if from < until {
        instants.push(from + 1);
    }
    if let Some(leaf) = infos.first() {
        instants.extend([leaf.not_after - 1, leaf.not_before + 1]);
    }
    let mut worst = first;
    for when in instants {
        match at(when) {
            Ok(on_path) => {
                return Trust::Trusted {
                    dates_ok: false,
                    on_path,
                }
            }
            Err(err) if is_dates(&worst) && !is_dates(&err) => worst = err,
            Err(_) => {}
        }
    }
    untrusted_from(&worst)
}

fn untrusted(why: String, unknown_issuer: bool) -> Trust {
    Trust::Untrusted {
        why,
        unknown_issuer,
    }
}

fn untrusted_from(err: &Error) -> Trust {
    let why = match err {
        Error::UnknownIssuer => "no presented certificate or trusted root issued it".to_string(),
        other => other.to_string(),
    };
    untrusted(why, matches!(err, Error::UnknownIssuer))
}

fn is_dates(err: &Error) -> bool {
    matches!(
        err,
        Error::CertExpired { .. } | Error::CertNotValidYet { .. }
    )
}

/// Marks the presented certificates `path` uses: the leaf, its
/// intermediates (by their exact bytes) and a presented self-signed copy of
/// its trust anchor (same name and key). A cross-sign of the anchor — same
/// name and key, another issuer — is not the anchor: it stays off the path.
fn used(path: &VerifiedPath<'_>, chain: &[CertificateDer<'_>]) -> Vec<bool> {
    let mut on = vec![false; chain.len()];
    if let Some(leaf) = on.first_mut() {
        *leaf = true;
    }
    for inter in path.intermediate_certificates() {
        if let Some(i) = chain
            .iter()
            .position(|c| c.as_ref() == inter.der().as_ref())
        {
            on[i] = true;
        }
    }
    let anchor = path.anchor();
    for (i, cert) in chain.iter().enumerate().skip(1) {
        let same = anchor_from_trusted_cert(cert).is_ok_and(|a| {
            a.subject == anchor.subject
                && a.subject_public_key_info == anchor.subject_public_key_info
        });
        if same && self_issued(cert) {
            on[i] = true;
        }
    }
    on
}

fn self_issued(der: &CertificateDer<'_>) -> bool {
    use x509_parser::prelude::{FromDer, X509Certificate};
    X509Certificate::from_der(der.as_ref())
        .is_ok_and(|(_, c)| c.subject().as_raw() == c.issuer().as_raw())
}
