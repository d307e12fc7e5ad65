//! `email.transport`: each MX host of the sending domain accepts SMTP and
//! offers STARTTLS (RFC 3207) with a certificate valid for its name, over
//! TLS 1.2 or newer.
//!
//! The conversation is the start of a delivery and no more: greeting,
//! `EHLO`, `STARTTLS`, the TLS handshake, `EHLO` again, `QUIT` — no
//! message is sent. Port 25 is blocked on many home and cloud networks, so
//! a refused or silent port is "could not check" with that said, never
//! "the MX is broken". Senders use STARTTLS opportunistically: without
//! MTA-STS they deliver even past a bad certificate, so a certificate
//! problem is medium and a missing STARTTLS high (mail then travels in
//! clear text).

use std::sync::Arc;
use std::time::Duration;

use handover_model::{Cause, Finding, Severity};
use hickory_resolver::proto::rr::{RData, RecordType};
use rustls::ClientConfig;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsConnector;

use super::{answered, check, lookup_unanswered};
use crate::checks::dns::records::records;
use crate::checks::http::unverified::describe;
use crate::checks::net::{crypto_provider, Net};
use crate::checks::{finding, inconclusive, CheckDef, CheckTarget};

/// The check's id.
const CHECK: &str = "email.transport";
/// How long one reply (or the TLS handshake) may take: twice the run's
/// connect limit (10 s by default).
pub fn step_timeout(net: &Net) -> Duration {
    net.limits().connect * 2
}
/// Most MX hosts probed (in preference order).
pub const MAX_HOSTS: usize = 5;
/// Longest reply read, all its lines together.
const MAX_REPLY: u64 = 16 * 1024;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![check(CHECK, |n, t| Box::pin(transport(n, t))).deadline(Duration::from_secs(60))]
}

async fn transport(net: &Net, target: &CheckTarget) -> Vec<Finding> {
    let domain = target.mail_domain.as_str();
    let hosts = match records(net, domain, RecordType::MX).await {
        Ok(data) => {
            let mut hosts: Vec<(u16, String)> = data
                .into_iter()
                .filter_map(|d| match d {
                    RData::MX(mx) => Some((
                        mx.preference,
                        mx.exchange.to_ascii().trim_end_matches('.').to_string(),
                    )),
                    _ => None,
                })
                .collect();
            hosts.sort();
            hosts
        }
        Err(err) if answered(&err) => Vec::new(),
        Err(err) => return vec![lookup_unanswered(CHECK, domain, &err)],
    };
    let hosts: Vec<String> = hosts
        .into_iter()
        .map(|(_, host)| host)
        .filter(|h| !h.is_empty())
        .take(MAX_HOSTS)
        .collect();
    if hosts.is_empty() {
        return vec![inconclusive(
            CHECK,
            domain,
            Cause::NothingToCheck,
            format!("{domain} names no mail host (MX) to connect to; email.mx says more"),
        )];
    }
    let port = target.smtp_port();
    let probes = hosts.iter().map(|host| probe_host(net, host, port));
    futures_util::future::join_all(probes).await
}

