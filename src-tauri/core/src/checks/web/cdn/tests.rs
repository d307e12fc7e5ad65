//! Unit tests of the CDN verdicts.

use super::*;

#[test]
fn cache_control_parsing() {
    let cc = CacheControl::parse("public, max-age=31536000, immutable");
    assert!(cc.public && cc.max_age == Some(31_536_000) && !cc.private);
    let cc = CacheControl::parse("Private, No-Store, s-maxage=\"60\"");
    assert!(cc.private && cc.no_store && cc.s_maxage == Some(60));
}

#[test]
fn static_assets_must_be_cacheable_for_an_hour() {
    assert_eq!(
        static_verdict(Some("public, max-age=31536000, immutable")).0,
        Severity::Pass
    );
    assert_eq!(static_verdict(Some("max-age=600")).0, Severity::Low);
    assert_eq!(static_verdict(Some("no-store")).0, Severity::Medium);
    assert_eq!(static_verdict(Some("max-age=0")).0, Severity::Medium);
    assert_eq!(static_verdict(None).0, Severity::Low);
}

#[test]
fn personal_responses_must_not_be_shared() {
    assert_eq!(
        private_verdict(Some("private, no-store"), Some("HIT")).0,
        Severity::High
    );
    assert_eq!(
        private_verdict(Some("public, max-age=60"), Some("MISS")).0,
        Severity::Medium
    );
    assert_eq!(
        private_verdict(Some("s-maxage=60"), None).0,
        Severity::Medium
    );
    assert_eq!(private_verdict(Some("max-age=60"), None).0, Severity::Low);
    assert_eq!(
        private_verdict(Some("private, no-store"), Some("DYNAMIC")).0,
        Severity::Pass
    );
    assert_eq!(
        private_verdict(None, Some("Miss from cloudfront")).0,
        Severity::Low
    );
    assert_eq!(
        private_verdict(None, Some("Hit from cloudfront")).0,
        Severity::High
    );
}

#[test]
fn cloudflare_stale_revalidated_and_updating_are_served_from_cache() {
    for status in ["HIT", "STALE", "REVALIDATED", "UPDATING"] {
        assert_eq!(
            private_verdict(Some("private, no-store"), Some(status)),
            (
                Severity::High,
                "A personal response was served from the CDN cache"
            ),
            "{status}"
        );
    }
    for status in ["MISS", "BYPASS", "DYNAMIC", "NONE"] {
        assert_eq!(
            private_verdict(Some("private, no-store"), Some(status)),
            (Severity::Pass, "Marked private / not stored"),
            "{status}"
        );
    }
    assert_eq!(
        private_verdict(Some("private, no-store"), Some("EXPIRED")).0,
        Severity::Medium
    );
}

#[test]
fn same_site_means_the_apex_or_below() {
    let u = |s: &str| Url::parse(s).unwrap();
    assert!(same_site(&u("https://example.test/a.js"), "example.test"));
    assert!(same_site(
        &u("https://cdn.example.test/a.js"),
        "example.test"
    ));
    assert!(!same_site(
        &u("https://evilexample.test/a.js"),
        "example.test"
    ));
}
