//! # TLS checks, per HTTPS host (on the target's HTTPS port)
//!
//! - `tls.handshake`: a handshake completes (else a blocker: nobody gets in);
//! - `tls.chain`: a path leads from the leaf to a trusted root — Mozilla's
//!   roots plus the project's extra CA. Untrusted or self-signed is a
//!   blocker; an incomplete chain (the issuer missing, but the leaf names
//!   where to fetch it) is high: browsers fill the gap, some clients refuse
//!   it; certificates sent beside the path are reported (info, low when out
//!   of their dates);
//! - `tls.hostname`: the certificate covers the host (else a blocker);
//! - `tls.expiry`: days left on every certificate of the *verified path*
//!   (every presented one when none verifies), with thresholds relative to
//!   the lifetime of short-lived leaves ([`expiry`] documents the rule);
//! - `tls.protocols`: TLS 1.3 and TLS 1.2 each tried on their own.
//!
//! The handshake accepts any certificate ([`probe`]); the path is then
//! built with rustls-webpki, the verifier inside rustls ([`path`]), so each
//! finding names the one thing wrong.
//!
//! ## Not probed
//!
//! - TLS 1.0 and 1.1: rustls cannot speak them, so whether a server still
//!   offers them is not tested (`tls.protocols` says so);
//! - weak cipher suites (RC4, 3DES, CBC-SHA1, export): rustls offers only
//!   modern ones, so none are enumerated (`tls.protocols` says so);
//! - revocation (OCSP, CRL, stapling): not checked (`tls.chain` says so);
//! - the AIA link of an incomplete chain is not fetched.

use futures_util::future::join_all;
use handover_model::Finding;

use super::net::Net;
use super::{CheckDef, CheckTarget};

pub mod expiry;
pub mod inspect;
pub mod path;
#[cfg(test)]
mod path_tests;
pub mod probe;
#[cfg(test)]
mod tests;
mod verdict;

pub use probe::{Offer, Presented, ProbeError, HANDSHAKE_TIMEOUT};

/// What a TLS check judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aspect {
    Handshake,
    Chain,
    Hostname,
    Expiry,
    Protocols,
}

/// The TLS checks, under their catalog ids.
pub(super) fn definitions() -> Vec<CheckDef> {
    vec![
        CheckDef::new("tls.handshake", |net, t| {
            Box::pin(judge("tls.handshake", Aspect::Handshake, net, t))
        }),
        CheckDef::new("tls.chain", |net, t| {
            Box::pin(judge("tls.chain", Aspect::Chain, net, t))
        }),
        CheckDef::new("tls.hostname", |net, t| {
            Box::pin(judge("tls.hostname", Aspect::Hostname, net, t))
        }),
        CheckDef::new("tls.expiry", |net, t| {
            Box::pin(judge("tls.expiry", Aspect::Expiry, net, t))
        }),
        CheckDef::new("tls.protocols", |net, t| {
            Box::pin(judge("tls.protocols", Aspect::Protocols, net, t))
        }),
    ]
}

/// Runs the TLS check `id` over an existing network context; `None` for
/// an unknown id.
pub async fn run_with(id: &str, net: &Net, target: &CheckTarget) -> Option<Vec<Finding>> {
    if !id.starts_with("tls.") {
        return None;
    }
    super::run_with(id, net, target).await
}

/// `host`, or `host:port` when the port is not 443: what a finding is about.
pub fn endpoint(host: &str, port: u16) -> String {
    if port == 443 || port == 0 {
        host.to_string()
    } else {
        format!("{host}:{port}")
    }
}

async fn judge(id: &'static str, aspect: Aspect, net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let port = target.tls_port();
    join_all(
        target
            .hosts
            .iter()
            .map(|host| judge_host(id, aspect, net, host, port)),
    )
    .await
    .into_iter()
    .flatten()
    .collect()
}

async fn judge_host(
    id: &'static str,
    aspect: Aspect,
    net: &Net,
    host: &str,
    port: u16,
) -> Vec<Finding> {
    let at = endpoint(host, port);
    if aspect == Aspect::Protocols {
        let (v13, v12) = tokio::join!(
            probe::shared(net, host, port, Offer::Tls13),
            probe::shared(net, host, port, Offer::Tls12)
        );
        return vec![verdict::protocols(id, &at, &v13, &v12)];
    }
    let mut presented = match &*probe::shared(net, host, port, Offer::Both).await {
        Ok(presented) => presented.clone(),
        Err(err) if aspect == Aspect::Handshake => {
            return vec![verdict::no_handshake(id, &at, err)]
        }
        Err(err) => return vec![verdict::not_checked(id, &at, err)],
    };
    // Only the certificates Handover can read, so chain and infos stay
    // index for index.
    let (chain, infos): (Vec<_>, Vec<_>) = std::mem::take(&mut presented.chain)
        .into_iter()
        .filter_map(|der| inspect::CertInfo::parse(&der).map(|info| (der, info)))
        .unzip();
    presented.chain = chain;
    if infos.is_empty() && aspect != Aspect::Handshake {
        return vec![verdict::no_certificate(id, &at)];
    }
    let trust = || path::trust(&net.roots(), &presented.chain, &infos);
    vec![match aspect {
        Aspect::Handshake => verdict::handshake(id, &at, &presented, &infos),
        Aspect::Chain => verdict::chain(id, &at, &trust(), &infos),
        Aspect::Hostname => verdict::hostname(id, &at, host, &presented, &infos),
        Aspect::Expiry | Aspect::Protocols => expiry::expiry(id, &at, &infos, &trust()),
    }]
}
