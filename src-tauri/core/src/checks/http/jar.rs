//! A cookie jar for one redirect chain (RFC 6265 §5.3–5.4, simplified to
//! what a chain needs): a consent or cookie-bounce redirect sets a cookie
//! and sends the visitor back, and the next request carries it — so coming
//! back to a URL with new cookies is progress, not a loop. Nothing here is
//! kept after the chain, logged or shown: values never reach evidence.

use cookie::{Cookie, Expiration};
use url::Url;

/// One stored cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    name: String,
    value: String,
    /// The host it was set by, or the `Domain` it names.
    domain: String,
    /// Sent only to `domain` itself (no `Domain` attribute).
    host_only: bool,
    path: String,
    secure: bool,
}

/// The cookies of one chain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jar {
    cookies: Vec<Stored>,
}

/// RFC 6265 §5.1.4: the directory of the request path.
fn default_path(url: &Url) -> String {
    let path = url.path();
    match path.rfind('/') {
        Some(0) | None => "/".to_string(),
        Some(at) => path[..at].to_string(),
    }
}

fn domain_matches(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

fn path_matches(request: &str, cookie: &str) -> bool {
    request == cookie
        || (request.starts_with(cookie)
            && (cookie.ends_with('/') || request[cookie.len()..].starts_with('/')))
}

impl Jar {
    /// Takes the `Set-Cookie` headers of a response to `url`; a cookie that
    /// expires now (deletion) removes its stored twin; unparsable headers and
    /// cookies for another site are ignored, as browsers do.
    pub fn store<'a>(&mut self, url: &Url, set_cookies: impl IntoIterator<Item = &'a str>) {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        for header in set_cookies {
            let Ok(cookie) = Cookie::parse(header) else {
                continue;
            };
            let (domain, host_only) = match cookie.domain() {
                Some(d) => {
                    let d = d.trim_start_matches('.').to_ascii_lowercase();
                    if !domain_matches(&host, &d) {
                        continue;
                    }
                    (d, false)
                }
                None => (host.clone(), true),
            };
            let path = cookie
                .path()
                .filter(|p| p.starts_with('/'))
                .map_or_else(|| default_path(url), str::to_string);
            let expired = cookie.max_age().is_some_and(|age| age.whole_seconds() <= 0)
                || matches!(cookie.expires(), Some(Expiration::DateTime(at))
                    if at <= time::OffsetDateTime::now_utc());
            self.cookies
                .retain(|c| !(c.name == cookie.name() && c.domain == domain && c.path == path));
            if !expired {
                self.cookies.push(Stored {
                    name: cookie.name().to_string(),
                    value: cookie.value().to_string(),
                    domain,
                    host_only,
                    path,
                    secure: cookie.secure().unwrap_or(false),
                });
            }
        }
    }

    /// The `Cookie` header for a request to `url`, if any cookie applies.
    pub fn header_for(&self, url: &Url) -> Option<String> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| {
                let host_ok = if c.host_only {
                    host == c.domain
                } else {
                    domain_matches(&host, &c.domain)
                };
                host_ok
                    && path_matches(url.path(), &c.path)
                    && (!c.secure || url.scheme() == "https")
            })
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// A fingerprint of what the jar holds: a URL visited again with other
    /// cookies is a different visit.
    pub fn state(&self) -> Vec<(String, String, String)> {
        let mut state: Vec<_> = self
            .cookies
            .iter()
            .map(|c| (c.domain.clone(), c.name.clone(), c.value.clone()))
            .collect();
        state.sort();
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn cookies_go_back_to_their_host_path_and_scheme() {
        let mut jar = Jar::default();
        jar.store(
            &url("https://www.example.test/consent/form"),
            [
                "consent=yes; Path=/",
                "local=1",
                "safe=1; Secure; Domain=example.test",
            ],
        );
        // Without a Path, a cookie is scoped to the setting page's directory.
        assert_eq!(
            jar.header_for(&url("https://www.example.test/")).as_deref(),
            Some("consent=yes")
        );
        assert_eq!(
            jar.header_for(&url("https://www.example.test/consent/x"))
                .as_deref(),
            Some("consent=yes; local=1; safe=1")
        );
        assert_eq!(
            jar.header_for(&url("http://api.example.test/consent/x"))
                .as_deref(),
            None,
            "host-only and Secure cookies stay behind"
        );
        assert_eq!(
            jar.header_for(&url("https://api.example.test/consent/x"))
                .as_deref(),
            Some("safe=1"),
            "a Domain cookie reaches the other hosts of that domain"
        );
        jar.store(&url("https://other.test/"), ["x=1; Domain=example.test"]);
        assert_eq!(jar.header_for(&url("https://other.test/")), None);
    }

    #[test]
    fn a_deletion_cookie_removes_its_twin_and_changes_the_state() {
        let mut jar = Jar::default();
        let home = url("https://example.test/");
        jar.store(&home, ["seen=1; Path=/"]);
        let before = jar.state();
        jar.store(&home, ["seen=; Path=/; Max-Age=0"]);
        assert_eq!(jar.header_for(&home), None);
        assert_ne!(jar.state(), before);
        jar.store(
            &home,
            ["old=1; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"],
        );
        assert_eq!(jar.header_for(&home), None);
    }
}