/// The finding for one MX host.
async fn probe_host(net: &Net, host: &str, port: u16) -> Finding {
    let at = format!("{host}:{port}");
    let tcp = match tokio::time::timeout(step_timeout(net), net.connect(host, port)).await {
        Ok(Ok(tcp)) => tcp,
        Ok(Err(err)) => return unreachable(&at, port, &err.to_string()),
        Err(_) => return unreachable(&at, port, "no connection within the time limit"),
    };
    let local = tcp
        .local_addr()
        .map(|a| match a.ip() {
            std::net::IpAddr::V4(ip) => format!("[{ip}]"),
            std::net::IpAddr::V6(ip) => format!("[IPv6:{ip}]"),
        })
        .unwrap_or_else(|_| "[127.0.0.1]".to_string());
    let mut conn = BufReader::new(tcp);
    let mut evidence = Vec::new();
    let greeting = match reply(&mut conn, step_timeout(net)).await {
        Ok(r) => r,
        Err(Reply::Closed) => {
            return judged(
                &at,
                Severity::High,
                format!("{host} closed the connection without greeting"),
                "An MX host must greet with 220 before a sender can deliver; this one hung up, so mail to it bounces or waits.",
                evidence,
            )
        }
        Err(Reply::Silent) => {
            return inconclusive(
                CHECK,
                at.as_str(),
                Cause::TimedOut,
                format!(
                    "{host} accepted the connection but sent no greeting within {} s",
                    step_timeout(net).as_secs()
                ),
            )
        }
        Err(Reply::Garbled(why)) => {
            return judged(&at, Severity::High, format!("{host} does not speak SMTP"), why, evidence)
        }
    };
    evidence.push(format!("greeting: {} {}", greeting.0, first(&greeting.1)));
    if greeting.0 != 220 {
        return judged(
            &at,
            Severity::High,
            format!("{host} refuses SMTP ({})", greeting.0),
            "The MX host answers, but with a refusal instead of 220: mail to the domain is not accepted there.",
            evidence,
        );
    }
    let keywords = match command(&mut conn, &format!("EHLO {local}"), step_timeout(net)).await {
        Ok((250, lines)) => keywords(&lines),
        Ok((code, lines)) => {
            evidence.push(format!("EHLO → {code} {}", first(&lines)));
            Vec::new()
        }
        Err(_) => Vec::new(),
    };
    evidence.push(format!("EHLO keywords: {}", keywords.join(" ")));
    if !keywords.iter().any(|k| k == "STARTTLS") {
        let _ = command(&mut conn, "QUIT", step_timeout(net)).await;
        return judged(
            &at,
            Severity::High,
            format!("{host} offers no STARTTLS"),
            "Mail to this host travels in clear text: anyone on the path can read password resets and invitations. Turn on STARTTLS with a certificate for this name.",
            evidence,
        );
    }
    match command(&mut conn, "STARTTLS", step_timeout(net)).await {
        Ok((220, _)) => {}
        Ok((code, lines)) => {
            evidence.push(format!("STARTTLS → {code} {}", first(&lines)));
            return judged(
                &at,
                Severity::High,
                format!("{host} advertises STARTTLS but refuses it"),
                "Senders that try STARTTLS get a refusal; most then deliver in clear text.",
                evidence,
            );
        }
        Err(_) => {
            return judged(
                &at,
                Severity::High,
                format!("{host} hung up at STARTTLS"),
                "The host advertises STARTTLS but closes the connection when asked for it.",
                evidence,
            )
        }
    }
    tls(net, host, &at, conn.into_inner(), evidence, &local).await
}

/// The TLS part: handshake against the run's roots, then EHLO and QUIT.
async fn tls<S>(
    net: &Net,
    host: &str,
    at: &str,
    stream: S,
    mut evidence: Vec<String>,
    local: &str,
) -> Finding
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let Ok(name) = ServerName::try_from(host.to_string()) else {
        return judged(
            at,
            Severity::High,
            format!("{host} is not a usable host name"),
            "",
            evidence,
        );
    };
    let config = match ClientConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()
    {
        Ok(builder) => builder
            .with_root_certificates(net.roots())
            .with_no_client_auth(),
        Err(err) => return inconclusive(CHECK, at, Cause::CouldNotStart, err.to_string()),
    };
    let connector = TlsConnector::from(Arc::new(config));
    let handshake = tokio::time::timeout(step_timeout(net), connector.connect(name, stream)).await;
    let tls = match handshake {
        Ok(Ok(tls)) => tls,
        Ok(Err(err)) => return tls_failed(host, at, &err, evidence),
        Err(_) => {
            return inconclusive(
                CHECK,
                at,
                Cause::TimedOut,
                format!(
                    "{host} did not finish the TLS handshake within {} s",
                    step_timeout(net).as_secs()
                ),
            )
        }
    };
    let version = tls
        .get_ref()
        .1
        .protocol_version()
        .map_or_else(|| "unknown".to_string(), |v| format!("{v:?}"));
    evidence.push(format!("STARTTLS: {version}, certificate valid for {host}"));
    let mut conn = BufReader::new(tls);
    if let Ok((code, _)) = command(&mut conn, &format!("EHLO {local}"), step_timeout(net)).await {
        evidence.push(format!("EHLO over TLS → {code}"));
    }
    let _ = command(&mut conn, "QUIT", step_timeout(net)).await;
    judged(
        at,
        Severity::Pass,
        format!("{host} accepts mail over STARTTLS ({version})"),
        "",
        evidence,
    )
}

