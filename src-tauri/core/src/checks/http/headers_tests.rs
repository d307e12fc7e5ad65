//! Requests and responses carry `http::HeaderMap`s: names case-insensitive,
//! repeated headers kept apart, bytes HTTP cannot carry refused.

use super::*;

fn response(headers: HeaderMap) -> Response {
    Response {
        url: Url::parse("https://app.example.test/").unwrap(),
        status: 200,
        headers,
        body: Vec::new(),
        truncated: false,
        timed_out: false,
        ttfb_ms: 1,
        total_ms: 1,
        past_invalid_certificate: None,
    }
}

#[test]
fn repeated_headers_stay_apart_and_names_match_in_any_case() {
    let mut headers = HeaderMap::new();
    for cookie in ["a=1; Secure", "b=2; HttpOnly"] {
        headers.append("set-cookie", HeaderValue::from_static(cookie));
    }
    headers.insert("content-type", HeaderValue::from_static("text/html"));
    let r = response(headers);
    assert_eq!(
        r.header_all("Set-Cookie").collect::<Vec<_>>(),
        ["a=1; Secure", "b=2; HttpOnly"]
    );
    assert_eq!(r.header("CONTENT-TYPE"), Some("text/html"));
    assert_eq!(r.mime(), "text/html");
}

#[test]
fn a_value_that_is_not_ascii_is_not_judged_but_shows_in_evidence() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-frame-options",
        HeaderValue::from_bytes("DENY\u{e9}".as_bytes()).unwrap(),
    );
    let r = response(headers);
    assert_eq!(r.header("x-frame-options"), None);
    let evidence = r.evidence("GET", &["x-frame-options"]);
    assert!(
        evidence
            .iter()
            .any(|l| l.contains("x-frame-options") && l.contains("DENY")),
        "{evidence:?}"
    );
}

#[test]
fn request_headers_http_cannot_carry_are_left_out() {
    let url = Url::parse("https://api.example.test/").unwrap();
    let request = Request::get(url)
        .header("Origin", "https://app.example.test")
        .header("bad name", "x")
        .header("x-ok", "line\r\nInjected: 1")
        .header("accept", "a")
        .header("Accept", "b");
    assert_eq!(request.headers.len(), 3, "{:?}", request.headers);
    assert_eq!(request.headers["origin"], "https://app.example.test");
    assert_eq!(request.headers.get_all("accept").iter().count(), 2);
    assert!(request.headers.get("x-ok").is_none());
}
