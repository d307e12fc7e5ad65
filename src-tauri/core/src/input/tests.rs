//! The input-validation table: what a founder might type, and the exact answer.

use super::*;

fn ok_domain(ascii: &str, unicode: &str) -> Result<Domain, InputError> {
    Ok(Domain {
        ascii: ascii.into(),
        unicode: unicode.into(),
    })
}

#[test]
fn domains_are_normalised_or_refused_with_the_reason() {
    let table: &[(&str, Result<Domain, InputError>)] = &[
        ("example.com", ok_domain("example.com", "example.com")),
        ("  Example.COM  ", ok_domain("example.com", "example.com")),
        (
            "app.example.com.",
            ok_domain("app.example.com", "app.example.com"),
        ),
        (
            "bücher.example",
            ok_domain("xn--bcher-kva.example", "bücher.example"),
        ),
        (
            "xn--bcher-kva.example",
            ok_domain("xn--bcher-kva.example", "bücher.example"),
        ),
        ("例え.jp", ok_domain("xn--r8jz45g.jp", "例え.jp")),
        ("", Err(InputError::Empty)),
        ("   ", Err(InputError::Empty)),
        (
            "exa mple.com",
            Err(InputError::Whitespace("exa mple.com".into())),
        ),
        (
            "https://example.com",
            Err(InputError::DomainWithScheme("https://example.com".into())),
        ),
        (
            "example.com/login",
            Err(InputError::DomainWithPath("example.com/login".into())),
        ),
        (
            "example.com:8443",
            Err(InputError::DomainWithPath("example.com:8443".into())),
        ),
        (
            "example.com?x=1",
            Err(InputError::DomainWithPath("example.com?x=1".into())),
        ),
        (
            "192.168.1.10",
            Err(InputError::DomainIsAddress("192.168.1.10".into())),
        ),
        ("10.0.0", Err(InputError::DomainIsAddress("10.0.0".into()))),
        ("::1", Err(InputError::DomainWithPath("::1".into()))),
        (
            "localhost",
            Err(InputError::NoTopLevelDomain("localhost".into())),
        ),
        (
            "example..com",
            Err(InputError::InvalidDomain("example..com".into())),
        ),
        (
            "example.com..",
            Err(InputError::InvalidDomain("example.com..".into())),
        ),
        (
            "-bad.example.com",
            Err(InputError::InvalidDomain("-bad.example.com".into())),
        ),
        (
            "under_score.example.com",
            Err(InputError::InvalidDomain("under_score.example.com".into())),
        ),
        (".", Err(InputError::InvalidDomain(".".into()))),
    ];
    for (typed, expected) in table {
        assert_eq!(&domain(typed), expected, "input {typed:?}");
    }
}

#[test]
fn overlong_names_and_labels_are_refused() {
    let label = "a".repeat(64);
    let long_label = format!("{label}.example.com");
    assert_eq!(
        domain(&long_label),
        Err(InputError::DomainTooLong(long_label.clone()))
    );
    let long_name = format!("{}example.com", "abcdefghi.".repeat(25));
    assert_eq!(
        domain(&long_name),
        Err(InputError::DomainTooLong(long_name.clone()))
    );
}

#[test]
fn base_urls_must_be_http_with_a_host_and_no_credentials() {
    assert_eq!(
        base_url("https://app.example.com").unwrap().as_str(),
        "https://app.example.com/"
    );
    assert_eq!(
        base_url(" http://staging.example.com:8080/api ")
            .unwrap()
            .as_str(),
        "http://staging.example.com:8080/api"
    );
    assert_eq!(
        base_url("https://bücher.example/").unwrap().host_str(),
        Some("xn--bcher-kva.example")
    );
    assert_eq!(base_url(""), Err(InputError::Empty));
    assert_eq!(
        base_url("ftp://example.com"),
        Err(InputError::NotHttp("ftp://example.com".into()))
    );
    assert_eq!(
        base_url("javascript:alert(1)"),
        Err(InputError::NotHttp("javascript:alert(1)".into()))
    );
    assert_eq!(
        base_url("https://admin:hunter2@example.com"),
        Err(InputError::UrlWithCredentials(
            "https://admin:hunter2@example.com".into()
        ))
    );
    assert_eq!(
        base_url("https://exa mple.com"),
        Err(InputError::Whitespace("https://exa mple.com".into()))
    );
    assert!(matches!(
        base_url("example.com"),
        Err(InputError::InvalidUrl { .. })
    ));
    assert!(matches!(
        base_url("https://example.com:99999"),
        Err(InputError::InvalidUrl { .. })
    ));
}

#[test]
fn ports_are_between_1_and_65535() {
    assert_eq!(port("443"), Ok(443));
    assert_eq!(port(" 8080 "), Ok(8080));
    assert_eq!(port("65535"), Ok(65535));
    for bad in ["0", "65536", "-1", "http", "", "80.5"] {
        assert_eq!(
            port(bad),
            Err(InputError::InvalidPort(bad.trim().into())),
            "{bad:?}"
        );
    }
}

#[test]
fn dns_servers_are_ip_with_optional_port() {
    assert_eq!(dns_server("10.0.0.2"), Ok("10.0.0.2:53".parse().unwrap()));
    assert_eq!(
        dns_server("10.0.0.2:5353"),
        Ok("10.0.0.2:5353".parse().unwrap())
    );
    assert_eq!(
        dns_server("[fd00::53]:53"),
        Ok("[fd00::53]:53".parse().unwrap())
    );
    assert_eq!(dns_server("fd00::53"), Ok("[fd00::53]:53".parse().unwrap()));
    assert_eq!(
        dns_server("10.0.0.2:0"),
        Err(InputError::InvalidPort("0".into()))
    );
    assert_eq!(
        dns_server("ns1.example.com"),
        Err(InputError::InvalidDnsServer("ns1.example.com".into()))
    );
    assert_eq!(
        dns_server("10.0.0.2:70000"),
        Err(InputError::InvalidDnsServer("10.0.0.2:70000".into()))
    );
    assert_eq!(dns_server(""), Err(InputError::Empty));
}

#[test]
fn errors_read_as_instructions() {
    let err = domain("https://example.com").unwrap_err();
    assert_eq!(
        err.to_string(),
        "\"https://example.com\" is a URL; enter only the domain, e.g. example.com"
    );
}
