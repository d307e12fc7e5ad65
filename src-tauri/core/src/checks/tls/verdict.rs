//! From a probe's outcome to findings, one per check and host.

use handover_model::{Cause, Finding, Severity};

use super::inspect::{covers, date, now_secs, CertInfo};
use super::path::Trust;
use super::probe::{Presented, ProbeError};
use crate::checks::net::NetError;
use crate::checks::{finding, inconclusive, measure};

/// What rustls cannot test, said wherever protocols are judged.
pub const NOT_PROBED_PROTOCOLS: &str = "Not probed: TLS 1.0 and 1.1 were not tried, as Handover's TLS library (rustls) cannot speak them; nor were weak cipher suites (RC4, 3DES, CBC with SHA-1, export), as rustls offers only modern ones, so a server that still accepts them looks the same here. Confirm both with SSL Labs or testssl.sh.";

/// What the chain check does not look at, said in every `tls.chain` finding.
pub const NOT_PROBED_REVOCATION: &str = "Not probed: revocation (OCSP, CRL, OCSP stapling) is not checked, so a revoked certificate passes here; SSL Labs and testssl.sh check it.";

/// `tls.handshake` when no handshake completed: a server that broke off
/// the handshake is judged (a blocker); a host that could not be reached or
/// stayed silent is inconclusive — the DNS checks or the network say why.
pub(super) fn no_handshake(id: &str, at: &str, err: &ProbeError) -> Finding {
    let (title, detail) = match err {
        ProbeError::Handshake(why) => (
            format!("The TLS handshake with {at} fails"),
            format!(
                "The server broke off the handshake ({why}): browsers cannot connect over HTTPS."
            ),
        ),
        ProbeError::Timeout(after) => {
            return inconclusive(
                id,
                at,
                Cause::TimedOut,
                format!(
                    "{at} did not complete a TLS handshake within {} s",
                    after.as_secs()
                ),
            )
        }
        ProbeError::Net(net) => {
            return inconclusive(id, at, Cause::Unreachable, unreachable(at, net))
        }
        ProbeError::BadName(_) => {
            return inconclusive(id, at, Cause::CouldNotStart, err.to_string())
        }
    };
    let mut f = finding(id, at, Severity::Blocker, title, detail);
    f.evidence.push(err.to_string());
    f
}

/// Why a host could not be reached, for people.
fn unreachable(at: &str, err: &NetError) -> String {
    match err {
        NetError::Connect { refused: true, .. } => {
            format!("{at} refused the connection: nothing listens for HTTPS there")
        }
        other => other.to_string(),
    }
}

/// Any other TLS check when no handshake completed: it could not look.
pub(super) fn not_checked(id: &str, at: &str, err: &ProbeError) -> Finding {
    let reason = match err {
        ProbeError::Net(net) => unreachable(at, net),
        other => format!("no TLS handshake with {at}: {other}"),
    };
    let cause = match err {
        ProbeError::Timeout(_) => Cause::TimedOut,
        _ => Cause::Unreachable,
    };
    inconclusive(id, at, cause, reason)
}

/// A completed handshake without a certificate Handover could read.
pub(super) fn no_certificate(id: &str, at: &str) -> Finding {
    finding(
        id,
        at,
        Severity::Blocker,
        "The server sent no readable certificate",
        "The handshake completed but no certificate Handover could read came with it; browsers will refuse the connection.",
    )
}

/// `tls.handshake` when it completed.
pub(super) fn handshake(id: &str, at: &str, p: &Presented, infos: &[CertInfo]) -> Finding {
    let issuer = infos.first().map_or("unknown", |i| i.issuer.as_str());
    let mut f = finding(
        id,
        at,
        Severity::Pass,
        format!("TLS handshake with {at} succeeds"),
        format!(
            "{} with {}; certificate issued by {issuer}.",
            p.version, p.cipher
        ),
    );
    f.evidence.push(format!(
        "{} {} ALPN {}",
        p.version,
        p.cipher,
        p.alpn.as_deref().unwrap_or("none")
    ));
    f.evidence.extend(infos.iter().map(CertInfo::evidence));
    f.measured
        .push(measure("handshake_ms", p.elapsed.as_millis() as f64, "ms"));
    f
}

