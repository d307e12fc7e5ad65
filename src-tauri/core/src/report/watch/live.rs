//! Watch items from the live checks: the latest run's measures and
//! findings, compared with the runs before it.

use handover_model::{Finding, Risk, Run, Severity, WatchItem};

use super::{
    date_of_day, duration_text, finding_in, join_names, measure, owner_for_check, plural,
    previous_measure, risk_of_severity, trend, unicode_host, urgency_in, EXPIRY_BUCKETS,
};
use crate::report::ReportInput;
use crate::workbench::inconclusive_sentence;

/// A p95 at or above this share of its target is worth watching.
pub const LATENCY_NEAR: f64 = 0.8;

/// The live-check items of `input`; `today` is the report's day.
pub(super) fn items(input: &ReportInput, today: Option<i64>) -> Vec<WatchItem> {
    let Some(latest) = input.runs.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in latest
        .findings
        .iter()
        .filter(|f| !f.outcome.is_inconclusive())
    {
        if let Some(item) = expiry(input, f, today) {
            out.push(item);
        } else if let Some(item) = latency(input, latest, f) {
            out.push(item);
        } else if let Some(item) = mail(input, f) {
            out.push(item);
        }
    }
    let failing = super::endpoints::failures_of(input, latest);
    for f in latest.findings.iter().filter(|f| {
        f.check == "uptime.endpoints"
            && !f.outcome.is_inconclusive()
            && !failing.iter().any(|i| i.key.ends_with(&f.target))
    }) {
        out.extend(super::endpoints::slow(input, f));
    }
    out.extend(failing);
    out.extend(blocker_checks(input));
    out
}

/// Where a finding is, for people: its host in Unicode, else its target.
pub(super) fn place(f: &Finding) -> String {
    if f.host.is_empty() {
        f.target.clone()
    } else {
        unicode_host(&f.host)
    }
}

/// Days until renewal is due for `days_left`, and the bucket it enters
/// then (0: already in the last one, due now).
pub fn renewal_due(days_left: i64) -> (i64, i64) {
    EXPIRY_BUCKETS
        .iter()
        .find(|b| days_left > **b)
        .map_or((0, 0), |b| (days_left - b, *b))
}

/// A certificate (or domain) that expires within the first bucket.
fn expiry(input: &ReportInput, f: &Finding, today: Option<i64>) -> Option<WatchItem> {
    let days = measure(f, "days_left")?.round() as i64;
    if days > EXPIRY_BUCKETS[0] {
        return None;
    }
    let host = place(f);
    let what = if f.check.starts_with("tls.") {
        format!("The certificate of {host}")
    } else {
        format!("The domain {host}")
    };
    let expires = today.map(|t| date_of_day(t + days));
    let on = expires
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let title = if days <= 0 {
        format!("{what} has expired{on}")
    } else {
        format!(
            "{what} expires in {}{on}",
            plural(days as usize, "day", "days")
        )
    };
    let (until, bucket) = renewal_due(days);
    let due = today.map(|t| date_of_day(t + until));
    let threshold = if bucket > 0 {
        format!("renew before {bucket} days left")
    } else {
        "renew now".to_string()
    };
    let by = due.clone().unwrap_or_else(|| "the due date".into());
    Some(WatchItem {
        key: format!("{}:{}", f.check, f.target),
        title,
        metric: "certificate days left".into(),
        current: plural(days.max(0) as usize, "day", "days"),
        threshold,
        trend: trend(
            previous_measure(input.runs, &f.check, &f.target, "days_left"),
            days as f64,
            false,
        ),
        owner: owner_for_check(input, &f.check),
        due,
        next_action: format!(
            "Renew it or confirm automatic renewal ran by {by} → re-run the checks"
        ),
        urgency: urgency_in(until),
        risk: match days {
            d if d <= 4 => 5,
            d if d <= 13 => 4,
            d if d <= 30 => 3,
            _ => 2,
        },
    })
}

/// An endpoint role's p95 over its target, or nearing it.
fn latency(input: &ReportInput, latest: &Run, f: &Finding) -> Option<WatchItem> {
    let name = f.check.strip_prefix("latency.")?;
    let p95 = measure(f, "p95_ms")?;
    let target = measure(f, "target_ms")?;
    let over = p95 > target;
    if !over && p95 < LATENCY_NEAR * target {
        return None;
    }
    let trend = trend(
        previous_measure(input.runs, &f.check, &f.target, "p95_ms"),
        p95,
        true,
    );
    let since = match &trend {
        Some(t) if p95 > t.previous => format!(
            ", up from {} on {}",
            duration_text(t.previous),
            t.previous_date
        ),
        Some(t) if p95 < t.previous => format!(
            ", down from {} on {}",
            duration_text(t.previous),
            t.previous_date
        ),
        _ => String::new(),
    };
    let several = latest
        .findings
        .iter()
        .filter(|g| g.check == f.check)
        .count()
        > 1;
    let on = if several {
        format!(" on {}", place(f))
    } else {
        String::new()
    };
    let (now, goal) = (duration_text(p95), duration_text(target));
    let title = if over {
        format!("{name} p95{on} {now} against a {goal} target{since}")
    } else {
        format!("{name} p95{on} {now}, close to its {goal} target{since}")
    };
    let rising = trend
        .as_ref()
        .is_some_and(|t| t.direction == handover_model::TrendDirection::Worse);
    Some(WatchItem {
        key: format!("{}:{}", f.check, f.target),
        title,
        metric: format!("{name} p95"),
        current: now,
        threshold: format!("≤ {goal}"),
        trend,
        owner: owner_for_check(input, &f.check),
        due: None,
        next_action: if over {
            format!("Find where the slowest {name} requests spend their time (model call, retrieval, cold starts) → bring p95 under {goal}")
        } else {
            format!("Watch the next run; if {name} p95 keeps rising, look at the slowest requests' phases")
        },
        urgency: match (over, rising) {
            (true, _) => 2,
            (false, true) => 3,
            (false, false) => 4,
        },
        risk: if f.severity == Severity::Blocker {
            5
        } else if over {
            4
        } else {
            3
        },
    })
}

