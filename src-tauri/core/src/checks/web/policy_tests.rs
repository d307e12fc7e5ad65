use super::*;

#[test]
fn hsts_thresholds() {
    assert_eq!(hsts(None).severity, Severity::High);
    assert_eq!(hsts(Some("max-age=0")).severity, Severity::High);
    assert_eq!(hsts(Some("max-age=junk")).severity, Severity::High);
    let short = hsts(Some("max-age=15552000; includeSubDomains"));
    assert_eq!(
        (short.severity, short.title.as_str()),
        (Severity::Medium, "HSTS lasts only 180 days")
    );
    assert_eq!(hsts(Some("max-age=31536000")).severity, Severity::Low);
    assert_eq!(
        hsts(Some("Max-Age=\"63072000\"; includeSubDomains; preload")).severity,
        Severity::Pass
    );
    let parsed = Hsts::parse("max-age=63072000; includeSubDomains; preload");
    assert!(parsed.long_enough() && parsed.include_subdomains && parsed.preload);
}

#[test]
fn csp_parsing_keeps_the_first_directive() {
    let csp = Csp::parse("default-src 'self'; script-src 'self' https://cdn.test; script-src *;");
    assert_eq!(
        csp.script_sources().unwrap(),
        ["'self'", "https://cdn.test"]
    );
    assert!(!csp.allows_inline_scripts());
    assert!(!csp.scripts_from_anywhere());
    let fallback = Csp::parse("default-src 'self' 'unsafe-eval'");
    assert!(fallback.allows_eval() && !fallback.allows_inline_scripts());
}

#[test]
fn csp_verdicts() {
    assert_eq!(csp(&[], false).severity, Severity::Medium);
    assert!(csp(&[], true).detail.contains("Report-Only"));
    let inline = csp(
        &["default-src 'self'; script-src 'self' 'unsafe-inline'"],
        false,
    );
    assert_eq!(
        (inline.severity, inline.title.as_str()),
        (
            Severity::Medium,
            "The CSP allows inline scripts ('unsafe-inline')"
        )
    );
    let eval = csp(&["script-src 'self' 'unsafe-eval'"], false);
    assert_eq!(eval.severity, Severity::Low);
    assert_eq!(
        csp(&["frame-ancestors 'none'"], false).title,
        "The CSP does not restrict scripts"
    );
    assert_eq!(
        csp(&["script-src https:"], false).severity,
        Severity::Medium
    );
    assert_eq!(csp(&["default-src 'self'"], false).severity, Severity::Pass);
}

#[test]
fn a_nonce_neutralises_unsafe_inline() {
    assert_eq!(
        csp(
            &["script-src 'nonce-abc' 'unsafe-inline' 'strict-dynamic'"],
            false
        )
        .severity,
        Severity::Pass
    );
}

#[test]
fn a_second_strict_policy_wins() {
    let both = csp(
        &["script-src 'unsafe-inline' 'self'", "script-src 'self'"],
        false,
    );
    assert_eq!(both.severity, Severity::Pass);
}

#[test]
fn framing_by_csp_or_x_frame_options() {
    assert!(framing_protected(&["frame-ancestors 'self'"], None));
    assert!(framing_protected(&[], Some("DENY")));
    assert!(framing_protected(&[], Some(" sameorigin ")));
    assert!(!framing_protected(&["frame-ancestors *"], None));
    assert!(!framing_protected(
        &["default-src 'self'"],
        Some("ALLOW-FROM https://a.test")
    ));
    assert_eq!(framing(&[], None).severity, Severity::Medium);
}

#[test]
fn nosniff_and_referrer() {
    assert_eq!(content_type(Some("nosniff")).severity, Severity::Pass);
    assert_eq!(content_type(Some("sniff")).severity, Severity::Low);
    assert_eq!(content_type(None).severity, Severity::Low);
    assert_eq!(referrer(None).severity, Severity::Info);
    assert_eq!(referrer(Some("unsafe-url")).severity, Severity::Low);
    assert_eq!(
        referrer(Some("no-referrer, strict-origin-when-cross-origin")).severity,
        Severity::Pass
    );
    assert_eq!(
        referrer(Some("strict-origin, made-up-policy")).severity,
        Severity::Pass
    );
}

#[test]
fn versions_in_server_headers() {
    assert_eq!(
        disclosure(&[("server", "nginx/1.25.3")]).severity,
        Severity::Low
    );
    assert_eq!(
        disclosure(&[("x-powered-by", "PHP 8.2.1")]).severity,
        Severity::Low
    );
    assert_eq!(
        disclosure(&[("server", "Microsoft-IIS/10.0")]).severity,
        Severity::Low
    );
    assert_eq!(
        disclosure(&[("server", "cloudflare")]).severity,
        Severity::Pass
    );
    assert_eq!(
        disclosure(&[("x-powered-by", "Express")]).severity,
        Severity::Info
    );
    assert_eq!(disclosure(&[]).severity, Severity::Pass);
}