/// `tls.chain`: trusted, trusted with extra certificates beside the path
/// (info, or low when one is out of its dates), incomplete (high: the
/// issuer is missing but the leaf says where to fetch it, as browsers do),
/// self-signed or untrusted (blockers).
pub(super) fn chain(id: &str, at: &str, trust: &Trust, infos: &[CertInfo]) -> Finding {
    let Some(leaf) = infos.first() else {
        return no_certificate(id, at);
    };
    let top = infos.last().unwrap_or(leaf);
    let now = now_secs();
    let mut f = match trust {
        Trust::Trusted { dates_ok, on_path } => {
            let extras: Vec<&CertInfo> = infos
                .iter()
                .zip(on_path)
                .filter(|(_, on)| !**on)
                .map(|(i, _)| i)
                .collect();
            let dates = if *dates_ok {
                ""
            } else {
                " Its dates are judged by tls.expiry."
            };
            if extras.is_empty() {
                finding(
                    id,
                    at,
                    Severity::Pass,
                    format!("Certificate chain for {at} is trusted"),
                    format!(
                        "Issued by {}, which chains to a trusted root.{dates}",
                        leaf.issuer
                    ),
                )
            } else {
                extra_certificates(id, at, leaf, &extras, now, dates)
            }
        }
        Trust::Untrusted {
            why,
            unknown_issuer,
        } => {
            if infos.len() == 1 && leaf.self_issued {
                finding(
                    id,
                    at,
                    Severity::Blocker,
                    format!("{at} presents a self-signed certificate"),
                    format!("{} signed its own certificate: browsers refuse it. Get one from a public CA (e.g. Let's Encrypt) or your platform's managed certificates.", leaf.subject),
                )
            } else if *unknown_issuer && !top.self_issued && !top.ca_issuers.is_empty() {
                incomplete(id, at, infos.len(), top)
            } else {
                finding(
                    id,
                    at,
                    Severity::Blocker,
                    format!("{at}'s certificate is not trusted"),
                    format!("The chain ends at {} (issued by {}), which is not a trusted root: browsers refuse it ({why}). Serve the full chain from a public CA.", top.subject, top.issuer),
                )
            }
        }
    };
    f.detail = format!("{} {NOT_PROBED_REVOCATION}", f.detail);
    let mut evidence: Vec<String> = infos
        .iter()
        .enumerate()
        .map(|(i, c)| match trust.on_path(i) {
            Some(false) => format!("{} (not on the path)", c.evidence()),
            _ => c.evidence(),
        })
        .collect();
    evidence.append(&mut f.evidence);
    f.evidence = evidence;
    f
}

/// A trusted path with presented certificates it does not use.
fn extra_certificates(
    id: &str,
    at: &str,
    leaf: &CertInfo,
    extras: &[&CertInfo],
    now: i64,
    dates: &str,
) -> Finding {
    let stale = |i: &CertInfo| i.not_after <= now || i.not_before > now;
    let list: Vec<String> = extras
        .iter()
        .map(|i| {
            let when = if i.not_after <= now {
                format!("expired on {}", date(i.not_after))
            } else {
                format!("valid until {}", date(i.not_after))
            };
            format!("{} (issued by {}, {when})", i.subject, i.issuer)
        })
        .collect();
    let (severity, risk) = if extras.iter().any(|i| stale(i)) {
        (Severity::Low, " Current clients ignore it, but some old ones (OpenSSL 1.0.x, old Android) may try it and fail.")
    } else {
        (Severity::Info, " Clients ignore it.")
    };
    finding(
        id,
        at,
        severity,
        format!("{at} sends an extra certificate in the chain, not used for the path"),
        format!(
            "The chain is trusted: issued by {}, which chains to a trusted root.{dates} The server also sends {}: an extra certificate in the chain, not used for the path, so tls.expiry does not judge it.{risk} Drop it from the served chain; every handshake carries it.",
            leaf.issuer,
            list.join("; ")
        ),
    )
}

