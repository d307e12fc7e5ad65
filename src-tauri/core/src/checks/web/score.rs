//! The header score: one number and letter per host, so founders can
//! compare with the public checkers they already know.
//!
//! # How the score is made
//!
//! A host starts at 100 points and loses points for each weakness. Each
//! test counts once, with its worst outcome:
//!
//! | test | outcome | points |
//! |---|---|---|
//! | Content-Security-Policy | none enforced | −25 |
//! | | scripts unrestricted, or `'unsafe-inline'` | −20 |
//! | | `'unsafe-eval'` | −10 |
//! | plain HTTP | answers without sending the visitor to HTTPS | −20 |
//! | session cookies | one lacks `Secure` | −40 |
//! | | one lacks `HttpOnly` | −30 |
//! | framing | neither `frame-ancestors` nor `X-Frame-Options` | −20 |
//! | MIME sniffing | no `X-Content-Type-Options: nosniff` | −5 |
//! | HSTS | missing, or shorter than a year | −20 |
//!
//! A host that has kept 90 points or more earns 10 extra points for each
//! cross-origin isolation header it sends (`Cross-Origin-Resource-Policy`,
//! `-Opener-Policy`, `-Embedder-Policy`); below 90 these bonuses are
//! withheld, so polish never hides a real gap. The score never drops under 0.
//!
//! The letter comes from the score rounded down to a multiple of 5:
//! 100 and up A+, 90 A, 85 A−, 80 B+, 70 B, 65 B−, 60 C+, 50 C, 45 C−,
//! 40 D+, 30 D, 25 D−, anything lower F. These weights and bands follow the
//! MDN HTTP Observatory, so a founder sees the same grade there; the CORS
//! deduction it also makes belongs to `cors.policy`, which reports it on
//! the API host.

use super::cookies::SetCookie;
use super::policy::{framing_protected, nosniff, Csp, Hsts};

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
/// HSTS missing or under a year.
pub const HSTS_WEAK: i32 = -20;
/// Each isolation header, once the score is 90 or more.
pub const ISOLATION_BONUS: i32 = 10;
/// Bonuses count only from this score.
pub const BONUS_FLOOR: i32 = 90;

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
pub fn score(headers: &[(String, String)], redirects_to_https: bool) -> (u8, &'static str) {
    let card = score_card(headers, redirects_to_https);
    (card.score, card.grade)
}

/// Like [`score`], with the adjustments for evidence.
pub fn score_card(headers: &[(String, String)], redirects_to_https: bool) -> ScoreCard {
    let all = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let first = |name: &str| all(name).first().copied();
    let mut adjustments = Vec::new();

    let csp = all("content-security-policy");
    let policies: Vec<Csp> = csp.iter().map(|v| Csp::parse(v)).collect();
    if policies.is_empty() {
        adjustments.push((CSP_MISSING, "no Content-Security-Policy"));
    } else if policies
        .iter()
        .all(|p| p.scripts_from_anywhere() || p.allows_inline_scripts())
    {
        adjustments.push((
            CSP_UNSAFE_INLINE,
            "CSP allows inline or unrestricted scripts",
        ));
    } else if policies.iter().all(Csp::allows_eval) {
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
    if !first("strict-transport-security").is_some_and(|v| Hsts::parse(v).long_enough()) {
        adjustments.push((HSTS_WEAK, "HSTS missing or shorter than a year"));
    }

    let mut total = 100 + adjustments.iter().map(|(p, _)| p).sum::<i32>();
    if total >= BONUS_FLOOR {
        for (name, why) in [
            (
                "cross-origin-resource-policy",
                "Cross-Origin-Resource-Policy set",
            ),
            (
                "cross-origin-opener-policy",
                "Cross-Origin-Opener-Policy set",
            ),
            (
                "cross-origin-embedder-policy",
                "Cross-Origin-Embedder-Policy set",
            ),
        ] {
            if first(name).is_some() {
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
        assert_eq!(score(&[], false), (10, "F"));
        assert_eq!(score(&[], true), (30, "D"));
    }

    #[test]
    fn a_strong_host_is_an_a_plus_and_earns_bonuses() {
        assert_eq!(score(&h(&STRONG), true), (100, "A+"));
        let mut more = h(&STRONG);
        more.extend(h(&[
            ("cross-origin-opener-policy", "same-origin"),
            ("cross-origin-resource-policy", "same-origin"),
        ]));
        assert_eq!(score(&more, true), (120, "A+"));
    }

    #[test]
    fn bonuses_are_withheld_below_ninety() {
        let mut headers = h(&STRONG[1..]);
        headers.push(("cross-origin-opener-policy".into(), "same-origin".into()));
        // No CSP (−25) and therefore no framing protection (−20): 55, no bonus.
        let card = score_card(&headers, true);
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
        assert_eq!(score(&headers, true), (40, "D+"));
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
