//! The header score: one number and letter per host — Handover's own,
//! modelled on the MDN HTTP Observatory's weights but **not** the
//! Observatory's score, so the two can differ (see below).
//!
//! # How the score is made
//!
//! A host's *landed page* (its `/` after same-site redirects) starts at 100
//! points and loses points for each weakness. Each test counts once, with
//! its worst outcome:
//!
//! | test | outcome | points |
//! |---|---|---|
//! | Content-Security-Policy | none enforced (headers or `<meta>`) | −25 |
//! | | scripts unrestricted, or `'unsafe-inline'` that no nonce or hash neutralises | −20 |
//! | | `'unsafe-eval'` | −10 |
//! | plain HTTP | answers without sending the visitor to HTTPS | −20 |
//! | session cookies | one lacks `Secure` | −40 |
//! | | one lacks `HttpOnly` | −30 |
//! | framing | neither `frame-ancestors` (header) nor `X-Frame-Options` | −20 |
//! | MIME sniffing | no `X-Content-Type-Options: nosniff` | −5 |
//! | HSTS | missing, invalid, or shorter than a year | −20 |
//!
//! A page that has kept 90 points or more earns 10 extra points for each
//! cross-origin isolation header it sends with a *restrictive* value:
//! `Cross-Origin-Opener-Policy: same-origin`,
//! `Cross-Origin-Resource-Policy: same-origin` or `same-site`,
//! `Cross-Origin-Embedder-Policy: require-corp` or `credentialless`
//! (`unsafe-none`, `cross-origin` and `same-origin-allow-popups` earn
//! nothing). Below 90 these bonuses are withheld, so polish never hides a
//! real gap. The score never drops under 0.
//!
//! The letter comes from the score rounded down to a multiple of 5:
//! 100 and up A+, 90 A, 85 A−, 80 B+, 70 B, 65 B−, 60 C+, 50 C, 45 C−,
//! 40 D+, 30 D, 25 D−, anything lower F (the Observatory's bands).
//!
//! # Where it differs from the Observatory
//!
//! Handover does not claim the Observatory's number. On purpose:
//! - HSTS needs a year (the Observatory accepts six months) and is read per
//!   RFC 6797, so `max-age = 63072000` is valid here (the Observatory calls
//!   it invalid);
//! - deletion cookies (past `Expires`, `Max-Age=0`) are not graded;
//! - a strict CSP (nonce or hash with `'strict-dynamic'`) is not penalised
//!   for the fallbacks CSP3 browsers ignore;
//! - the CORS deduction belongs to `cors.policy`, and the Observatory's
//!   other tests (referrer policy, subresource integrity, HSTS preload
//!   bonuses and so on) are not scored.

use super::cookies::SetCookie;
use super::policy::{framing_protected, nosniff, policies, Csp, Hsts};
use crate::checks::http::HeaderMap;

/// No enforced CSP.
pub const CSP_MISSING: i32 = -25;
/// Scripts unrestricted or `'unsafe-inline'`.
pub const CSP_UNSAFE_INLINE: i32 = -20;
/// `'unsafe-eval'`.
pub const CSP_UNSAFE_EVAL: i32 = -10;
/// Plain HTTP does not redirect to HTTPS.
pub const NO_HTTPS_REDIRECT: i32 = -20;
/// A session cookie without `Secure`.
pub const SESSION_NOT_SECURE: i32 = -40;
/// A session cookie without `HttpOnly`.
pub const SESSION_NOT_HTTPONLY: i32 = -30;
/// Framing allowed.
pub const NO_FRAMING_PROTECTION: i32 = -20;
/// No `nosniff`.
pub const NO_NOSNIFF: i32 = -5;
/// HSTS missing, invalid or under a year.
pub const HSTS_WEAK: i32 = -20;
/// Each isolation header, once the score is 90 or more.
pub const ISOLATION_BONUS: i32 = 10;
/// Bonuses count only from this score.
pub const BONUS_FLOOR: i32 = 90;

/// The isolation headers, the values that earn the bonus, and why.
pub const ISOLATION: [(&str, &[&str], &str); 3] = [
    (
        "cross-origin-resource-policy",
        &["same-origin", "same-site"],
        "Cross-Origin-Resource-Policy is restrictive",
    ),
    (
        "cross-origin-opener-policy",
        &["same-origin"],
        "Cross-Origin-Opener-Policy is same-origin",
    ),
    (
        "cross-origin-embedder-policy",
        &["require-corp", "credentialless"],
        "Cross-Origin-Embedder-Policy is restrictive",
    ),
];

/// Grade bands: lowest score (a multiple of 5) for each letter.
const BANDS: [(i32, &str); 12] = [
    (100, "A+"),
    (90, "A"),
    (85, "A−"),
    (80, "B+"),
    (70, "B"),
    (65, "B−"),
    (60, "C+"),
    (50, "C"),
    (45, "C−"),
    (40, "D+"),
    (30, "D"),
    (25, "D−"),
];

