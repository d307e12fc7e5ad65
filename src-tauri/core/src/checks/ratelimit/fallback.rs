//! `chat.fallback`: when the model fails, the chat endpoint still answers —
//! within [`CHAT_TIMEOUT`], with something to show (any status, a body that
//! is not empty).
//!
//! The endpoint's configured request (its headers, body and credential)
//! is sent with the project's failure trigger ([`FailureTrigger`]: headers
//! added, optionally another body); a project that names none gets the
//! convention [`FAULT_HEADER`]`: `[`FAULT_VALUE`], which Handover's test
//! bed honours. A test or staging deployment makes the model call time out
//! (or fail) when it sees the trigger, so this probe sees the fallback
//! path; a deployment that ignores it is probed on its normal path, which
//! must answer in time as well. Production should ignore the trigger.
//!
//! Here, unlike everywhere else in Handover, running out of time is the
//! failure under test, not a reason to say "could not check": a chat that
//! holds the connection open without answering is exactly the hang users
//! see as a spinner that never stops. So no answer within the timeout is a
//! blocker; an answer with an empty body is high (the UI has nothing to
//! show next to its retry button); a connection that cannot be made at all
//! is inconclusive. A stream counts as an answer once its first body bytes
//! arrive in time.
//!
//! Exactly one request per chat endpoint, never retried, so no consent to
//! load probes is needed; a POST is still sent once, and the evidence says
//! so. Not probed: whether the text is plain language, whether the UI
//! shows a retry button, whether the error is logged.

use std::time::{Duration, Instant};

use handover_model::{Cause, Endpoint, EndpointRole, FailureTrigger, Finding, Severity};

use super::burst::{describe, refused};
use super::limit::plan_for;
use crate::checks::http::{request_line, HeaderName, HeaderValue};
use crate::checks::net::Net;
use crate::checks::web::{host_for_role, url_for};
use crate::checks::{finding, inconclusive, measure, CheckDef, CheckTarget};

/// The check's id.
pub const CHECK: &str = "chat.fallback";
/// How long the chat may take to answer the failing request.
pub const CHAT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default failure trigger's header and value (defined with the
/// trigger in the model).
pub use handover_model::auth::{FAULT_HEADER, FAULT_VALUE};
/// Most body bytes read (enough to know the answer is not empty).
pub const BODY_CAP: usize = 64 * 1024;

pub(super) fn checks() -> Vec<CheckDef> {
    vec![
        CheckDef::new(CHECK, |n, t| Box::pin(check(n, t, CHAT_TIMEOUT)))
            .only_if(
                |t| t.endpoints.iter().any(|e| e.role == EndpointRole::Chat),
                "a chat endpoint",
            )
            .deadline(CHAT_TIMEOUT + Duration::from_secs(15)),
    ]
}

/// Sends every chat endpoint its failing request at once, each allowed
/// `timeout` to answer.
pub async fn check(net: &Net, target: &CheckTarget, timeout: Duration) -> Vec<Finding> {
    let mut probes = Vec::new();
    for endpoint in target
        .endpoints
        .iter()
        .filter(|e| e.role == EndpointRole::Chat)
    {
        probes.push(one(net, target, endpoint, timeout));
    }
    futures_util::future::join_all(probes)
        .await
        .into_iter()
        .flatten()
        .collect()
}

/// The finding for one chat endpoint (`None` when it makes no URL).
async fn one(
    net: &Net,
    target: &CheckTarget,
    endpoint: &Endpoint,
    timeout: Duration,
) -> Option<Finding> {
    let host = host_for_role(target, EndpointRole::Chat.as_str());
    let url = url_for(target, "https", &host, &endpoint.path)?;
    if let Some(ip) = net.private_address(&host).await {
        return Some(inconclusive(
            CHECK,
            url.as_str(),
            Cause::CouldNotStart,
            format!("{host} resolves to the private address {ip}; Handover does not send requests there"),
        ));
    }
    let plan = match plan_for(target, endpoint, url.clone()) {
        Ok(plan) => plan,
        Err(err) => {
            return Some(inconclusive(
                CHECK,
                url.as_str(),
                Cause::CouldNotStart,
                err.to_string(),
            ))
        }
    };
    let trigger = target.chat_failure.clone().unwrap_or_default();
    Some(probe(net, plan, &trigger, timeout).await)
}

/// What one failing request got.
enum Answer {
    /// A status and the body as far as it was read within the deadline.
    Answered {
        status: u16,
        body: usize,
        head: Duration,
        total: Duration,
    },
    /// Nothing usable (or only a head with no body bytes) by the deadline.
    Hung { status: Option<u16> },
    /// The connection failed.
    Failed { refused: bool, reason: String },
}

