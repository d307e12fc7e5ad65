//! `ratelimit.login` and `ratelimit.chat`: a bounded burst against the
//! endpoint must meet a 429 (RFC 6585 §4), and the limit must lift once the
//! advertised wait is over.
//!
//! Each endpoint of the role gets [`BURST`] requests spread evenly over
//! [`BURST_WINDOW`] on [`CONNECTIONS`] connections ([`super::burst`]), with
//! its method, body and headers as configured: a sign-in POST whose body
//! holds a wrong password is exactly what a password-guessing script
//! sends. Verdict: no 429 is high; a 5xx under the burst is high too, and
//! worse than no limit (the service fails instead of refusing); a 429
//! passes, with how many requests got through first, its `Retry-After`
//! and the rate-limit headers as evidence. Then, after the `Retry-After`
//! wait (at most [`RECOVERY_CAP`]; [`DEFAULT_WAIT`] when none is sent),
//! exactly one more request: still 429 is medium.
//!
//! Not probed: limits keyed per account rather than per client (one
//! client is all Handover is), limits wider than [`BURST`] per
//! [`BURST_WINDOW`] (reported as no limit, with any quota the headers
//! advertise), and whether the 429 page reads well (its start is shown).
//!
//! The burst is load, so it runs only when the person running the audit
//! asked for load probes ([`CheckTarget::load_probes`]).

use std::time::{Duration, Instant};

use handover_model::{Cause, Endpoint, EndpointRole, Finding};

use super::burst::{self, Plan, Shot};
use super::headers::{retry_after_of, RetryAfter};
use super::verdict::judge;
use crate::checks::credentials::CredentialError;
use crate::checks::http::Method;
use crate::checks::net::Net;
use crate::checks::web::{host_for_role, url_for};
use crate::checks::{inconclusive, CheckDef, CheckTarget};

/// The sign-in check's id.
pub const LOGIN: &str = "ratelimit.login";
/// The chat check's id.
pub const CHAT: &str = "ratelimit.chat";
/// Requests in the burst.
pub const BURST: usize = 30;
/// The burst is spread evenly over this long.
pub const BURST_WINDOW: Duration = Duration::from_secs(2);
/// Connections the burst is spread over.
pub const CONNECTIONS: usize = 5;
/// Deadline of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest `Retry-After` waited for before the recovery request.
pub const RECOVERY_CAP: Duration = Duration::from_secs(10);
/// The wait before the recovery request when the 429 names none.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// How long one check may take: per endpoint a burst, its slowest answer,
/// the wait and one more request, with room for a second endpoint.
pub const DEADLINE: Duration = Duration::from_secs(90);

/// The waits of a run (tests shorten them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    /// The longest `Retry-After` honoured.
    pub cap: Duration,
    /// The wait when no `Retry-After` came.
    pub default: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Self {
            cap: RECOVERY_CAP,
            default: DEFAULT_WAIT,
        }
    }
}

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef::new(LOGIN, |n, t| {
            Box::pin(check(n, t, EndpointRole::Login, Waits::default()))
        })
        .only_if(|t| has(t, EndpointRole::Login), "a login endpoint")
        .deadline(DEADLINE),
        CheckDef::new(CHAT, |n, t| {
            Box::pin(check(n, t, EndpointRole::Chat, Waits::default()))
        })
        .only_if(|t| has(t, EndpointRole::Chat), "a chat endpoint")
        .deadline(DEADLINE),
    ]
}

fn has(target: &CheckTarget, role: EndpointRole) -> bool {
    target.endpoints.iter().any(|e| e.role == role)
}

/// The check id for `role`'s rate limit.
pub fn id_for(role: EndpointRole) -> &'static str {
    if role == EndpointRole::Chat {
        CHAT
    } else {
        LOGIN
    }
}

/// The burst plan for `endpoint` at `url`, as configured (its headers and
/// credential, see [`crate::checks::credentials`]); fails only when its
/// credential could not be read.
pub fn plan_for(
    target: &CheckTarget,
    endpoint: &Endpoint,
    url: url::Url,
) -> Result<Plan, CredentialError> {
    Ok(Plan {
        method: Method::from_bytes(endpoint.method.as_str().as_bytes()).unwrap_or(Method::GET),
        url,
        headers: target.credentials.request_headers(endpoint)?,
        body: (!endpoint.body.is_empty()).then(|| endpoint.body.clone().into_bytes()),
        requests: BURST,
        window: BURST_WINDOW,
        connections: CONNECTIONS,
        timeout: REQUEST_TIMEOUT,
    })
}

/// Probes every `role` endpoint of `target`, one after the other (they may
/// share one limiter), waiting per `waits`.
pub async fn check(
    net: &Net,
    target: &CheckTarget,
    role: EndpointRole,
    waits: Waits,
) -> Vec<Finding> {
    let id = id_for(role);
    let mut findings = Vec::new();
    for endpoint in target.endpoints.iter().filter(|e| e.role == role) {
        let host = host_for_role(target, role.as_str());
        let Some(url) = url_for(target, "https", &host, &endpoint.path) else {
            continue;
        };
        if !target.load_probes {
            findings.push(inconclusive(
                id,
                url.as_str(),
                Cause::CouldNotStart,
                format!(
                    "the rate-limit probe sends a burst of up to {BURST} requests in {} s to this \
                     endpoint (with its configured method and body), so it runs only when asked: \
                     `handover check --load`, or \"Run load probes\" in the window",
                    BURST_WINDOW.as_secs()
                ),
            ));
            continue;
        }
        if let Some(ip) = net.private_address(&host).await {
            findings.push(inconclusive(
                id,
                url.as_str(),
                Cause::CouldNotStart,
                format!("{host} resolves to the private address {ip}; Handover does not send load there"),
            ));
            continue;
        }
        let sent = match plan_for(target, endpoint, url.clone()) {
            Ok(plan) => burst::run(net, &plan)
                .await
                .map(|report| (plan, report))
                .map_err(|e| e.to_string()),
            Err(err) => Err(err.to_string()),
        };
        let (plan, report) = match sent {
            Ok(sent) => sent,
            Err(reason) => {
                findings.push(inconclusive(id, url.as_str(), Cause::CouldNotStart, reason));
                continue;
            }
        };
        let recovery = match report.first_429() {
            Some(limited) => Some(recover(net, &plan, limited, waits).await),
            None => None,
        };
        findings.push(judge(id, role, &plan, &report, recovery.as_ref()));
    }
    findings
}

/// The request after the wait, and how long was waited.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// How long Handover waited after the first 429's answer.
    pub waited: Duration,
    /// What the 429 asked for, if it parsed.
    pub asked: Option<RetryAfter>,
    /// Whether the ask was longer than the cap.
    pub capped: bool,
    /// The answer to the one request after the wait.
    pub shot: Shot,
}

/// Waits as the 429 asked (within `waits`), then sends one request.
async fn recover(net: &Net, plan: &Plan, limited: &Shot, waits: Waits) -> Recovery {
    let asked = retry_after_of(&limited.headers);
    let wanted = asked.map_or(waits.default, RetryAfter::wait);
    let waited = wanted.min(waits.cap);
    tokio::time::sleep(waited).await;
    let shot = match net.load_client() {
        Ok(client) => burst::send(&client, plan, plan.requests, Instant::now()).await,
        Err(err) => Shot {
            index: plan.requests,
            sent_at: Duration::ZERO,
            status: None,
            headers: Default::default(),
            body: String::new(),
            error: Some(err.to_string()),
        },
    };
    Recovery {
        waited,
        asked,
        capped: wanted > waits.cap,
        shot,
    }
}
