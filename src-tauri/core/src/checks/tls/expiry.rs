//! `tls.expiry`: how long the certificates of the verified path have left.
//!
//! Only the path a client actually uses counts (see [`super::path`]): an
//! extra certificate the server sends beside it — an expired cross-sign, a
//! stale intermediate — is named in the evidence and judged by `tls.chain`,
//! not here. When no path verifies, every presented certificate is judged
//! and the finding says so.
//!
//! ## Thresholds
//!
//! Long-lived certificates (and every intermediate or root): at most
//! [`BLOCKER_DAYS`] days left is a blocker, [`HIGH_DAYS`] high,
//! [`INFO_DAYS`] info — testssl.sh warns at 60 and 30 days, Hardenize
//! alerts down to 4.
//!
//! A leaf valid for at most [`SHORT_LIVED_MAX_DAYS`] days in all is
//! short-lived (ACME: Let's Encrypt's 90-day, 45-day and 6-day profiles; the
//! CA/Browser Forum caps every certificate at 100 days from March 2027).
//! Absolute thresholds would call a healthy 45-day certificate "high" for a
//! third of its life. testssl.sh halves its 60/30 days for Let's Encrypt,
//! i.e. warns at one third and one sixth of 90 days; Handover generalises
//! those fractions to any short-lived leaf: info at one third of its
//! lifetime left ([`SHORT_INFO_DIVISOR`]: renewal is due — certbot renews at
//! 30 of 90 days, cert-manager at two thirds of the duration), high at one
//! sixth ([`SHORT_HIGH_DIVISOR`]: renewal has been failing for half its
//! window), blocker at one tenth ([`SHORT_BLOCKER_DIVISOR`]: 9 days of 90,
//! 4½ of 45, 14 hours of 6 days — it lapses before a person can react).

use handover_model::{Finding, Severity};

use super::inspect::{date, now_secs, CertInfo};
use super::path::Trust;
use super::verdict::no_certificate;
use crate::checks::{finding, measure};

/// Long-lived: at most this many days left is a blocker.
pub const BLOCKER_DAYS: i64 = 7;
/// Long-lived: at most this many days left is high.
pub const HIGH_DAYS: i64 = 30;
/// Long-lived: at most this many days left is worth knowing.
pub const INFO_DAYS: i64 = 60;
/// A leaf valid for at most this many days in all is short-lived.
pub const SHORT_LIVED_MAX_DAYS: i64 = 100;
/// Short-lived: info once at most 1/this of its lifetime is left.
pub const SHORT_INFO_DIVISOR: i64 = 3;
/// Short-lived: high once at most 1/this of its lifetime is left.
pub const SHORT_HIGH_DIVISOR: i64 = 6;
/// Short-lived: blocker once at most 1/this of its lifetime is left.
pub const SHORT_BLOCKER_DIVISOR: i64 = 10;

const DAY: i64 = 86_400;

/// Whether the certificate at `index` (0: the leaf) is judged relative to
/// its lifetime.
pub fn short_lived(index: usize, info: &CertInfo) -> bool {
    index == 0 && info.lifetime_secs() <= SHORT_LIVED_MAX_DAYS * DAY
}

/// The severity of the certificate at `index` of the chain at `now`.
pub fn severity(index: usize, info: &CertInfo, now: i64) -> Severity {
    if short_lived(index, info) {
        let (left, life) = (info.not_after - now, info.lifetime_secs());
        return match left {
            l if l <= 0 || l * SHORT_BLOCKER_DIVISOR <= life => Severity::Blocker,
            l if l * SHORT_HIGH_DIVISOR <= life => Severity::High,
            l if l * SHORT_INFO_DIVISOR <= life => Severity::Info,
            _ => Severity::Pass,
        };
    }
    match info.days_left(now) {
        d if d <= BLOCKER_DAYS => Severity::Blocker,
        d if d <= HIGH_DAYS => Severity::High,
        d if d <= INFO_DAYS => Severity::Info,
        _ => Severity::Pass,
    }
}

/// `tls.expiry`: of the certificates on the verified path (or, with none,
/// of every presented one), the worst severity decides, then the fewest
/// seconds left.
pub(super) fn expiry(id: &str, at: &str, infos: &[CertInfo], trust: &Trust) -> Finding {
    let now = now_secs();
    let judged: Vec<(usize, &CertInfo)> = infos
        .iter()
        .enumerate()
        .filter(|(i, _)| trust.on_path(*i).unwrap_or(true))
        .collect();
    let extras: Vec<&CertInfo> = infos
        .iter()
        .enumerate()
        .filter(|(i, _)| trust.on_path(*i) == Some(false))
        .map(|(_, c)| c)
        .collect();
    let mut evidence: Vec<String> = judged
        .iter()
        .map(|(_, i)| {
            format!(
                "{}: expires {} ({} days left)",
                i.subject,
                date(i.not_after),
                i.days_left(now)
            )
        })
        .collect();
    evidence.extend(extras.iter().map(|i| {
        format!(
            "{}: not on the path, not judged here (expires {})",
            i.subject,
            date(i.not_after)
        )
    }));
    let basis = match trust {
        Trust::Trusted { .. } => format!(
            "Judged on the {} certificate(s) of the verified path to a trusted root.",
            judged.len()
        ),
        Trust::Untrusted { .. } => "No path to a trusted root verified (see tls.chain), so every presented certificate is judged.".to_string(),
    };
    let extra_note = if extras.is_empty() {
        String::new()
    } else {
        let names: Vec<&str> = extras.iter().map(|i| i.subject.as_str()).collect();
        format!(
            " Not on the path, so not judged here (see tls.chain): {}.",
            names.join(", ")
        )
    };
    if let Some((_, early)) = judged.iter().find(|(_, i)| i.not_before > now) {
        let mut f = finding(
            id,
            at,
            Severity::Blocker,
            format!("{}'s certificate is not valid yet", early.subject),
            format!("It is valid only from {}: browsers refuse it until then. Check the issuing system's clock, or serve the previous certificate. {basis}{extra_note}", date(early.not_before)),
        );
        f.evidence = evidence;
        return f;
    }
    let Some(&(pos, worst)) = judged
        .iter()
        .max_by_key(|(i, c)| (severity(*i, c, now), -c.not_after))
    else {
        return no_certificate(id, at);
    };
    let severity = severity(pos, worst, now);
    let days = worst.days_left(now);
    let which = match pos {
        0 => format!("{at}'s certificate"),
        _ if worst.self_issued => format!("Root certificate {}", worst.subject),
        _ => format!("Intermediate certificate {}", worst.subject),
    };
    let rule = if short_lived(pos, worst) {
        format!(
            " A {}-day certificate is judged on its lifetime: worth knowing at a third of it left, high at a sixth, a blocker at a tenth (ACME clients renew at a third).",
            worst.lifetime_secs() / DAY
        )
    } else {
        String::new()
    };
    let (title, detail) = if worst.not_after <= now {
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
            format!("It expires on {}. {advice}{rule}", date(worst.not_after)),
        )
    };
    let mut f = finding(
        id,
        at,
        severity,
        title,
        format!("{detail} {basis}{extra_note}"),
    );
    f.evidence = evidence;
    f.measured.push(measure("days_left", days as f64, "days"));
    f.measured.push(measure(
        "lifetime_days",
        (worst.lifetime_secs() / DAY) as f64,
        "days",
    ));
    f
}
