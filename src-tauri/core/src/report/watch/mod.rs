//! What to watch this week: concrete items tied to real numbers of the
//! latest run ([`live`]: certificate expiry, p95 latency, mail policy,
//! endpoints that failed recent rechecks, blocker checks that could not
//! run) and to the people side ([`people`]: accounts nobody owns,
//! credentials past rotation, unverified alert contacts, open stage-6
//! items).
//!
//! Every date is computed from the report's date ([`ReportInput::date`]),
//! never from the clock, so the same data gives the same list.
//!
//! ## Urgency (1 to 4)
//!
//! - **1** — due within 7 days (or overdue), or it stops launch today (an
//!   unowned required account, a blocker check that could not run, an
//!   endpoint failing in the latest run, an open stage-6 blocker);
//! - **2** — due within 30 days, or a number already past its threshold;
//! - **3** — due later, or a standing finding to fix (mail policy, a slow
//!   endpoint);
//! - **4** — no date and nothing past a threshold yet (a number nearing it).
//!
//! ## Risk (1 to 5)
//!
//! From the finding's severity or the item's risk: blocker 5, high 4,
//! medium 3, low 2, info 1.
//!
//! ## Ranking
//!
//! `score = (5 − urgency) × risk`, from 20 (this week × blocker) down to 1;
//! ties go to the higher risk, then the earlier due date (dated before
//! undated), then the key — so the order is total and stable. Page one
//! shows the first [`PAGE_ONE`].

use handover_model::{
    Account, Finding, Risk, Run, ServiceKind, Severity, Trend, TrendDirection, WatchItem,
};

use super::ReportInput;

mod endpoints;
mod live;
mod people;
#[cfg(test)]
mod tests;

/// How many watch items page one shows; the rest go to the appendix.
pub const PAGE_ONE: usize = 10;

/// How many recent runs an endpoint's failures are counted over.
pub const HISTORY_WINDOW: usize = 7;

/// Days-left buckets of an expiry: renewal is due by the day the next
/// bucket is entered (at 60, 13 and 4 days left).
pub const EXPIRY_BUCKETS: [i64; 3] = [60, 13, 4];

const DAY_MS: i64 = 86_400_000;

/// The watch list of `input`, most urgent first (see the module's ranking).
///
/// With a date that does not parse, the items that need the calendar
/// (rotation, due dates) are left out; [`super::content::gather`] refuses
/// such a date outright.
pub fn watch_list(input: &ReportInput) -> Vec<WatchItem> {
    let today = handover_model::date::days_from_civil(input.date);
    let mut items = live::items(input, today);
    items.extend(people::items(input, today));
    rank(&mut items);
    items
}

/// An item's ranking score: `(5 − urgency) × risk`, 1 to 20.
pub fn score(item: &WatchItem) -> u32 {
    u32::from(5 - item.urgency.clamp(1, 4)) * u32::from(item.risk.clamp(1, 5))
}

/// Sorts `items` by score, then risk, then due date, then key.
pub fn rank(items: &mut [WatchItem]) {
    items.sort_by(|a, b| {
        score(b)
            .cmp(&score(a))
            .then(b.risk.cmp(&a.risk))
            .then((a.due.is_none(), &a.due).cmp(&(b.due.is_none(), &b.due)))
            .then(a.key.cmp(&b.key))
    });
}

/// The urgency of something due in `days` days (negative: overdue).
pub(crate) fn urgency_in(days: i64) -> u8 {
    match days {
        d if d <= 7 => 1,
        d if d <= 30 => 2,
        _ => 3,
    }
}

/// Risk 1 to 5 of a finding's severity.
pub(crate) fn risk_of_severity(severity: Severity) -> u8 {
    match severity {
        Severity::Blocker => 5,
        Severity::High => 4,
        Severity::Medium => 3,
        Severity::Low => 2,
        Severity::Info | Severity::Pass => 1,
    }
}

/// Risk 1 to 5 of a checklist item's risk.
pub(crate) fn risk_of_item(risk: Risk) -> u8 {
    match risk {
        Risk::Blocker => 5,
        Risk::High => 4,
        Risk::Medium => 3,
        Risk::Low => 2,
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01.
pub fn date_of_day(day: i64) -> String {
    // Julian day 2 440 588 is 1970-01-01.
    let julian = i32::try_from(day + 2_440_588).unwrap_or(0);
    match time::Date::from_julian_day(julian) {
        Ok(d) => format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()),
        Err(_) => String::new(),
    }
}

/// The day (since 1970-01-01, UTC) of a time in ms since the epoch.
pub fn day_of_ms(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The date of a run (the day it started, UTC).
pub fn run_date(run: &Run) -> String {
    date_of_day(day_of_ms(run.summary.started_ms))
}

/// A duration for people: `640 ms`, `2.8 s`.
pub fn duration_text(ms: f64) -> String {
    if ms.abs() >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// A host in its Unicode form (`xn--bcher-kva.example` → `bücher.example`).
pub fn unicode_host(host: &str) -> String {
    let (text, result) = idna::domain_to_unicode(host);
    if result.is_ok() {
        text
    } else {
        host.to_string()
    }
}

/// The value of a finding's measure `name`.
pub(crate) fn measure(finding: &Finding, name: &str) -> Option<f64> {
    finding
        .measured
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.value)
}

/// The finding of `check` on `target` in `run`.
pub(crate) fn finding_in<'r>(run: &'r Run, check: &str, target: &str) -> Option<&'r Finding> {
    run.findings
        .iter()
        .find(|f| f.check == check && f.target == target)
}

