//! The header parsers: `Retry-After`, HTTP-dates, structured fields and
//! the three rate-limit header families.

use std::time::Duration;

use super::headers::{
    http_date, ietf, quotas, retry_after, retry_after_of, Family, Quota, RetryAfter,
};
use super::sf::{parse_list, Item};
use crate::checks::http::{HeaderMap, HeaderName, HeaderValue};

fn at(text: &str) -> time::OffsetDateTime {
    http_date(text).unwrap_or_else(|| panic!("{text} parses"))
}

fn map(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (n, v) in pairs {
        h.append(
            HeaderName::from_bytes(n.as_bytes()).unwrap(),
            HeaderValue::from_str(v).unwrap(),
        );
    }
    h
}

#[test]
fn the_three_http_date_forms_name_the_same_instant() {
    let fixdate = at("Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(fixdate.unix_timestamp(), 784_111_777);
    assert_eq!(at("Sunday, 06-Nov-94 08:49:37 GMT"), fixdate);
    assert_eq!(at("Sun Nov  6 08:49:37 1994"), fixdate);
    assert_eq!(
        at("Wed, 02 Dec 2026 01:00:00 GMT").unix_timestamp(),
        1_796_173_200
    );
    for bad in [
        "",
        "yesterday",
        "Sun, 06 Nov 1994 08:49:37 PST",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
    ] {
        assert_eq!(http_date(bad), None, "{bad:?}");
    }
}

#[test]
fn retry_after_is_seconds_or_a_date_from_the_reference() {
    let now = at("Wed, 02 Dec 2026 01:00:00 GMT");
    assert_eq!(retry_after("120", now), Some(RetryAfter::Seconds(120)));
    assert_eq!(retry_after(" 0 ", now), Some(RetryAfter::Seconds(0)));
    assert_eq!(
        retry_after("Wed, 02 Dec 2026 01:00:30 GMT", now),
        Some(RetryAfter::Date(Duration::from_secs(30)))
    );
    // A date already past asks for no wait.
    assert_eq!(
        retry_after("Wed, 02 Dec 2026 00:59:00 GMT", now).map(RetryAfter::wait),
        Some(Duration::ZERO)
    );
    for bad in ["-5", "1.5", "soon", ""] {
        assert_eq!(retry_after(bad, now), None, "{bad:?}");
    }
    // The response's own Date is the reference when it sends one.
    let h = map(&[
        ("date", "Wed, 02 Dec 2026 01:00:00 GMT"),
        ("retry-after", "Wed, 02 Dec 2026 01:00:02 GMT"),
    ]);
    assert_eq!(
        retry_after_of(&h),
        Some(RetryAfter::Date(Duration::from_secs(2)))
    );
    assert_eq!(
        retry_after_of(&map(&[("retry-after", "7")])),
        Some(RetryAfter::Seconds(7))
    );
    assert_eq!(retry_after_of(&HeaderMap::new()), None);
}

#[test]
fn structured_lists_carry_items_and_parameters() {
    let list = parse_list(r#""default";r=0;t=30, "burst";r=5;t=1"#).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].item, Item::Str("default".into()));
    assert_eq!((list[0].int("r"), list[0].int("t")), (Some(0), Some(30)));
    assert_eq!(list[1].item, Item::Str("burst".into()));
    let list = parse_list(r#""peruser";q=100;w=60;qu="requests";pk=:dXNlcjE=:"#).unwrap();
    assert_eq!(
        list[0].params[2],
        ("qu".into(), Item::Str("requests".into()))
    );
    assert_eq!(
        list[0].params[3],
        ("pk".into(), Item::Bytes("dXNlcjE=".into()))
    );
    let dict = parse_list("limit=100, remaining=0, reset=30").unwrap();
    assert_eq!(dict[1].key.as_deref(), Some("remaining"));
    assert_eq!(dict[1].item, Item::Int(0));
    let tokens = parse_list("default;w=60, Token/x;flag").unwrap();
    assert_eq!(tokens[0].item, Item::Token("default".into()));
    assert_eq!(tokens[1].item, Item::Token("Token/x".into()));
    assert_eq!(tokens[1].params[0], ("flag".into(), Item::Bool(true)));
    assert_eq!(
        parse_list(r#""a\"b""#).unwrap()[0].item,
        Item::Str("a\"b".into())
    );
    for bad in [r#""open"#, "a,", "a,,b", "(1 2)", r#""x";R=1"#, "a b"] {
        assert_eq!(parse_list(bad), None, "{bad:?}");
    }
    assert_eq!(parse_list("").unwrap(), vec![]);
}

#[test]
fn ietf_headers_are_joined_by_policy_name() {
    let got = ietf(
        Some(r#""default";r=0;t=1"#),
        Some(r#""default";q=10;w=1, "daily";q=1000;w=86400"#),
    );
    assert_eq!(
        got,
        vec![
            Quota {
                family: Family::Ietf,
                policy: Some("default".into()),
                limit: Some(10),
                remaining: Some(0),
                reset: Some(1),
                window: Some(1),
            },
            Quota {
                family: Family::Ietf,
                policy: Some("daily".into()),
                limit: Some(1000),
                remaining: None,
                reset: None,
                window: Some(86400),
            },
        ]
    );
    assert_eq!(
        got[0].describe(),
        r#"RateLimit / RateLimit-Policy "default": 10 per 1 s, 0 left, resets in 1 s"#
    );
    // draft-07: a dictionary, and a policy whose item is the quota.
    let old = ietf(Some("limit=100, remaining=3, reset=20"), Some("100;w=60"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(
        (old[0].limit, old[0].remaining, old[0].reset, old[0].window),
        (Some(100), Some(3), Some(20), Some(60))
    );
    assert!(ietf(Some("((broken"), None).is_empty());
}

#[test]
fn split_and_x_headers_are_read_and_unix_resets_become_seconds() {
    let now = at("Wed, 02 Dec 2026 01:00:00 GMT");
    let unix = now.unix_timestamp() + 42;
    let h = map(&[
        ("x-ratelimit-limit", "60"),
        ("x-ratelimit-remaining", "0"),
        ("x-ratelimit-reset", &unix.to_string()),
        ("ratelimit-limit", "100, 100;w=60"),
        ("ratelimit-remaining", "99"),
        ("ratelimit-reset", "60"),
    ]);
    let got = quotas(&h, now);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].family, Family::Split);
    assert_eq!(
        (got[0].limit, got[0].remaining, got[0].reset),
        (Some(100), Some(99), Some(60))
    );
    assert_eq!(got[1].family, Family::X);
    assert_eq!(
        (got[1].limit, got[1].remaining, got[1].reset),
        (Some(60), Some(0), Some(42))
    );
    assert_eq!(
        got[1].describe(),
        "X-RateLimit-Limit / -Remaining / -Reset: limit 60, 0 left, resets in 42 s"
    );
    assert!(quotas(&map(&[("x-ratelimit-limit", "lots")]), now).is_empty());
}
