use super::*;

const NONE: [&str; 0] = [];

fn header(value: &str) -> Verdict {
    csp(&[value], &NONE, false)
}

#[test]
fn parsing_keeps_the_first_directive() {
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
fn verdicts() {
    assert_eq!(csp(&[], &NONE, false).severity, Severity::Medium);
    assert!(csp(&[], &NONE, true).detail.contains("Report-Only"));
    let inline = header("default-src 'self'; script-src 'self' 'unsafe-inline'");
    assert_eq!(
        (inline.severity, inline.title.as_str()),
        (
            Severity::Medium,
            "The CSP allows inline scripts ('unsafe-inline')"
        )
    );
    assert_eq!(
        header("script-src 'self' 'unsafe-eval'").severity,
        Severity::Low
    );
    assert_eq!(
        header("frame-ancestors 'none'").title,
        "The CSP does not restrict scripts"
    );
    assert_eq!(header("script-src https:").severity, Severity::Medium);
    assert_eq!(header("default-src 'self'").severity, Severity::Pass);
}

#[test]
fn a_strict_policy_is_good_whatever_fallbacks_it_carries() {
    for value in [
        "script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'",
        "script-src 'sha256-abc=' 'strict-dynamic' http: https://cdn.test 'self'; object-src 'none'",
        "default-src 'nonce-x' 'strict-dynamic' *",
    ] {
        let v = header(value);
        assert_eq!(
            (v.severity, v.title.as_str()),
            (
                Severity::Pass,
                "A strict Content-Security-Policy (nonce or hash with 'strict-dynamic') restricts scripts"
            ),
            "{value}"
        );
    }
    // Without 'strict-dynamic', https: still lets any script in.
    assert_eq!(
        header("script-src 'nonce-x' https:").title,
        "The CSP does not restrict scripts"
    );
    // A nonce alone neutralises 'unsafe-inline' (CSP2+).
    assert_eq!(
        header("script-src 'nonce-x' 'self' 'unsafe-inline'").title,
        "A Content-Security-Policy restricts scripts"
    );
    // 'strict-dynamic' without a nonce or hash is not strict.
    assert!(!Csp::parse("script-src 'strict-dynamic' 'unsafe-inline'").is_strict());
}

#[test]
fn several_policies_intersect() {
    let both = csp(
        &["script-src 'unsafe-inline' 'self'", "script-src 'self'"],
        &NONE,
        false,
    );
    assert_eq!(both.severity, Severity::Pass);
    assert!(both.detail.contains("2 policies apply at once"));
    // One header joined with a comma is two policies too.
    let joined = header("script-src 'unsafe-inline' 'self', script-src https: 'nonce-a'");
    assert_eq!(
        joined.title, "A Content-Security-Policy restricts scripts",
        "inline is blocked by the second, any-origin by the first"
    );
    assert_eq!(
        policies(&["default-src 'self', frame-ancestors 'none',"]).len(),
        2
    );
}

#[test]
fn meta_policies_count_for_scripts_only() {
    let meta = csp(&[], &["script-src 'self'; frame-ancestors 'none'"], false);
    assert_eq!(
        (meta.severity, meta.title.as_str()),
        (
            Severity::Pass,
            "A Content-Security-Policy restricts scripts"
        )
    );
    assert!(
        meta.detail
            .contains("A <meta> CSP sets frame-ancestors, which browsers ignore there"),
        "{}",
        meta.detail
    );
    // A strict meta policy tightens a loose header policy.
    let both = csp(
        &["script-src 'self' 'unsafe-inline'"],
        &["script-src 'self'"],
        false,
    );
    assert_eq!(both.severity, Severity::Pass);
}

#[test]
fn framing_by_csp_or_x_frame_options() {
    assert!(framing_protected(&["frame-ancestors 'self'"], None));
    assert!(framing_protected(&[], Some("DENY")));
    assert!(framing_protected(&[], Some(" sameorigin ")));
    assert!(framing_protected(&[], Some("DENY, deny")));
    assert!(!framing_protected(&[], Some("DENY, SAMEORIGIN")));
    assert!(!framing_protected(&["frame-ancestors *"], None));
    // frame-ancestors, when present, overrides X-Frame-Options.
    assert!(!framing_protected(&["frame-ancestors *"], Some("DENY")));
    assert!(framing_protected(
        &["default-src 'self', frame-ancestors 'none'"],
        None
    ));
    assert!(!framing_protected(
        &["default-src 'self'"],
        Some("ALLOW-FROM https://a.test")
    ));
    assert_eq!(framing(&[], None).severity, Severity::Medium);
}
