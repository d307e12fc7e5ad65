use super::*;

#[test]
fn thresholds() {
    assert_eq!(hsts(None).severity, Severity::High);
    assert_eq!(
        hsts(Some("max-age=0")).title,
        "HSTS is switched off (max-age=0)"
    );
    let short = hsts(Some("max-age=15552000; includeSubDomains"));
    assert_eq!(
        (short.severity, short.title.as_str()),
        (Severity::Medium, "HSTS lasts only 180 days")
    );
    assert_eq!(hsts(Some("max-age=300")).title, "HSTS lasts only 5 minutes");
    assert_eq!(hsts(Some("max-age=7200")).title, "HSTS lasts only 2 hours");
    assert_eq!(hsts(Some("max-age=86400")).title, "HSTS lasts only 1 day");
    assert_eq!(hsts(Some("max-age=31536000")).severity, Severity::Low);
    let parsed = Hsts::parse("max-age=63072000; includeSubDomains; preload").unwrap();
    assert!(parsed.long_enough() && parsed.include_subdomains && parsed.preload);
}

#[test]
fn rfc_6797_syntax_whitespace_quotes_and_case() {
    for ok in [
        "max-age = 31536000; includeSubDomains",
        "Max-Age=\"31536000\" ; INCLUDESUBDOMAINS",
        "  includeSubDomains;max-age=31536000;;preload; ",
        "max-age=31536000; includeSubDomains; report-uri=\"https://r.test/\"",
    ] {
        let v = hsts(Some(ok));
        assert_eq!(
            (v.severity, v.title.as_str()),
            (
                Severity::Pass,
                "HSTS is on for a year or more, subdomains included"
            ),
            "{ok}"
        );
    }
}

#[test]
fn an_overflowing_max_age_is_very_long_not_off() {
    let h = Hsts::parse("max-age=99999999999999999999999999; includeSubDomains").unwrap();
    assert!(h.overflowed && h.long_enough());
    let v = hsts(Some(
        "max-age=99999999999999999999999999; includeSubDomains",
    ));
    assert_eq!(
        (v.severity, v.title.as_str()),
        (
            Severity::Pass,
            "HSTS is on for a very long time, subdomains included"
        )
    );
}

#[test]
fn invalid_headers_are_ignored_by_browsers_and_say_why() {
    let cases = [
        (
            "max-age=31536000; max-age=60",
            HstsError::Duplicate("max-age".into()),
        ),
        (
            "max-age=31536000; includeSubDomains; includesubdomains",
            HstsError::Duplicate("includesubdomains".into()),
        ),
        ("includeSubDomains", HstsError::NoMaxAge),
        ("max-age=junk", HstsError::BadMaxAge("junk".into())),
        ("max-age=-1", HstsError::BadMaxAge("-1".into())),
        (
            "max-age=31536000; preload=yes",
            HstsError::ValueOnFlag("preload".into()),
        ),
        (
            "max-age=1, max-age=2",
            HstsError::Syntax("max-age=1, max-age=2".into()),
        ),
        (
            "max-age=\"31536000",
            HstsError::Syntax("max-age=\"31536000".into()),
        ),
    ];
    for (value, err) in cases {
        assert_eq!(Hsts::parse(value), Err(err.clone()), "{value}");
        let v = hsts(Some(value));
        assert_eq!(
            (v.severity, v.title.as_str()),
            (
                Severity::High,
                "The HSTS header is invalid, so browsers ignore it"
            ),
            "{value}"
        );
        assert!(v.detail.contains(&err.to_string()), "{}", v.detail);
    }
}