/// The measure `name` of `check` on `target` in the newest run after the
/// latest that judged it, with that run's date.
pub(crate) fn previous_measure(
    runs: &[Run],
    check: &str,
    target: &str,
    name: &str,
) -> Option<(f64, String)> {
    runs.iter().skip(1).find_map(|run| {
        let f = finding_in(run, check, target).filter(|f| !f.outcome.is_inconclusive())?;
        Some((measure(f, name)?, run_date(run)))
    })
}

/// The trend from `previous` to `current`; `higher_is_worse` says the
/// metric's direction. Within half a percent counts as the same.
pub(crate) fn trend(
    previous: Option<(f64, String)>,
    current: f64,
    higher_is_worse: bool,
) -> Option<Trend> {
    let (value, date) = previous?;
    let delta = current - value;
    let direction = if delta.abs() <= 0.005 * value.abs().max(1.0) {
        TrendDirection::Same
    } else if (delta > 0.0) == higher_is_worse {
        TrendDirection::Worse
    } else {
        TrendDirection::Better
    };
    Some(Trend {
        previous: value,
        previous_date: date,
        direction,
    })
}

/// A watched value as people read it, by the item's key (its metric's
/// unit follows from the check): `2.1 s`, `12 days`, `3`.
pub fn value_text(key: &str, value: f64) -> String {
    let check = key.split(':').next().unwrap_or_default();
    if check.starts_with("latency.") || check.ends_with(".slow") {
        duration_text(value)
    } else if check.ends_with(".expiry") {
        format!("{value:.0} days")
    } else {
        format!("{value:.0}")
    }
}

/// An item's trend as people read it, e.g. `worse (was 2.1 s on
/// 2026-11-25)`; empty without history.
pub fn trend_text(item: &WatchItem) -> String {
    let Some(trend) = &item.trend else {
        return String::new();
    };
    let was = value_text(&item.key, trend.previous);
    match trend.direction {
        TrendDirection::Worse => format!("worse (was {was} on {})", trend.previous_date),
        TrendDirection::Better => format!("better (was {was} on {})", trend.previous_date),
        TrendDirection::Same => format!("same as on {}", trend.previous_date),
    }
}

/// The service kinds whose account owner acts on a check's findings.
fn kinds_of_check(check: &str) -> &'static [ServiceKind] {
    match check.split('.').next().unwrap_or_default() {
        "dns" => &[ServiceKind::Dns],
        "tls" => &[ServiceKind::Cdn, ServiceKind::Hosting],
        "email" => &[ServiceKind::Email],
        _ => &[ServiceKind::Hosting, ServiceKind::Cdn],
    }
}

/// The first named owner of an account of one of `kinds`, in that order.
pub(crate) fn account_owner(accounts: &[Account], kinds: &[ServiceKind]) -> Option<String> {
    kinds.iter().find_map(|kind| {
        accounts
            .iter()
            .filter(|a| a.spec.kind == *kind)
            .map(|a| a.spec.owner.name.trim())
            .find(|name| !name.is_empty())
            .map(str::to_string)
    })
}

/// Who acts on a check's findings: the owner of the first checklist item
/// it decides that has one, else the owner of the account it concerns.
pub(crate) fn owner_for_check(input: &ReportInput, check: &str) -> String {
    input
        .catalog
        .items
        .iter()
        .filter(|item| item.checks.iter().any(|c| c == check))
        .find_map(|item| {
            input
                .items
                .iter()
                .find(|s| s.item_id == item.id)
                .map(|s| s.owner.trim())
                .filter(|o| !o.is_empty())
                .map(str::to_string)
        })
        .or_else(|| account_owner(input.accounts, kinds_of_check(check)))
        .unwrap_or_default()
}

/// Distinct non-empty names joined with commas, in first-seen order.
pub(crate) fn join_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for name in names.into_iter().map(str::trim) {
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out.join(", ")
}

/// "1 thing" / "3 things".
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