/// A host's score with the reasons behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreCard {
    /// 0 … 130.
    pub score: u8,
    /// The letter, e.g. `B+`.
    pub grade: &'static str,
    /// Each adjustment made, e.g. `(-25, "no Content-Security-Policy")`.
    pub adjustments: Vec<(i32, &'static str)>,
}

impl ScoreCard {
    /// `72/100 (B)` for details.
    pub fn summary(&self) -> String {
        format!("{}/100 ({})", self.score, self.grade)
    }
}

/// The score and grade of a response's headers (lower-case names);
/// `redirects_to_https` says whether plain HTTP sends visitors to HTTPS.
pub fn score(headers: &HeaderMap, redirects_to_https: bool) -> (u8, &'static str) {
    let card = score_card(headers, &[], redirects_to_https);
    (card.score, card.grade)
}

/// Like [`score`], with the page's `<meta>` CSP policies and the
/// adjustments for evidence.
pub fn score_card(headers: &HeaderMap, meta_csp: &[String], redirects_to_https: bool) -> ScoreCard {
    let all = |name: &str| -> Vec<&str> {
        headers
            .get_all(name)
            .into_iter()
            .filter_map(|v| v.to_str().ok())
            .collect()
    };
    let first = |name: &str| all(name).first().copied();
    let mut adjustments = Vec::new();

    let csp = all("content-security-policy");
    let mut enforced: Vec<Csp> = policies(&csp);
    enforced.extend(policies(meta_csp));
    if enforced.is_empty() {
        adjustments.push((CSP_MISSING, "no Content-Security-Policy"));
    } else if enforced
        .iter()
        .all(|p| p.scripts_from_anywhere() || p.allows_inline_scripts())
    {
        adjustments.push((
            CSP_UNSAFE_INLINE,
            "CSP allows inline or unrestricted scripts",
        ));
    } else if enforced.iter().all(Csp::allows_eval) {
        adjustments.push((CSP_UNSAFE_EVAL, "CSP allows eval()"));
    }
    if !redirects_to_https {
        adjustments.push((NO_HTTPS_REDIRECT, "plain HTTP does not redirect to HTTPS"));
    }
    let sessions: Vec<SetCookie> = all("set-cookie")
        .into_iter()
        .filter_map(SetCookie::parse)
        .filter(|c| c.looks_like_session() && !c.deleting)
        .collect();
    if sessions.iter().any(|c| !c.secure) {
        adjustments.push((SESSION_NOT_SECURE, "a session cookie lacks Secure"));
    } else if sessions.iter().any(|c| !c.http_only) {
        adjustments.push((SESSION_NOT_HTTPONLY, "a session cookie lacks HttpOnly"));
    }
    if !framing_protected(&csp, first("x-frame-options")) {
        adjustments.push((NO_FRAMING_PROTECTION, "no framing protection"));
    }
    if !nosniff(first("x-content-type-options")) {
        adjustments.push((NO_NOSNIFF, "no X-Content-Type-Options: nosniff"));
    }
    if !first("strict-transport-security")
        .is_some_and(|v| Hsts::parse(v).is_ok_and(|h| h.long_enough()))
    {
        adjustments.push((HSTS_WEAK, "HSTS missing, invalid or shorter than a year"));
    }

    let mut total = 100 + adjustments.iter().map(|(p, _)| p).sum::<i32>();
    if total >= BONUS_FLOOR {
        for (name, good, why) in ISOLATION {
            if first(name).is_some_and(|v| restrictive(v, good)) {
                adjustments.push((ISOLATION_BONUS, why));
                total += ISOLATION_BONUS;
            }
        }
    }
    let score = total.clamp(0, 130) as u8;
    ScoreCard {
        score,
        grade: grade(score),
        adjustments,
    }
}

/// Whether an isolation header's value (before any `;` parameters, such as
/// `report-to`) is one of `good`.
fn restrictive(value: &str, good: &[&str]) -> bool {
    let token = value.split(';').next().unwrap_or_default().trim();
    good.iter().any(|g| token.eq_ignore_ascii_case(g))
}