fn tls_failed(host: &str, at: &str, err: &std::io::Error, evidence: Vec<String>) -> Finding {
    let inner = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    let (title, detail) = match inner {
        Some(rustls::Error::InvalidCertificate(why)) => (
            format!("{host}'s STARTTLS certificate is not valid: {}", describe(why)),
            "Senders still deliver (STARTTLS is opportunistic), but none can be sure it reaches you, and MTA-STS in enforce mode would stop mail. Serve a certificate for this name from a public CA.".to_string(),
        ),
        Some(rustls::Error::PeerIncompatible(_)) | Some(rustls::Error::AlertReceived(_)) => (
            format!("{host} offers no TLS 1.2 or newer for STARTTLS"),
            format!("The handshake failed ({err}); TLS 1.0 and 1.1 are deprecated (RFC 8996)."),
        ),
        _ => (
            format!("{host}'s STARTTLS handshake failed"),
            format!("The handshake failed: {err}."),
        ),
    };
    judged(at, Severity::Medium, title, detail, evidence)
}

fn unreachable(at: &str, port: u16, why: &str) -> Finding {
    let hint = if port == 25 {
        " Port 25 is blocked on many home and cloud networks: this says nothing about the mail host. Run the check from a network that allows outgoing port 25 (a server, CI runner or office line)."
    } else {
        ""
    };
    inconclusive(
        CHECK,
        at,
        Cause::Unreachable,
        format!("{at} could not be reached: {why}.{hint}"),
    )
}

fn judged(
    at: &str,
    severity: Severity,
    title: impl Into<String>,
    detail: impl Into<String>,
    evidence: Vec<String>,
) -> Finding {
    let mut f = finding(CHECK, at, severity, title, detail);
    f.evidence = evidence;
    f
}

/// Why no reply could be read.
#[derive(Debug)]
enum Reply {
    Closed,
    Silent,
    Garbled(String),
}

/// Sends `line` and reads the reply.
async fn command<S>(
    conn: &mut BufReader<S>,
    line: &str,
    wait: Duration,
) -> Result<(u16, Vec<String>), Reply>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let sent = conn
        .get_mut()
        .write_all(format!("{line}\r\n").as_bytes())
        .await;
    if sent.is_err() || conn.get_mut().flush().await.is_err() {
        return Err(Reply::Closed);
    }
    reply(conn, wait).await
}

/// Reads one reply: lines `ddd-text` until `ddd text` (RFC 5321 §4.2.1).
async fn reply<S>(conn: &mut BufReader<S>, wait: Duration) -> Result<(u16, Vec<String>), Reply>
where
    S: AsyncRead + Unpin,
{
    let mut lines = Vec::new();
    let mut budget = MAX_REPLY;
    loop {
        let mut line = String::new();
        let read = tokio::time::timeout(wait, (&mut *conn).take(budget).read_line(&mut line)).await;
        let n = match read {
            Err(_) => return Err(Reply::Silent),
            Ok(Err(_)) | Ok(Ok(0)) => return Err(Reply::Closed),
            Ok(Ok(n)) => n,
        };
        budget = budget.saturating_sub(n as u64);
        let text = line.trim_end_matches(['\r', '\n']);
        let code = text.get(..3).and_then(|c| c.parse::<u16>().ok());
        let (Some(code), sep) = (code, text.as_bytes().get(3).copied()) else {
            return Err(Reply::Garbled(format!(
                "It answered {:?}, which is not an SMTP reply.",
                crate::checks::http::redact::cut(text)
            )));
        };
        lines.push(text.get(4..).unwrap_or_default().to_string());
        match sep {
            Some(b'-') if budget > 0 => continue,
            _ => return Ok((code, lines)),
        }
    }
}

/// The EHLO keywords (upper-case), from every line but the first.
fn keywords(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_ascii_uppercase)
        .collect()
}

fn first(lines: &[String]) -> String {
    crate::checks::http::redact::cut(lines.first().map(String::as_str).unwrap_or_default())
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
