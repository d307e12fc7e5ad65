//! TLS-RPT (RFC 8460 §3): TXT `_smtp._tls.<domain>` holding exactly one
//! `v=TLSRPTv1; rua=<uri>[,<uri>]` record, each URI `mailto:` or `https:`.

use crate::checks::mail::{answered, txt};
use crate::checks::net::Net;
use crate::checks::net::NetError;

/// What the TLS-RPT lookup found.
#[derive(Debug, Clone)]
pub enum TlsRpt {
    /// One valid record, as served.
    Valid(String),
    /// No `v=TLSRPTv1` record.
    Missing,
    /// A record senders cannot use, and why.
    Invalid(String),
    /// Nothing answered.
    Unanswered(NetError),
}

/// The name of the record for `domain`.
pub fn name(domain: &str) -> String {
    format!("_smtp._tls.{domain}")
}

/// Whether a TXT record is a TLS-RPT record (it starts with `v=TLSRPTv1`).
pub fn is_tlsrpt(text: &str) -> bool {
    let first = text.split(';').next().unwrap_or_default();
    matches!(first.split_once('='), Some((k, v)) if k.trim() == "v" && v.trim() == "TLSRPTv1")
}

/// Why a TLS-RPT record is unusable, if it is.
pub fn problem(text: &str) -> Option<String> {
    let rua = text
        .split(';')
        .filter_map(|f| f.split_once('='))
        .find(|(k, _)| k.trim() == "rua")
        .map(|(_, v)| v.trim());
    let Some(rua) = rua.filter(|r| !r.is_empty()) else {
        return Some("it has no rua= field".into());
    };
    let bad: Vec<&str> = rua
        .split(',')
        .map(str::trim)
        .filter(|uri| {
            let lower = uri.to_ascii_lowercase();
            !(lower.starts_with("mailto:") && uri.contains('@') || lower.starts_with("https://"))
        })
        .collect();
    if bad.is_empty() {
        None
    } else {
        Some(format!(
            "rua= names {} (only mailto: and https: destinations work)",
            bad.join(", ")
        ))
    }
}

/// Looks up and judges the TLS-RPT record of `domain`.
pub async fn lookup(net: &Net, domain: &str) -> TlsRpt {
    let all = match txt(net, &name(domain)).await {
        Ok(all) => all,
        Err(err) if answered(&err) => return TlsRpt::Missing,
        Err(err) => return TlsRpt::Unanswered(err),
    };
    let found: Vec<&String> = all.iter().filter(|t| is_tlsrpt(t)).collect();
    match found.as_slice() {
        [] => TlsRpt::Missing,
        [one] => match problem(one) {
            None => TlsRpt::Valid(one.to_string()),
            Some(why) => TlsRpt::Invalid(format!("\"{one}\": {why}")),
        },
        many => TlsRpt::Invalid(format!(
            "{} v=TLSRPTv1 records; senders use none unless there is exactly one",
            many.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_need_a_mailto_or_https_destination() {
        assert!(is_tlsrpt("v=TLSRPTv1; rua=mailto:tls@example.test"));
        assert!(!is_tlsrpt("v=STSv1; id=1"));
        assert_eq!(problem("v=TLSRPTv1; rua=mailto:tls@example.test"), None);
        assert_eq!(
            problem("v=TLSRPTv1;rua=https://reports.test/tls, mailto:a@b.test"),
            None
        );
        assert!(problem("v=TLSRPTv1").is_some());
        assert!(problem("v=TLSRPTv1; rua=ftp://x.test").is_some());
    }
}