/// The letter for a score.
pub fn grade(score: u8) -> &'static str {
    let rounded = i32::from(score) / 5 * 5;
    BANDS
        .iter()
        .find(|(floor, _)| rounded >= *floor)
        .map_or("F", |(_, letter)| letter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::http::{HeaderName, HeaderValue};

    fn map(pairs: &[(String, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (n, v) in pairs {
            map.append(
                HeaderName::from_bytes(n.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        map
    }

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    const STRONG: [(&str, &str); 4] = [
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        ),
        (
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        ),
        ("x-content-type-options", "nosniff"),
        (
            "set-cookie",
            "__Host-session=1; Secure; HttpOnly; SameSite=Lax; Path=/",
        ),
    ];

    #[test]
    fn bare_headers_lose_every_point_they_can() {
        // −25 CSP, −20 redirect, −20 framing, −5 nosniff, −20 HSTS = 10.
        assert_eq!(score(&HeaderMap::new(), false), (10, "F"));
        assert_eq!(score(&HeaderMap::new(), true), (30, "D"));
    }

    #[test]
    fn a_strong_host_is_an_a_plus_and_earns_bonuses() {
        assert_eq!(score(&map(&h(&STRONG)), true), (100, "A+"));
        let mut more = h(&STRONG);
        more.extend(h(&[
            ("cross-origin-opener-policy", "same-origin"),
            ("cross-origin-resource-policy", "same-origin"),
        ]));
        assert_eq!(score(&map(&more), true), (120, "A+"));
    }

    #[test]
    fn bonuses_are_withheld_below_ninety() {
        let mut headers = h(&STRONG[1..]);
        headers.push(("cross-origin-opener-policy".into(), "same-origin".into()));
        // No CSP (−25) and therefore no framing protection (−20): 55, no bonus.
        let card = score_card(&map(&headers), &[], true);
        assert_eq!((card.score, card.grade), (55, "C"));
        assert!(card.adjustments.iter().all(|(p, _)| *p < 0));
    }

    #[test]
    fn each_test_counts_once_with_its_worst_outcome() {
        let mut headers = h(&STRONG);
        headers[0].1 =
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'; frame-ancestors 'none'".into();
        headers[3].1 = "session=1; SameSite=Lax".into();
        headers.push(("set-cookie".into(), "auth=2; Secure".into()));
        // −20 (inline, not also −10 for eval) and −40 (Secure, not also −30).
        assert_eq!(score(&map(&headers), true), (40, "D+"));
    }

    #[test]
    fn only_restrictive_isolation_values_earn_bonuses() {
        let mut loose = h(&STRONG);
        loose.extend(h(&[
            ("cross-origin-opener-policy", "unsafe-none"),
            ("cross-origin-resource-policy", "cross-origin"),
            ("cross-origin-embedder-policy", "unsafe-none"),
        ]));
        assert_eq!(score(&map(&loose), true), (100, "A+"));
        let mut strict = h(&STRONG);
        strict.extend(h(&[
            (
                "cross-origin-opener-policy",
                "same-origin; report-to=\"coop\"",
            ),
            ("cross-origin-resource-policy", "Same-Site"),
            ("cross-origin-embedder-policy", "credentialless"),
        ]));
        assert_eq!(score(&map(&strict), true), (130, "A+"));
        let popups = h(&[("cross-origin-opener-policy", "same-origin-allow-popups")]);
        let mut with_popups = h(&STRONG);
        with_popups.extend(popups);
        assert_eq!(score(&map(&with_popups), true), (100, "A+"));
    }

    #[test]
    fn strict_and_meta_policies_and_rfc_hsts_count() {
        let mut headers = h(&STRONG);
        headers[0].1 =
            "script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'; frame-ancestors 'none'"
                .into();
        headers[1].1 = "max-age = \"63072000\"; includeSubDomains".into();
        assert_eq!(score(&map(&headers), true), (100, "A+"));
        headers[1].1 = "max-age=63072000; max-age=63072000".into();
        assert_eq!(
            score(&map(&headers), true),
            (80, "B+"),
            "a duplicate max-age is invalid"
        );
        // A meta policy replaces a missing header CSP, not frame-ancestors.
        let no_csp = h(&STRONG[1..]);
        let card = score_card(&map(&no_csp), &["default-src 'self'".to_string()], true);
        assert_eq!(
            (card.score, card.grade),
            (80, "B+"),
            "{:?}",
            card.adjustments
        );
    }

    #[test]
    fn grade_bands_round_down_to_fives() {
        let cases = [
            (130, "A+"),
            (100, "A+"),
            (99, "A"),
            (90, "A"),
            (89, "A−"),
            (85, "A−"),
            (84, "B+"),
            (80, "B+"),
            (79, "B"),
            (70, "B"),
            (69, "B−"),
            (65, "B−"),
            (64, "C+"),
            (60, "C+"),
            (59, "C"),
            (50, "C"),
            (49, "C−"),
            (45, "C−"),
            (44, "D+"),
            (40, "D+"),
            (39, "D"),
            (30, "D"),
            (29, "D−"),
            (25, "D−"),
            (24, "F"),
            (0, "F"),
        ];
        for (score, letter) in cases {
            assert_eq!(grade(score), letter, "score {score}");
        }
    }
}