/// A mail finding worth fixing, with how long it has stood.
fn mail(input: &ReportInput, f: &Finding) -> Option<WatchItem> {
    if !f.check.starts_with("email.") || f.severity < Severity::Low {
        return None;
    }
    // The oldest run of the unbroken streak with the same finding.
    let since = input
        .runs
        .iter()
        .skip(1)
        .take_while(|run| finding_in(run, &f.check, &f.target).is_some_and(|g| g.title == f.title))
        .last()
        .map(super::run_date);
    let policy = f
        .title
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '(' || c == ')')
        .find(|w| w.starts_with("p=") || w.starts_with("sp="))
        .map(str::to_string);
    let still = if since.is_some() { "still " } else { "" };
    let streak = since
        .as_deref()
        .map(|d| format!(" (since {d})"))
        .unwrap_or_default();
    let title = match (&policy, f.check.as_str()) {
        (Some(p), "email.dmarc") => format!("DMARC for {} is {still}{p}{streak}", place(f)),
        _ => format!("{}{streak}", f.title),
    };
    Some(WatchItem {
        key: format!("{}:{}", f.check, f.target),
        title,
        metric: f.check.clone(),
        current: policy.unwrap_or_else(|| f.severity.as_str().to_string()),
        threshold: if f.check == "email.dmarc" {
            "p=quarantine or p=reject".into()
        } else {
            "passes".into()
        },
        trend: None,
        owner: owner_for_check(input, &f.check),
        due: None,
        next_action: first_sentence(&f.detail)
            .map(|s| format!("{s} → re-run the mail checks"))
            .unwrap_or_else(|| "Fix the record → re-run the mail checks".into()),
        urgency: 3,
        risk: risk_of_severity(f.severity),
    })
}

/// The first sentence of a text, if it has one.
fn first_sentence(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    Some(text[..end].trim_end_matches('.').to_string())
}

/// Checks deciding blocker items that could not judge in `run`, in run
/// order, each with its first reason.
pub fn blocker_checks_in<'r>(input: &ReportInput, run: &'r Run) -> Vec<(&'r str, &'r str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for f in run.findings.iter().filter(|f| f.outcome.is_inconclusive()) {
        let decides_blocker = input
            .catalog
            .items
            .iter()
            .any(|i| i.risk == Risk::Blocker && i.checks.contains(&f.check));
        if decides_blocker && !out.iter().any(|(c, _)| *c == f.check) {
            out.push((&f.check, f.outcome.reason().unwrap_or_default()));
        }
    }
    out
}

/// "4 blocker checks could not run in the latest run".
fn blocker_checks(input: &ReportInput) -> Option<WatchItem> {
    let latest = input.runs.first()?;
    let checks = blocker_checks_in(input, latest);
    let (first, reason) = *checks.first()?;
    let previous = input.runs.get(1).map(|run| {
        (
            blocker_checks_in(input, run).len() as f64,
            super::run_date(run),
        )
    });
    let owners = input
        .catalog
        .items
        .iter()
        .filter(|i| {
            i.risk == Risk::Blocker
                && checks
                    .iter()
                    .any(|(c, _)| i.checks.contains(&c.to_string()))
        })
        .filter_map(|i| input.items.iter().find(|s| s.item_id == i.id))
        .map(|s| s.owner.as_str());
    let names: Vec<&str> = checks.iter().map(|(c, _)| *c).collect();
    Some(WatchItem {
        key: "blocker-checks:could-not-run".into(),
        title: format!("{} in the latest run", inconclusive_sentence(checks.len())),
        metric: "blocker checks that could not run".into(),
        current: format!("{} ({})", checks.len(), names.join(", ")),
        threshold: "0: a check that could not run is never a pass".into(),
        trend: trend(previous, checks.len() as f64, true),
        owner: join_names(owners),
        due: None,
        next_action: format!("Fix what stopped {first} ({reason}) → run the checks again"),
        urgency: 1,
        risk: 5,
    })
}
