//! What a founder types, checked before anything is stored: domains, base
//! URLs, ports and DNS servers. Each function either returns the value in its
//! canonical form or an [`InputError`] that says what to fix.

use std::net::{IpAddr, SocketAddr};

pub mod ca;

pub use ca::{ca_bundle, CaBundle, CaFileError};

/// Longest domain name DNS can carry, in ASCII form without the root dot.
const MAX_DOMAIN_LEN: usize = 253;
/// Longest single label.
const MAX_LABEL_LEN: usize = 63;
/// The port a DNS server listens on when none is given.
const DNS_PORT: u16 = 53;

/// Why a typed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// Nothing was typed.
    #[error("enter a value")]
    Empty,
    /// Spaces inside a domain or URL.
    #[error("{0:?} contains spaces")]
    Whitespace(String),
    /// A URL was typed where a bare domain belongs.
    #[error("{0:?} is a URL; enter only the domain, e.g. example.com")]
    DomainWithScheme(String),
    /// A path, query or port was typed with a domain.
    #[error("{0:?} has a path, port or query; enter only the domain, e.g. example.com")]
    DomainWithPath(String),
    /// An IP address was typed where a domain belongs.
    #[error("{0:?} is an IP address; enter a domain name")]
    DomainIsAddress(String),
    /// The name cannot be converted to its ASCII (punycode) form.
    #[error("{0:?} is not a valid domain name")]
    InvalidDomain(String),
    /// A name with a single label, such as `localhost`.
    #[error("{0:?} has no top-level domain; enter e.g. example.com")]
    NoTopLevelDomain(String),
    /// The name or one of its labels is too long for DNS.
    #[error("{0:?} is too long for DNS (253 characters, 63 per label)")]
    DomainTooLong(String),
    /// A URL that does not parse.
    #[error("{input:?} is not a valid URL: {reason}")]
    InvalidUrl {
        /// What was typed.
        input: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A URL with a scheme other than http or https.
    #[error("{0:?} must start with http:// or https://")]
    NotHttp(String),
    /// A URL carrying a user name or password.
    #[error("{0:?} contains credentials; keep them in Accounts, not in URLs")]
    UrlWithCredentials(String),
    /// A port outside 1–65535 or not a number.
    #[error("{0:?} is not a port; use a number from 1 to 65535")]
    InvalidPort(String),
    /// A DNS server that is not `ip` or `ip:port`.
    #[error("{0:?} is not a DNS server address; use an IP address with an optional port, e.g. 10.0.0.2:53")]
    InvalidDnsServer(String),
}

/// A domain name in both forms: ASCII for DNS and TLS, Unicode for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// Lowercase ASCII (punycode) form without a trailing dot, e.g. `xn--bcher-kva.example`.
    pub ascii: String,
    /// The same name as people read it, e.g. `bücher.example`.
    pub unicode: String,
}

/// Checks a domain or subdomain name and returns its canonical form.
///
/// Accepts internationalised names and one trailing dot; refuses schemes,
/// paths, ports, spaces, IP addresses and single-label names.
pub fn domain(input: &str) -> Result<Domain, InputError> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(InputError::Empty);
    }
    if typed.chars().any(char::is_whitespace) {
        return Err(InputError::Whitespace(typed.into()));
    }
    if typed.contains("://") {
        return Err(InputError::DomainWithScheme(typed.into()));
    }
    if typed.contains(['/', '?', '#', ':', '@']) {
        return Err(InputError::DomainWithPath(typed.into()));
    }
    let name = typed.strip_suffix('.').unwrap_or(typed);
    if name.parse::<IpAddr>().is_ok() || is_numeric_dotted(name) {
        return Err(InputError::DomainIsAddress(typed.into()));
    }
    // The strict conversion also refuses overlong names; measure first so
    // that case gets its own message.
    if let Ok(loose) = idna::domain_to_ascii(name) {
        if loose.len() > MAX_DOMAIN_LEN || loose.split('.').any(|l| l.len() > MAX_LABEL_LEN) {
            return Err(InputError::DomainTooLong(typed.into()));
        }
    }
    let ascii =
        idna::domain_to_ascii_strict(name).map_err(|_| InputError::InvalidDomain(typed.into()))?;
    if ascii.is_empty() || ascii.split('.').any(str::is_empty) {
        return Err(InputError::InvalidDomain(typed.into()));
    }
    if !ascii.contains('.') {
        return Err(InputError::NoTopLevelDomain(typed.into()));
    }
    let (unicode, _) = idna::domain_to_unicode(&ascii);
    Ok(Domain { ascii, unicode })
}

/// Names like `10.0.0` that are not valid IPs but are still just numbers.
fn is_numeric_dotted(name: &str) -> bool {
    name.split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit()))
}

/// Checks a base URL (http or https only) and returns it normalised.
pub fn base_url(input: &str) -> Result<url::Url, InputError> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(InputError::Empty);
    }
    if typed.chars().any(char::is_whitespace) {
        return Err(InputError::Whitespace(typed.into()));
    }
    let parsed = url::Url::parse(typed).map_err(|e| InputError::InvalidUrl {
        input: typed.into(),
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(InputError::NotHttp(typed.into()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(InputError::UrlWithCredentials(typed.into()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(InputError::InvalidUrl {
            input: typed.into(),
            reason: "it names no host".into(),
        });
    }
    Ok(parsed)
}

/// Checks a TCP port number, 1–65535.
pub fn port(input: &str) -> Result<u16, InputError> {
    let typed = input.trim();
    match typed.parse::<u16>() {
        Ok(0) | Err(_) => Err(InputError::InvalidPort(typed.into())),
        Ok(port) => Ok(port),
    }
}

/// Checks a DNS server given as `ip`, `ip:port` or `[ipv6]:port`; port 53 by default.
pub fn dns_server(input: &str) -> Result<SocketAddr, InputError> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err(InputError::Empty);
    }
    if let Ok(ip) = typed.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, DNS_PORT));
    }
    let addr: SocketAddr = typed
        .parse()
        .map_err(|_| InputError::InvalidDnsServer(typed.into()))?;
    if addr.port() == 0 {
        return Err(InputError::InvalidPort("0".into()));
    }
    Ok(addr)
}

#[cfg(test)]
mod tests;
