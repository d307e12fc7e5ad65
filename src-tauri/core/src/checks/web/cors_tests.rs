use super::*;

#[test]
fn verdicts_follow_the_owasp_cases() {
    let o = "https://evil.example";
    assert_eq!(judge(o, None, None), CorsVerdict::Refused);
    assert_eq!(
        judge(o, Some("https://app.example.test"), Some("true")),
        CorsVerdict::Refused
    );
    assert_eq!(judge(o, Some("*"), None), CorsVerdict::Wildcard);
    assert_eq!(
        judge(o, Some("*"), Some("true")),
        CorsVerdict::WildcardWithCredentials
    );
    assert_eq!(judge(o, Some(o), Some("false")), CorsVerdict::Reflected);
    assert_eq!(
        judge(o, Some(o), Some("TRUE")),
        CorsVerdict::ReflectedWithCredentials
    );
    assert_eq!(judge("null", Some("null"), None), CorsVerdict::Reflected);
}

#[test]
fn severities_rank_reflection_above_a_refused_wildcard() {
    let order = [
        (CorsVerdict::Refused, Severity::Pass),
        (CorsVerdict::Wildcard, Severity::Low),
        (CorsVerdict::WildcardWithCredentials, Severity::Medium),
        (CorsVerdict::Reflected, Severity::High),
        (CorsVerdict::ReflectedWithCredentials, Severity::Blocker),
    ];
    for pair in order.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{pair:?}");
    }
    for (verdict, severity) in order {
        assert_eq!(verdict.severity(), severity, "{verdict:?}");
    }
}

#[test]
fn each_look_alike_kind_is_built_from_an_origin() {
    assert_eq!(
        look_alikes("https://app.example.com"),
        [
            "https://app.example.com.evil.example",
            "https://evilapp.example.com",
            "http://app.example.com",
            "https://evil.app.example.com",
        ]
    );
    assert_eq!(
        look_alikes("https://admin.example.com:8443"),
        [
            "https://admin.example.com.evil.example:8443",
            "https://eviladmin.example.com:8443",
            "http://admin.example.com:8443",
            "https://evil.admin.example.com:8443",
        ]
    );
    // Already plain HTTP: nothing to downgrade.
    assert_eq!(
        look_alikes("http://localhost:3000"),
        [
            "http://localhost.evil.example:3000",
            "http://evillocalhost:3000",
            "http://evil.localhost:3000",
        ]
    );
    assert!(look_alikes("null").is_empty());
    assert!(look_alikes("ftp://files.example.com").is_empty());
}

#[test]
fn hostile_origins_cover_every_configured_origin_but_never_trust_it() {
    assert_eq!(
        hostile_origins("example.test", &[]),
        [
            "https://evil.example",
            "null",
            "https://example.test.evil.example",
            "https://evilexample.test"
        ]
    );
    let configured = [
        "https://app.example.test".to_string(),
        "http://app.example.test".to_string(),
        "https://admin.example.test".to_string(),
    ];
    let origins = hostile_origins("example.test", &configured);
    assert_eq!(
        origins[4..],
        [
            "https://app.example.test.evil.example",
            "https://evilapp.example.test",
            // `http://app.example.test` is configured: trusted, not tried.
            "https://evil.app.example.test",
            "http://app.example.test.evil.example",
            "http://evilapp.example.test",
            "http://evil.app.example.test",
            "https://admin.example.test.evil.example",
            "https://eviladmin.example.test",
            "http://admin.example.test",
            "https://evil.admin.example.test",
        ]
    );
}

#[test]
fn configured_origins_must_match_exactly_or_by_wildcard() {
    assert!(accepted(
        "https://app.example.test",
        Some("https://app.example.test")
    ));
    assert!(accepted(
        "https://app.example.test/",
        Some("https://app.example.test")
    ));
    assert!(accepted("https://app.example.test", Some("*")));
    assert!(!accepted(
        "https://app.example.test",
        Some("https://example.test")
    ));
    assert!(!accepted("https://app.example.test", None));
}

#[test]
fn a_preflight_counts_only_with_an_ok_status() {
    assert!(ProbeKind::Preflight.status_counts(204));
    assert!(!ProbeKind::Preflight.status_counts(404));
    assert!(ProbeKind::Simple.status_counts(404));
}

#[test]
fn api_urls_come_from_api_hosts_and_roles() {
    let t = CheckTarget {
        apex: "example.test".into(),
        hosts: vec!["example.test".into(), "api.example.test".into()],
        paths: vec![
            ("chat".into(), "/v1/chat".into()),
            ("login".into(), "/login".into()),
        ],
        ..CheckTarget::default()
    };
    let urls: Vec<String> = api_urls(&t).iter().map(Url::to_string).collect();
    assert_eq!(
        urls,
        [
            "https://api.example.test/",
            "https://api.example.test/v1/chat"
        ]
    );
}
