//! From a probe's outcome to findings, one per check and host.

use handover_model::{Cause, Finding, Severity};

use super::inspect::{covers, date, now_secs, trust, CertInfo, Trust};
use super::probe::{Presented, ProbeError};
use crate::checks::net::{Net, NetError};
use crate::checks::{finding, inconclusive, measure};

/// What rustls cannot test, said wherever protocols are judged.
const OLD_PROTOCOLS: &str = "TLS 1.0 and 1.1 were not tried: Handover's TLS library (rustls) cannot speak them. Confirm they are off with SSL Labs or testssl.sh.";

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

/// `tls.chain`.
pub(super) fn chain(
    id: &str,
    at: &str,
    host: &str,
    net: &Net,
    p: &Presented,
    infos: &[CertInfo],
) -> Finding {
    let Some(leaf) = infos.first() else {
        return no_certificate(id, at);
    };
    let top = infos.last().unwrap_or(leaf);
    let mut f = match trust(net.roots(), &p.chain, host, infos) {
        Trust::Trusted { dates_ok } => finding(
            id,
            at,
            Severity::Pass,
            format!("Certificate chain for {at} is trusted"),
            format!(
                "Issued by {}, which chains to a trusted root.{}",
                leaf.issuer,
                if dates_ok {
                    ""
                } else {
                    " Its dates are judged by tls.expiry."
                }
            ),
        ),
        Trust::Untrusted(why) => {
            let (title, detail) = if infos.len() == 1 && leaf.self_issued {
                (
                    format!("{at} presents a self-signed certificate"),
                    format!("{} signed its own certificate: browsers refuse it. Get one from a public CA (e.g. Let's Encrypt) or your platform's managed certificates.", leaf.subject),
                )
            } else {
                (
                    format!("{at}'s certificate is not trusted"),
                    format!("The chain ends at {} (issued by {}), which is not a trusted root: browsers refuse it ({why}). Serve the full chain from a public CA.", top.subject, top.issuer),
                )
            };
            finding(id, at, Severity::Blocker, title, detail)
        }
    };
    f.evidence = infos.iter().map(CertInfo::evidence).collect();
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

/// `tls.expiry`: the certificate with the fewest days left decides.
pub(super) fn expiry(id: &str, at: &str, infos: &[CertInfo]) -> Finding {
    let now = now_secs();
    let evidence: Vec<String> = infos
        .iter()
        .map(|i| {
            format!(
                "{}: expires {} ({} days left)",
                i.subject,
                date(i.not_after),
                i.days_left(now)
            )
        })
        .collect();
    if let Some(early) = infos.iter().find(|i| i.not_before > now) {
        let mut f = finding(
            id,
            at,
            Severity::Blocker,
            format!("{}'s certificate is not valid yet", early.subject),
            format!("It is valid only from {}: browsers refuse it until then. Check the issuing system's clock, or serve the previous certificate.", date(early.not_before)),
        );
        f.evidence = evidence;
        return f;
    }
    let Some((pos, worst)) = infos.iter().enumerate().min_by_key(|(_, i)| i.not_after) else {
        return no_certificate(id, at);
    };
    let days = worst.days_left(now);
    let which = if pos == 0 {
        format!("{at}'s certificate")
    } else {
        format!("Intermediate certificate {}", worst.subject)
    };
    let severity = match days {
        d if d <= 7 => Severity::Blocker,
        d if d <= 30 => Severity::High,
        d if d <= 60 => Severity::Info,
        _ => Severity::Pass,
    };
    let (title, detail) = if days < 0 {
        (
            format!("{which} expired on {}", date(worst.not_after)),
            "Browsers refuse an expired certificate. Renew it now and check why automatic renewal did not run.".to_string(),
        )
    } else {
        let advice = match severity {
            Severity::Blocker => "Renew it before launch.",
            Severity::High => "Renew it or confirm automatic renewal works before launch.",
            Severity::Info => {
                "Automatic renewal should replace it soon; worth a look if it does not."
            }
            _ => "Nothing to do.",
        };
        (
            format!("{which} expires in {days} days"),
            format!("It expires on {}. {advice}", date(worst.not_after)),
        )
    };
    let mut f = finding(id, at, severity, title, detail);
    f.evidence = evidence;
    f.measured.push(measure("days_left", days as f64, "days"));
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
    let mut f = finding(id, at, severity, title, format!("{detail} {OLD_PROTOCOLS}"));
    f.evidence = vec![line("TLS 1.3", v13), line("TLS 1.2", v12)];
    f
}
