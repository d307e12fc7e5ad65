//! What `cors.policy` tries and how it reads the answers: the hostile
//! origins (the attacker, `null`, and look-alikes of the apex and of every
//! configured origin) and the verdict on one answer's CORS headers.

use handover_model::Severity;
use url::Url;

/// The attacker's site used in probes.
pub const EVIL: &str = "evil.example";

/// The label put in front of a host for prefix and subdomain look-alikes.
pub const EVIL_LABEL: &str = "evil";

/// What a response to a hostile `Origin` allows, least bad first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CorsVerdict {
    /// The origin is not allowed.
    Refused,
    /// `Access-Control-Allow-Origin: *` without credentials.
    Wildcard,
    /// `*` together with `Access-Control-Allow-Credentials: true`, which
    /// browsers refuse: a misconfiguration rather than an open door.
    WildcardWithCredentials,
    /// The origin is echoed back, without credentials.
    Reflected,
    /// The origin is echoed back and credentials are allowed.
    ReflectedWithCredentials,
}

impl CorsVerdict {
    /// How bad it is.
    pub fn severity(self) -> Severity {
        match self {
            CorsVerdict::Refused => Severity::Pass,
            CorsVerdict::Wildcard => Severity::Low,
            CorsVerdict::WildcardWithCredentials => Severity::Medium,
            CorsVerdict::Reflected => Severity::High,
            CorsVerdict::ReflectedWithCredentials => Severity::Blocker,
        }
    }

    /// A short description for evidence and titles.
    pub fn describe(self) -> &'static str {
        match self {
            CorsVerdict::Refused => "refused",
            CorsVerdict::Wildcard => "allowed by *",
            CorsVerdict::WildcardWithCredentials => "allowed by * with credentials",
            CorsVerdict::Reflected => "reflected",
            CorsVerdict::ReflectedWithCredentials => "reflected with credentials",
        }
    }
}

/// Judges the CORS headers sent back to a request from `origin`.
pub fn judge(
    origin: &str,
    allow_origin: Option<&str>,
    allow_credentials: Option<&str>,
) -> CorsVerdict {
    let credentials = allow_credentials.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    match allow_origin.map(str::trim) {
        Some("*") if credentials => CorsVerdict::WildcardWithCredentials,
        Some("*") => CorsVerdict::Wildcard,
        Some(echo) if echo.eq_ignore_ascii_case(origin) && credentials => {
            CorsVerdict::ReflectedWithCredentials
        }
        Some(echo) if echo.eq_ignore_ascii_case(origin) => CorsVerdict::Reflected,
        _ => CorsVerdict::Refused,
    }
}

/// Whether a configured origin may call the API.
pub fn accepted(origin: &str, allow_origin: Option<&str>) -> bool {
    allow_origin.is_some_and(|v| {
        v.trim() == "*" || v.trim().eq_ignore_ascii_case(origin.trim_end_matches('/'))
    })
}

/// The look-alikes of one configured origin that loose matching lets
/// through: suffix (`https://app.example.com.evil.example`), prefix
/// (`https://evilapp.example.com`), the `http://` downgrade and a
/// subdomain (`https://evil.app.example.com`); the port is kept. Empty for
/// what is not an http(s) origin.
pub fn look_alikes(origin: &str) -> Vec<String> {
    let Some((scheme, host, port)) = Url::parse(origin).ok().and_then(|u| {
        let host = u.host_str()?.to_string();
        let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
        matches!(u.scheme(), "http" | "https").then(|| (u.scheme().to_string(), host, port))
    }) else {
        return Vec::new();
    };
    let mut out = vec![
        format!("{scheme}://{host}.{EVIL}{port}"),
        format!("{scheme}://{EVIL_LABEL}{host}{port}"),
    ];
    if scheme == "https" {
        out.push(format!("http://{host}{port}"));
    }
    out.push(format!("{scheme}://{EVIL_LABEL}.{host}{port}"));
    out
}

/// The hostile origins tried: the attacker's site, `null`, the apex's
/// suffix and prefix look-alikes, then every [`look_alikes`] of each
/// configured origin — without repeats, and never a configured origin.
pub fn hostile_origins(apex: &str, configured: &[String]) -> Vec<String> {
    let mut candidates = vec![
        format!("https://{EVIL}"),
        "null".to_string(),
        format!("https://{apex}.{EVIL}"),
        format!("https://{EVIL_LABEL}{apex}"),
    ];
    candidates.extend(configured.iter().flat_map(|o| look_alikes(o)));
    let mut out: Vec<String> = Vec::new();
    for origin in candidates {
        let trusted = configured.iter().any(|c| c.eq_ignore_ascii_case(&origin));
        if !trusted && !out.iter().any(|o| o.eq_ignore_ascii_case(&origin)) {
            out.push(origin);
        }
    }
    out
}
