//! The verdict on one endpoint's burst and recovery (see [`super::limit`]):
//! a 5xx before any 429 is high, no 429 is high, a 429 passes unless the
//! limit is still there after the advertised wait (medium).

use std::time::Duration;

use handover_model::{Cause, EndpointRole, Finding, Severity};
use time::OffsetDateTime;

use super::burst::{Plan, Report};
use super::headers::{quotas, retry_after_of, RetryAfter};
use super::limit::Recovery;
use crate::checks::http::request_line;
use crate::checks::{finding, inconclusive, measure};

/// The finding for one endpoint's burst (and recovery, after a 429).
pub fn judge(
    id: &str,
    role: EndpointRole,
    plan: &Plan,
    report: &Report,
    recovery: Option<&Recovery>,
) -> Finding {
    let at = plan.url.as_str();
    let name = role.as_str();
    let sent = report.shots.len();
    let answered = report.shots.iter().filter(|s| s.status.is_some()).count();
    let mut evidence = vec![
        request_line(plan.method.as_str(), &plan.url),
        format!(
            "burst: {sent} of {} requests sent over {:.1} s on {} connections ({}), each once; \
             statuses: {}",
            plan.requests,
            report.elapsed.as_secs_f64(),
            plan.connections.min(plan.requests),
            match &plan.body {
                Some(b) => format!("the configured body, {} bytes", b.len()),
                None => "no body".into(),
            },
            report.statuses()
        ),
    ];
    let server_error = report.shots.iter().find(|s| s.is_server_error());
    let limited = report.first_429();
    // The headers of the most telling answer: the 429, else the last one.
    let telling = limited
        .or(server_error)
        .or_else(|| report.shots.iter().rev().find(|s| s.status.is_some()));
    let advertised = telling
        .map(|s| quotas(&s.headers, OffsetDateTime::now_utc()))
        .unwrap_or_default();
    let mut measured = vec![
        measure("sent", sent as f64, ""),
        measure("answered", answered as f64, ""),
    ];
    if let Some(shot) = server_error.filter(|s| limited.is_none_or(|l| s.index < l.index)) {
        let mut f = finding(
            id,
            at,
            Severity::High,
            format!(
                "{name} answers 5xx under a burst of {} requests",
                plan.requests
            ),
            "The endpoint fails instead of refusing: a burst any script can send breaks it for \
             everyone, which is worse than having no limit. Put a rate limiter in front of it \
             that answers 429.",
        );
        evidence.push(format!(
            "request {} answered {} after {} answers",
            shot.index + 1,
            shot.status.unwrap_or_default(),
            report
                .shots
                .iter()
                .filter(|s| s.index < shot.index && s.status.is_some())
                .count()
        ));
        f.evidence = evidence;
        f.measured = measured;
        return f;
    }
    let Some(limited) = limited else {
        if answered == 0 {
            let why = report
                .shots
                .iter()
                .find_map(|s| s.error.clone())
                .unwrap_or_else(|| "no request was sent".into());
            return inconclusive(
                id,
                at,
                Cause::Unreachable,
                format!("no request of the burst got an answer: {why}"),
            );
        }
        if answered < sent {
            let why = report
                .shots
                .iter()
                .find_map(|s| s.error.clone())
                .unwrap_or_default();
            return inconclusive(
                id,
                at,
                Cause::Unreachable,
                format!(
                    "{} of {sent} requests got no answer and none a 429 ({why}); a limiter that \
                     drops connections cannot be told from a server that gives up",
                    sent - answered
                ),
            );
        }
        let wide = advertised.iter().find(|q| q.limit.is_some());
        let title = match wide {
            Some(q) => format!(
                "{name} was not limited by {sent} requests in {} s (it advertises {})",
                plan.window.as_secs(),
                q.describe()
            ),
            None => format!(
                "{name} has no rate limit: {sent} requests in {} s all answered",
                plan.window.as_secs()
            ),
        };
        let mut f = finding(id, at, Severity::High, title, advice(role));
        evidence.extend(advertised.iter().map(|q| q.describe()));
        f.evidence = evidence;
        f.measured = measured;
        return f;
    };
    let before = limited.index;
    evidence.push(format!(
        "the first 429 answered request {} ({before} got through before it), {:.1} s into the burst",
        before + 1,
        limited.sent_at.as_secs_f64()
    ));
    measured.push(measure("passed_before_429", before as f64, ""));
    for name in ["retry-after", "ratelimit", "ratelimit-policy"] {
        for v in limited.headers.get_all(name) {
            evidence.push(crate::checks::http::redact(
                name,
                &String::from_utf8_lossy(v.as_bytes()),
            ));
        }
    }
    match retry_after_of(&limited.headers) {
        Some(r) => {
            evidence.push(format!(
                "Retry-After asks for {} s ({})",
                r.wait().as_secs_f64().ceil(),
                if matches!(r, RetryAfter::Seconds(_)) {
                    "delta-seconds"
                } else {
                    "an HTTP-date"
                }
            ));
            measured.push(measure("retry_after_s", r.wait().as_secs_f64(), "s"));
        }
        None if limited.headers.contains_key("retry-after") => {
            evidence.push("Retry-After is neither seconds nor an HTTP-date".into())
        }
        None => evidence.push("no Retry-After: clients are not told when to try again".into()),
    }
    for q in &advertised {
        evidence.push(q.describe());
        if let Some(l) = q.limit {
            measured.push(measure("limit", l as f64, ""));
        }
        if let Some(r) = q.remaining {
            measured.push(measure("remaining", r as f64, ""));
        }
        if let Some(t) = q.reset {
            measured.push(measure("reset_s", t as f64, "s"));
        }
    }
    let text = limited.body.trim();
    if !text.is_empty() {
        evidence.push(crate::checks::http::redact::cut(&format!(
            "429 body: {text}"
        )));
    }
    let Some(rec) = recovery else {
        let mut f = finding(
            id,
            at,
            Severity::Pass,
            format!("{name} is rate limited: 429 after {before} requests"),
            "",
        );
        f.evidence = evidence;
        f.measured = measured;
        return f;
    };
    let waited = secs(rec.waited);
    evidence.push(match (&rec.asked, rec.capped) {
        (Some(_), true) => format!("waited {waited} s (the advertised wait is longer; Handover waits at most that), then sent one request"),
        (Some(_), false) => format!("waited the advertised {waited} s, then sent one request"),
        (None, _) => format!("waited {waited} s (no Retry-After), then sent one request"),
    });
    measured.push(measure("waited_s", rec.waited.as_secs_f64(), "s"));
    let (severity, title, detail) = match (rec.shot.status, &rec.shot.error) {
        (Some(429), _) if rec.capped => (
            Severity::Pass,
            format!("{name} is rate limited: 429 after {before} requests (still limited after {waited} s, within its longer Retry-After)"),
            String::new(),
        ),
        (Some(429), _) => (
            Severity::Medium,
            match rec.asked {
                Some(_) => format!("{name} is still limited after the advertised wait ({waited} s)"),
                None => format!("{name} is still limited {waited} s after the first 429 (no Retry-After)"),
            },
            "The limit does not lift when the client is told it will (or no wait is named): \
             people locked out keep being refused. Make Retry-After match the limiter's window."
                .to_string(),
        ),
        (Some(status), _) => {
            evidence.push(format!("after the wait: → {status}"));
            (
                Severity::Pass,
                format!("{name} is rate limited: 429 after {before} requests, lifted after {waited} s"),
                String::new(),
            )
        }
        (None, error) => {
            evidence.push(format!(
                "after the wait the request got no answer: {}",
                error.clone().unwrap_or_default()
            ));
            (
                Severity::Pass,
                format!("{name} is rate limited: 429 after {before} requests (whether it lifts could not be checked)"),
                String::new(),
            )
        }
    };
    if rec.shot.status == Some(429) {
        evidence.push("after the wait: → 429".into());
    }
    let mut f = finding(id, at, severity, title, detail);
    f.evidence = evidence;
    f.measured = measured;
    f
}

/// Seconds for a title: `1`, `0.5`.
fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 0.05 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

fn advice(role: EndpointRole) -> &'static str {
    if role == EndpointRole::Chat {
        "Every chat message costs model tokens: one script in a loop can spend the budget or the \
         provider quota for everyone. Limit chat per user and answer 429 with Retry-After."
    } else {
        "Nothing slows down password guessing. Limit failed sign-ins per client and per account, \
         answering 429 with Retry-After."
    }
}
