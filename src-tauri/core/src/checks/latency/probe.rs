//! `latency.chat`, `latency.login`, `latency.dashboard`: the chat, sign-in
//! and dashboard endpoints stay under their p95 targets with five people
//! using them at once (one check per role, so each checklist item is
//! decided by its own endpoint).
//!
//! Each endpoint gets [`DEFAULT_REQUESTS`](super::load::DEFAULT_REQUESTS)
//! requests (its method, body and headers as configured) from five
//! concurrent users, one endpoint after the other so they do not slow
//! each other down. Verdict: p95 within the project's target passes;
//! above it is high; a chat p95 of [`CHAT_BLOCKER`] or more is a blocker
//! (answers that take 4 to 8 seconds are what users give up on). More
//! than [`MAX_ERROR_RATE`] of answers failing or 5xx is high too. Each
//! finding also says how many requests opened a connection and how long
//! those connections took to open, phase by phase ([`super::phases`]).
//!
//! The probe sends hundreds of requests, so it runs only when the person
//! running the audit asked for it ([`CheckTarget::load_probes`]); until
//! then it says so instead of judging. Other checks of the same run may
//! share the endpoint while it measures: a stand-alone run measures
//! cleanest.

use std::time::Duration;

use handover_model::{Cause, EndpointRole, Finding, LatencyTarget, Severity};

use super::load::{run, Plan, Report, DEFAULT_REQUESTS, DEFAULT_USERS};
use super::stats::METHOD;
use crate::checks::http::Method;
use crate::checks::net::Net;
use crate::checks::web::{host_for_role, url_for};
use crate::checks::{finding, inconclusive, measure, CheckDef, CheckTarget};

/// The check ids, by role.
pub const CHECKS: [(&str, EndpointRole); 3] = [
    ("latency.chat", EndpointRole::Chat),
    ("latency.login", EndpointRole::Login),
    ("latency.dashboard", EndpointRole::Dashboard),
];
/// The roles measured.
pub const ROLES: [EndpointRole; 3] = [
    EndpointRole::Chat,
    EndpointRole::Login,
    EndpointRole::Dashboard,
];
/// A chat p95 at or above this is a blocker.
pub const CHAT_BLOCKER: Duration = Duration::from_secs(4);
/// Most failed or 5xx answers before the endpoint is judged failing.
pub const MAX_ERROR_RATE: f64 = 0.05;
/// How long one endpoint's probe may take.
pub const PER_ENDPOINT: Duration = Duration::from_secs(50);

pub(crate) fn checks() -> Vec<CheckDef> {
    let deadline = PER_ENDPOINT * 2 + Duration::from_secs(10);
    vec![
        CheckDef::new(CHECKS[0].0, |n, t| Box::pin(p95(n, t, EndpointRole::Chat)))
            .only_if(|t| has(t, EndpointRole::Chat), "a chat endpoint")
            .deadline(deadline),
        CheckDef::new(CHECKS[1].0, |n, t| Box::pin(p95(n, t, EndpointRole::Login)))
            .only_if(|t| has(t, EndpointRole::Login), "a login endpoint")
            .deadline(deadline),
        CheckDef::new(CHECKS[2].0, |n, t| {
            Box::pin(p95(n, t, EndpointRole::Dashboard))
        })
        .only_if(|t| has(t, EndpointRole::Dashboard), "a dashboard endpoint")
        .deadline(deadline),
    ]
}

fn has(target: &CheckTarget, role: EndpointRole) -> bool {
    target.endpoints.iter().any(|e| e.role == role)
}

/// The check id of `role`'s probe.
pub fn check_of(role: EndpointRole) -> &'static str {
    CHECKS
        .iter()
        .find(|(_, r)| *r == role)
        .map_or("latency.chat", |(id, _)| id)
}

async fn p95(net: &Net, target: &CheckTarget, role: EndpointRole) -> Vec<Finding> {
    let endpoints: Vec<_> = target.endpoints.iter().filter(|e| e.role == role).collect();
    let requests = if target.load_requests == 0 {
        DEFAULT_REQUESTS
    } else {
        target.load_requests
    };
    let mut findings = Vec::new();
    for endpoint in endpoints {
        let host = host_for_role(target, endpoint.role.as_str());
        let Some(url) = url_for(target, "https", &host, &endpoint.path) else {
            continue;
        };
        if !target.load_probes {
            findings.push(inconclusive(
                check_of(role),
                url.as_str(),
                Cause::CouldNotStart,
                format!(
                    "the latency probe sends {requests} requests from {DEFAULT_USERS} users to \
                     this endpoint, so it runs only when asked: `handover check --load`, or \
                     \"Run load probes\" in the window"
                ),
            ));
            continue;
        }
        let mut plan = Plan::get(url.clone());
        plan.method =
            Method::from_bytes(endpoint.method.as_str().as_bytes()).unwrap_or(Method::GET);
        plan.requests = requests;
        plan.budget = PER_ENDPOINT;
        plan.headers = match target.credentials.request_headers(endpoint) {
            Ok(headers) => headers,
            Err(err) => {
                findings.push(inconclusive(
                    check_of(role),
                    url.as_str(),
                    Cause::CouldNotStart,
                    err.to_string(),
                ));
                continue;
            }
        };
        if !endpoint.body.is_empty() {
            plan.body = Some(endpoint.body.clone().into_bytes());
        }
        let target_ms = target_for(&target.latency_targets, endpoint.role);
        findings.push(match run(net, &plan).await {
            Ok(report) => judge(url.as_str(), endpoint.role, target_ms, &report, requests),
            Err(err) => inconclusive(
                check_of(role),
                url.as_str(),
                Cause::CouldNotStart,
                err.to_string(),
            ),
        });
    }
    findings
}

