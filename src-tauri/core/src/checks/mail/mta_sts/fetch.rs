//! Fetching the MTA-STS policy file (RFC 8461 §3.3): one HTTPS GET, no
//! redirects followed, a certificate that must be valid, `text/plain`.

use handover_model::{Cause, Finding, Severity};
use url::Url;

use super::policy::Policy;
use super::CHECK;
use crate::checks::http::{fetch, FetchError, Request};
use crate::checks::net::Net;
use crate::checks::web::url_for;
use crate::checks::{finding, inconclusive, CheckTarget};

/// Where the policy lives, under the host `mta-sts.<domain>`.
pub const POLICY_PATH: &str = "/.well-known/mta-sts.txt";

/// Most policy bytes read (senders are told to stop at 64 KiB, §3.3).
pub const MAX_POLICY_BYTES: usize = 64 * 1024;

/// The policy URL of `domain`, on the target's HTTPS port.
pub fn policy_url(target: &CheckTarget, domain: &str) -> Option<Url> {
    url_for(target, "https", &format!("mta-sts.{domain}"), POLICY_PATH)
}

/// What fetching the policy gave.
pub enum Fetched {
    /// A policy file, read, with the evidence of the exchange.
    Policy(Policy, Vec<String>),
    /// Senders cannot use what the host served: one Medium finding.
    Broken(Finding),
    /// No answer in time: unknown.
    Unanswered(Finding),
}

/// Fetches and reads the policy at `url`.
pub async fn policy(net: &Net, url: &Url) -> Fetched {
    let at = url.to_string();
    let response = match fetch(net, Request::get(url.clone()).body_limit(MAX_POLICY_BYTES)).await
    {
        Ok(response) => response,
        Err(err @ FetchError::Timeout { .. }) => {
            return Fetched::Unanswered(inconclusive(
                CHECK,
                at,
                Cause::Unreachable,
                err.to_string(),
            ))
        }
        Err(err) => {
            return Fetched::Broken(broken(
                &at,
                "MTA-STS policy could not be fetched",
                format!("{err}. Senders that find the _mta-sts record but no policy deliver as if there were no MTA-STS."),
                vec![format!("GET {at}")],
            ))
        }
    };
    let evidence = response.evidence("GET", &["content-type", "location"]);
    if let Some(reason) = &response.past_invalid_certificate {
        return Fetched::Broken(broken(
            &at,
            "MTA-STS policy host has an invalid certificate",
            format!("The certificate of {} is not valid ({reason}); senders only accept a policy over a valid certificate, so they ignore it.", url.host_str().unwrap_or_default()),
            evidence,
        ));
    }
    if response.status != 200 {
        return Fetched::Broken(broken(
            &at,
            &format!("MTA-STS policy returns {}", response.status),
            format!("{at} answered {} instead of 200 with the policy (senders do not follow redirects), so senders treat the domain as having no policy.", response.status),
            evidence,
        ));
    }
    if response.mime() != "text/plain" {
        return Fetched::Broken(broken(
            &at,
            "MTA-STS policy is not served as text/plain",
            format!("{at} is served as \"{}\"; RFC 8461 asks for text/plain and strict senders refuse anything else.", response.mime()),
            evidence,
        ));
    }
    match response.text(MAX_POLICY_BYTES) {
        Ok(body) => {
            let mut evidence = evidence;
            evidence.extend(
                body.lines()
                    .take(20)
                    .map(|l| format!("policy: {}", l.trim())),
            );
            Fetched::Policy(Policy::parse(&body), evidence)
        }
        Err(err) => Fetched::Broken(broken(
            &at,
            "MTA-STS policy could not be fetched",
            format!("The body of {at} could not be read: {err}."),
            evidence,
        )),
    }
}

/// A Medium finding about a policy senders cannot use.
fn broken(at: &str, title: &str, detail: String, evidence: Vec<String>) -> Finding {
    let mut f = finding(CHECK, at, Severity::Medium, title, detail);
    f.evidence = evidence;
    f
}
