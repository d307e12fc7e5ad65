use super::*;

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