/// Bars in the latency histogram the window draws.
pub const HISTOGRAM_BARS: usize = 20;

/// `p95_ms` with the answered requests' total times as a histogram.
fn distribution(report: &Report, p95_ms: f64) -> handover_model::Measure {
    let answered: Vec<Duration> = report
        .samples
        .iter()
        .filter(|s| s.status.is_some())
        .map(|s| s.total)
        .collect();
    let mut m = measure("p95_ms", p95_ms, "ms");
    m.bins = super::stats::histogram(&answered, HISTOGRAM_BARS)
        .into_iter()
        .map(|(upper, count)| handover_model::Bin {
            upper: upper.as_secs_f64() * 1000.0,
            count: count as u32,
        })
        .collect();
    m
}

/// The project's p95 target for `role`, else the default one, in ms.
pub fn target_for(targets: &[LatencyTarget], role: EndpointRole) -> u32 {
    targets
        .iter()
        .chain(LatencyTarget::defaults().iter())
        .find(|t| t.role == role)
        .map_or(2500, |t| t.p95_ms)
}

/// The finding for one endpoint's report.
pub fn judge(
    at: &str,
    role: EndpointRole,
    target_ms: u32,
    report: &Report,
    planned: usize,
) -> Finding {
    let answered = report.samples.len() - report.failed;
    let Some(p) = report.percentiles else {
        let reason = if answered == 0 {
            let why = report
                .samples
                .iter()
                .find_map(|s| s.error.clone())
                .unwrap_or_else(|| "no request was sent".into());
            format!(
                "none of {} requests got an answer: {why}",
                report.samples.len()
            )
        } else {
            format!(
                "only {answered} answers (of {planned} planned); no p95 is reported from fewer \
                 than {} samples",
                super::stats::MIN_SAMPLES
            )
        };
        return inconclusive(
            check_of(role),
            at,
            if answered == 0 {
                Cause::Unreachable
            } else {
                Cause::TimedOut
            },
            reason,
        );
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95_ms = ms(p.p95);
    let error_rate = report.error_rate();
    let over = p95_ms > f64::from(target_ms);
    let severity = if role == EndpointRole::Chat && p.p95 >= CHAT_BLOCKER {
        Severity::Blocker
    } else if over || error_rate > MAX_ERROR_RATE {
        Severity::High
    } else {
        Severity::Pass
    };
    let name = role.as_str();
    let title = if error_rate > MAX_ERROR_RATE && !over {
        format!(
            "{name}: {:.0} % of requests failed (p95 {p95_ms:.0} ms)",
            error_rate * 100.0
        )
    } else if over {
        format!("{name} p95 is {p95_ms:.0} ms, over its {target_ms} ms target")
    } else {
        format!("{name} p95 is {p95_ms:.0} ms, within its {target_ms} ms target")
    };
    let detail = match severity {
        Severity::Blocker => "Chat answers this slow make people give up before the assistant replies. Find where the time goes (model call, retrieval, cold starts) before launch.",
        Severity::High if over => "Under five concurrent users this endpoint is slower than the target people were promised. Look at the slowest requests' phases and the backend's logs.",
        Severity::High => "Under light load, requests fail or answer 5xx: the endpoint will fail real users.",
        _ => "",
    };
    let mut f = finding(check_of(role), at, severity, title, detail);
    let statuses: Vec<String> = report
        .statuses
        .iter()
        .map(|(s, n)| format!("{s}×{n}"))
        .collect();
    f.evidence = vec![
        format!(
            "{} requests from {DEFAULT_USERS} users in {:.1} s: p50 {:.0} ms, p90 {:.0} ms, p95 {:.0} ms, p99 {:.0} ms, max {:.0} ms ({METHOD})",
            report.samples.len(),
            report.elapsed.as_secs_f64(),
            ms(p.p50),
            ms(p.p90),
            p95_ms,
            ms(p.p99),
            ms(p.max)
        ),
        format!("statuses: {}", statuses.join(", ")),
    ];
    if report.failed > 0 {
        f.evidence
            .push(format!("{} requests got no answer", report.failed));
    }
    if report.not_sent > 0 {
        f.evidence.push(format!(
            "{} requests not sent: the probe stops after {} s",
            report.not_sent,
            PER_ENDPOINT.as_secs()
        ));
    }
    let phases = super::phases::Summary::of(report);
    f.evidence.extend(phases.evidence());
    f.measured = vec![
        measure("p50_ms", ms(p.p50), "ms"),
        measure("p90_ms", ms(p.p90), "ms"),
        distribution(report, p95_ms),
        measure("p99_ms", ms(p.p99), "ms"),
        measure("max_ms", ms(p.max), "ms"),
        measure("target_ms", f64::from(target_ms), "ms"),
        measure("error_rate", error_rate, ""),
        measure("samples", p.samples as f64, ""),
    ];
    f.measured.extend(phases.measures());
    f
}