/// A chain that stops short of its issuer, which the top certificate says
/// where to fetch (AIA caIssuers): high, not a blocker — browsers fill the
/// gap from their cache or that link; many other clients do not.
fn incomplete(id: &str, at: &str, count: usize, top: &CertInfo) -> Finding {
    let url = top.ca_issuers.join(", ");
    let mut f = finding(
        id,
        at,
        Severity::High,
        format!("{at} sends an incomplete certificate chain"),
        format!(
            "The server sends {count} certificate(s) but not {}, which issued {}. Browsers usually fill the gap from their cache or by fetching it from the certificate's AIA link ({url}), but some clients refuse it: curl, Java, Python, Go, many Android apps and webhook senders. Serve the full chain (the fullchain file, not the bare certificate). Handover did not fetch the link: if {} is not a public CA's intermediate, the chain is untrusted instead.",
            top.issuer, top.subject, top.issuer
        ),
    );
    f.evidence.push(format!("AIA caIssuers: {url}"));
    f
}

/// `tls.hostname`.
pub(super) fn hostname(
    id: &str,
    at: &str,
    host: &str,
    p: &Presented,
    infos: &[CertInfo],
) -> Finding {
    let (Some(leaf), Some(info)) = (p.chain.first(), infos.first()) else {
        return no_certificate(id, at);
    };
    let names = info.names.join(", ");
    let mut f = match covers(leaf, host) {
        Ok(()) => finding(
            id,
            at,
            Severity::Pass,
            format!("Certificate covers {host}"),
            format!("The certificate names {names}."),
        ),
        Err(why) => finding(
            id,
            at,
            Severity::Blocker,
            format!("Certificate does not cover {host}"),
            format!("The certificate is for {} only ({why}): browsers show a name-mismatch error. Add {host} to the certificate.", if names.is_empty() { info.subject.as_str() } else { names.as_str() }),
        ),
    };
    f.evidence.push(format!("names: {names}"));
    f
}

/// `tls.protocols` from the TLS 1.3-only and TLS 1.2-only probes.
pub(super) fn protocols(
    id: &str,
    at: &str,
    v13: &Result<Presented, ProbeError>,
    v12: &Result<Presented, ProbeError>,
) -> Finding {
    let line = |name: &str, r: &Result<Presented, ProbeError>| match r {
        Ok(p) => format!("{name}: accepted ({})", p.cipher),
        Err(err) => format!("{name}: refused ({err})"),
    };
    // A protocol is only refused when the server answered; a host that
    // cannot be reached or stays silent says nothing about its protocols.
    let unanswered = |r: &Result<Presented, ProbeError>| {
        matches!(
            r,
            Err(ProbeError::Net(_) | ProbeError::Timeout(_) | ProbeError::BadName(_))
        )
    };
    if unanswered(v13) || unanswered(v12) {
        let err = [v13, v12]
            .into_iter()
            .find_map(|r| r.as_ref().err().filter(|_| unanswered(r)))
            .expect("one of them is unanswered");
        let mut f = not_checked(id, at, err);
        f.evidence = vec![line("TLS 1.3", v13), line("TLS 1.2", v12)];
        return f;
    }
    let (severity, title, detail) = match (v13.is_ok(), v12.is_ok()) {
        (true, true) => (Severity::Pass, format!("{at} offers TLS 1.3 and 1.2"), "Modern and older clients can connect."),
        (true, false) => (Severity::Pass, format!("{at} offers TLS 1.3 only"), "Current browsers connect; some old clients and tools that lack TLS 1.3 cannot."),
        (false, true) => (Severity::Low, format!("{at} does not offer TLS 1.3"), "TLS 1.2 works, but TLS 1.3 is faster and simpler to keep safe; enable it at the TLS terminator."),
        (false, false) => (Severity::Blocker, format!("{at} accepts neither TLS 1.3 nor 1.2"), "No current browser can connect over HTTPS."),
    };
    let mut f = finding(
        id,
        at,
        severity,
        title,
        format!("{detail} {NOT_PROBED_PROTOCOLS}"),
    );
    f.evidence = vec![line("TLS 1.3", v13), line("TLS 1.2", v12)];
    f
}