/// Applies `trigger` to `plan`: its headers replace configured ones of the
/// same name, its body (when it has one) replaces the endpoint's. Returns
/// how the evidence describes it.
fn trigger_on(plan: &mut super::burst::Plan, trigger: &FailureTrigger) -> String {
    let mut said = Vec::new();
    for header in &trigger.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(header.name.as_bytes()),
            HeaderValue::from_str(&header.value),
        ) {
            said.push(format!("{}: {}", header.name, header.value));
            plan.headers.insert(name, value);
        }
    }
    if !trigger.body.trim().is_empty() {
        plan.body = Some(trigger.body.clone().into_bytes());
        said.push(format!("the trigger's body ({} bytes)", trigger.body.len()));
    }
    said.join(", ")
}

async fn probe(
    net: &Net,
    mut plan: super::burst::Plan,
    trigger: &FailureTrigger,
    timeout: Duration,
) -> Finding {
    let at = plan.url.to_string();
    let with = trigger_on(&mut plan, trigger);
    let client = match net.load_client() {
        Ok(c) => c,
        Err(err) => return inconclusive(CHECK, at, Cause::CouldNotStart, err.to_string()),
    };
    let answer = send(&client, &plan, timeout).await;
    let secs = timeout.as_secs();
    let mut evidence = vec![
        request_line(plan.method.as_str(), &plan.url),
        format!("sent once with {with} (the failure trigger: a test deployment makes its model call fail on it), {secs} s allowed; not retried"),
    ];
    if plan.method != reqwest::Method::GET && plan.method != reqwest::Method::HEAD {
        evidence.push(format!(
            "a {} with the configured body: the chat may have handled it as one real message",
            plan.method
        ));
    }
    let (severity, title, detail, measured) = match answer {
        Answer::Failed { refused, reason } => {
            let why = if refused {
                format!("the connection was refused: {reason}")
            } else {
                format!("no connection: {reason}")
            };
            return inconclusive(CHECK, at, Cause::Unreachable, why);
        }
        Answer::Hung { status } => {
            evidence.push(match status {
                Some(s) => format!("→ {s}, then no body byte within {secs} s"),
                None => format!("no response within {secs} s"),
            });
            (
                Severity::Blocker,
                format!("chat hangs: no answer within {secs} s"),
                "When the model is slow or down, the chat keeps people waiting with nothing on \
                 screen. Put a timeout on the model call and answer with a plain-language error \
                 the UI can show next to a retry button.",
                vec![measure("timeout_s", timeout.as_secs_f64(), "s")],
            )
        }
        Answer::Answered {
            status,
            body,
            head,
            total,
        } => {
            evidence.push(format!(
                "→ {status} in {} ms, {body} body bytes in {} ms",
                head.as_millis(),
                total.as_millis()
            ));
            let measured = vec![
                measure("answer_ms", total.as_secs_f64() * 1000.0, "ms"),
                measure("body_bytes", body as f64, "B"),
            ];
            if body == 0 {
                (
                    Severity::High,
                    format!("chat answers {status} with an empty body when the model fails"),
                    "The UI gets nothing to show: people see a blank reply. Answer with a short \
                     plain-language error (and keep the status honest).",
                    measured,
                )
            } else {
                (
                    Severity::Pass,
                    format!(
                        "chat answers within {secs} s when the model fails ({status} in {:.1} s)",
                        total.as_secs_f64()
                    ),
                    "",
                    measured,
                )
            }
        }
    };
    let mut f = finding(CHECK, at, severity, title, detail);
    f.evidence = evidence;
    f.measured = measured;
    f
}

/// Sends `plan`'s request once; the deadline covers the head and the
/// first body bytes.
async fn send(client: &reqwest::Client, plan: &super::burst::Plan, timeout: Duration) -> Answer {
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + timeout;
    let mut request = client
        .request(plan.method.clone(), plan.url.clone())
        .headers(plan.headers.clone());
    if let Some(body) = &plan.body {
        request = request.body(body.clone());
    }
    let mut response = match tokio::time::timeout_at(deadline, request.send()).await {
        Err(_) => return Answer::Hung { status: None },
        Ok(Err(err)) if err.is_timeout() => return Answer::Hung { status: None },
        Ok(Err(err)) => {
            return Answer::Failed {
                refused: refused(&err),
                reason: crate::checks::http::redact::cut(&describe(&err)),
            }
        }
        Ok(Ok(r)) => r,
    };
    let status = response.status().as_u16();
    let head = started.elapsed();
    let mut body = 0;
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            // Out of time: an answer if bytes came, else a hang.
            Err(_) if body == 0 => {
                return Answer::Hung {
                    status: Some(status),
                }
            }
            Err(_) => break,
            Ok(Ok(Some(chunk))) => {
                body += chunk.len();
                if body >= BODY_CAP {
                    break;
                }
            }
            Ok(Ok(None)) | Ok(Err(_)) => break,
        }
    }
    Answer::Answered {
        status,
        body,
        head,
        total: started.elapsed(),
    }
}
