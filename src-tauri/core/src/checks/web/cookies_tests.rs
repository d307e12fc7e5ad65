use time::macros::datetime;

use super::*;

fn parse(header: &str) -> SetCookie {
    SetCookie::parse_at(header, datetime!(2026-12-01 12:00 UTC)).expect("a cookie")
}

fn severities(header: &str) -> Vec<Severity> {
    parse(header).problems().iter().map(|p| p.0).collect()
}

#[test]
fn flags_are_parsed_case_insensitively() {
    let c = parse("sid=abc; path=/; SECURE; httponly; SameSite=Strict");
    assert_eq!(
        c,
        SetCookie {
            name: "sid".into(),
            secure: true,
            http_only: true,
            same_site: Some(SameSite::Strict),
            path: Some("/".into()),
            domain: None,
            deleting: false,
        }
    );
    assert!(c.problems().is_empty());
    assert_eq!(SetCookie::parse("no-equals-sign"), None);
    assert_eq!(SetCookie::parse("=v"), None);
    assert_eq!(parse("a=1; SameSite=Bogus").same_site, None);
}

#[test]
fn a_session_cookie_without_secure_is_high() {
    assert_eq!(
        severities("session=abc; HttpOnly; SameSite=Lax")[0],
        Severity::High
    );
    assert_eq!(severities("theme=dark; SameSite=Lax"), [Severity::Low]);
}

#[test]
fn a_readable_session_cookie_is_medium_but_csrf_tokens_are_fine() {
    assert_eq!(
        severities("auth_token=x; Secure; SameSite=Lax"),
        [Severity::Medium]
    );
    for csrf in [
        "XSRF-TOKEN=x; Secure; SameSite=Strict",
        "csrftoken=x; Secure; SameSite=Lax",
        "csrf_token=x; Secure; SameSite=Lax",
        "__RequestVerificationToken=x; Secure; SameSite=Lax",
    ] {
        assert!(severities(csrf).is_empty(), "{csrf}");
    }
}

#[test]
fn samesite_none_needs_secure() {
    assert!(severities("pref=1; SameSite=None").contains(&Severity::Medium));
}

#[test]
fn deletions_are_not_graded() {
    for gone in [
        "session=; Max-Age=0",
        "session=deleted; Max-Age=0",
        "sid=x; Max-Age=-1",
        "session=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
        "auth=x; expires=Mon, 30-Nov-2026 12:00:00 GMT",
    ] {
        let c = parse(gone);
        assert!(c.deleting && c.problems().is_empty(), "{gone}");
    }
    // Max-Age wins over Expires (RFC 6265 §5.3); a future Expires keeps it.
    for kept in [
        "session=x; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "session=x; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
        "session=x; Expires=not a date",
    ] {
        assert!(!parse(kept).deleting, "{kept}");
    }
}

#[test]
fn names_split_into_tokens() {
    let cases: [(&str, &[&str]); 8] = [
        ("ASP.NET_SessionId", &["asp", "net", "session", "id"]),
        ("PHPSESSID", &["phpsessid"]),
        (
            "next-auth.session-token",
            &["next", "auth", "session", "token"],
        ),
        ("authToken", &["auth", "token"]),
        ("JSONWebToken", &["json", "web", "token"]),
        ("sidebar_state", &["sidebar", "state"]),
        ("_rails_session", &["rails", "session"]),
        ("v2Sid", &["v2", "sid"]),
    ];
    for (name, tokens) in cases {
        assert_eq!(name_tokens(name), tokens, "{name}");
    }
}

#[test]
fn session_names_are_recognised_by_tokens_not_substrings() {
    for name in [
        "session",
        "sess",
        "sid",
        "auth",
        "token",
        "jwt",
        "connect.sid",
        "PHPSESSID",
        "JSESSIONID",
        "ASP.NET_SessionId",
        "ASPSESSIONIDQQGGQBCD",
        "laravel_session",
        "_rails_session",
        "_myapp_session",
        "next-auth.session-token",
        "__Secure-next-auth.session-token",
        "__Host-sid",
        "sessionid",
        "authToken",
        "access_token",
    ] {
        assert!(parse(&format!("{name}=1")).looks_like_session(), "{name}");
    }
    for name in [
        "possible",
        "sidebar_state",
        "authorized_theme",
        "csrftoken",
        "XSRF-TOKEN",
        "__Host-x",
        "_ga",
        "theme",
        "consideration",
    ] {
        assert!(!parse(&format!("{name}=1")).looks_like_session(), "{name}");
    }
}

#[test]
fn host_prefix_needs_secure_root_path_and_no_domain() {
    assert!(
        parse("__Host-sid=1; Secure; HttpOnly; Path=/; SameSite=Lax")
            .problems()
            .is_empty()
    );
    let cases = [
        (
            "__Host-sid=1; Secure; HttpOnly; Path=/; Domain=example.test; SameSite=Lax",
            "__Host-sid is rejected by browsers: a __Host- cookie needs no Domain (it has Domain=example.test)",
        ),
        (
            "__Host-sid=1; Secure; HttpOnly; SameSite=Lax",
            "__Host-sid is rejected by browsers: a __Host- cookie needs Path=/",
        ),
        (
            "__host-sid=1; HttpOnly; Path=/app; SameSite=Lax",
            "__host-sid is rejected by browsers: a __Host- cookie needs Secure, Path=/",
        ),
        (
            "__Secure-token=1; HttpOnly; SameSite=Lax",
            "__Secure-token is rejected by browsers: a __Secure- cookie needs Secure",
        ),
    ];
    for (header, why) in cases {
        let problems = parse(header).problems();
        assert_eq!(problems, [(Severity::Medium, why.to_string())], "{header}");
    }
    assert!(
        parse("__Secure-x=1; Secure; Domain=example.test; SameSite=Lax")
            .problems()
            .is_empty()
    );
}

#[test]
fn the_verdict_lists_deletions_apart() {
    let v = verdict(&["session=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    assert_eq!(
        (v.severity, v.title.as_str(), v.detail.as_str()),
        (
            Severity::Pass,
            "No cookies are set here, only deleted",
            "Being deleted, not graded: session."
        )
    );
    let v = verdict(&[
        "theme=dark; SameSite=Lax",
        "sid=; Max-Age=0",
        "session=abc; HttpOnly; SameSite=Lax",
    ]);
    assert_eq!(v.severity, Severity::High);
    assert_eq!(
        v.title,
        "session is sent without Secure (it can travel over plain HTTP)"
    );
    assert!(v.detail.ends_with("Being deleted, not graded: sid."));
    assert!(!v.detail.contains("abc"), "values never reach findings");
}

#[test]
fn the_verdict_takes_the_worst_cookie() {
    let v = verdict(&[
        "theme=dark; SameSite=Lax",
        "session=abc; HttpOnly; SameSite=Lax",
    ]);
    assert_eq!(v.severity, Severity::High);
    assert_eq!(
        v.title,
        "session is sent without Secure (it can travel over plain HTTP)"
    );
    assert!(v.detail.contains("theme is sent without Secure"));
}

#[test]
fn the_verdict_passes_clean_cookies() {
    assert_eq!(verdict(&[]).title, "No cookies are set here");
    let ok = verdict(&["__Host-sid=1; Secure; HttpOnly; SameSite=Strict; Path=/"]);
    assert_eq!(
        (ok.severity, ok.title.as_str(), ok.detail.as_str()),
        (
            Severity::Pass,
            "1 cookie(s), all Secure, HttpOnly where it matters, and SameSite",
            "Cookies: __Host-sid."
        )
    );
}
