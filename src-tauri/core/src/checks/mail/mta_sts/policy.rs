//! Reading MTA-STS (RFC 8461): the `_mta-sts` TXT record (§3.1), the
//! policy file (§3.2) and its `mx` patterns (§4.1).

/// The longest `max_age` allowed, seconds (RFC 8461 §3.2: about a year).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// A `max_age` under this is noted: senders re-fetch so often that a
/// short outage of the policy host leaves mail unprotected (a day).
pub const SHORT_MAX_AGE: u64 = 86_400;

/// The longest `id` of the TXT record (RFC 8461 §3.1).
pub const MAX_ID_LEN: usize = 32;

/// The longest DNS label an `mx` pattern may hold.
pub const MAX_LABEL_LEN: usize = 63;

/// The most digits `max_age` may have (RFC 8461 §3.2: `1*10DIGIT`).
pub const MAX_AGE_DIGITS: usize = 10;

/// The modes a policy may name.
pub const MODES: [&str; 3] = ["enforce", "testing", "none"];

/// Whether a TXT record is an MTA-STS record (it starts with `v=STSv1`).
pub fn is_sts(text: &str) -> bool {
    let first = text.split(';').next().unwrap_or_default();
    matches!(first.split_once('='), Some((k, v)) if k.trim() == "v" && v.trim() == "STSv1")
}

/// The `id` of an MTA-STS TXT record, or what is wrong with it.
pub fn txt_id(text: &str) -> Result<String, String> {
    let id = text
        .split(';')
        .filter_map(|f| f.split_once('='))
        .find(|(k, _)| k.trim() == "id")
        .map(|(_, v)| v.trim().to_string());
    match id {
        None => Err("it has no id= field".into()),
        Some(id)
            if id.is_empty()
                || id.len() > MAX_ID_LEN
                || !id.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Err(format!(
                "its id \"{id}\" is not 1–{MAX_ID_LEN} letters and digits"
            ))
        }
        Some(id) => Ok(id),
    }
}

/// A policy file as read: the first value of each field, every `mx`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// `version`.
    pub version: Option<String>,
    /// `mode`.
    pub mode: Option<String>,
    /// `max_age` as written.
    pub max_age: Option<String>,
    /// Every `mx` pattern, lowercase.
    pub mx: Vec<String>,
}

impl Policy {
    /// Reads `key: value` lines (CRLF or LF); unknown keys are ignored
    /// (§3.2), and a repeated field other than `mx` keeps its first value.
    pub fn parse(body: &str) -> Self {
        let mut policy = Policy::default();
        for line in body.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim().to_string();
            match key.trim() {
                "version" => {
                    policy.version.get_or_insert(value);
                }
                "mode" => {
                    policy.mode.get_or_insert(value);
                }
                "max_age" => {
                    policy.max_age.get_or_insert(value);
                }
                "mx" => policy
                    .mx
                    .push(value.trim_end_matches('.').to_ascii_lowercase()),
                _ => {}
            }
        }
        policy
    }

    /// `max_age` in seconds when it is 1–10 digits within the limit.
    pub fn max_age_secs(&self) -> Result<u64, String> {
        let text = self.max_age.as_deref().ok_or("it has no max_age")?;
        if text.is_empty()
            || text.len() > MAX_AGE_DIGITS
            || !text.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("max_age \"{text}\" is not a number of seconds"));
        }
        let secs: u64 = text.parse().map_err(|_| format!("max_age \"{text}\""))?;
        if secs > MAX_AGE_LIMIT {
            return Err(format!(
                "max_age {secs} is over the limit of {MAX_AGE_LIMIT} s"
            ));
        }
        Ok(secs)
    }

    /// What makes the policy invalid apart from `max_age` (version, mode,
    /// `mx` lines and their patterns); empty when it is valid.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        match self.version.as_deref() {
            Some("STSv1") => {}
            Some(other) => problems.push(format!("version is \"{other}\", not STSv1")),
            None => problems.push("it has no version: STSv1 line".into()),
        }
        match self.mode.as_deref() {
            Some(m) if MODES.contains(&m) => {}
            Some(other) => problems.push(format!(
                "mode \"{other}\" is none of enforce, testing, none"
            )),
            None => problems.push("it has no mode line".into()),
        }
        if self.mx.is_empty() && self.mode.as_deref() != Some("none") {
            problems.push("it has no mx lines".into());
        }
        for pattern in &self.mx {
            if !valid_pattern(pattern) {
                problems.push(format!(
                    "mx \"{pattern}\" is not a host name (a wildcard may only be the whole leftmost label, *.)"
                ));
            }
        }
        problems
    }

    /// The MX hosts no `mx` pattern covers.
    pub fn uncovered<'a>(&self, hosts: &'a [String]) -> Vec<&'a String> {
        hosts
            .iter()
            .filter(|h| !self.mx.iter().any(|p| matches(p, h)))
            .collect()
    }
}

/// Whether `pattern` is a host name, or `*.` followed by one.
pub fn valid_pattern(pattern: &str) -> bool {
    let name = pattern.strip_prefix("*.").unwrap_or(pattern);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= MAX_LABEL_LEN
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Whether MX host `host` matches `pattern` (§4.1): exactly, or, for
/// `*.rest`, as one extra label in front of `rest`. Case-insensitive.
pub fn matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(rest) => host
            .split_once('.')
            .is_some_and(|(label, tail)| !label.is_empty() && tail == rest),
        None => host == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_txt_record_needs_the_version_first_and_a_short_alphanumeric_id() {
        assert!(is_sts("v=STSv1; id=20260101T000000"));
        assert!(!is_sts("id=1; v=STSv1"));
        assert!(!is_sts("v=STSv2; id=1"));
        assert_eq!(txt_id("v=STSv1; id=abc123;").unwrap(), "abc123");
        assert!(txt_id("v=STSv1").is_err());
        assert!(txt_id("v=STSv1; id=2026-01-01").is_err());
        assert!(txt_id(&format!("v=STSv1; id={}", "a".repeat(33))).is_err());
    }

    #[test]
    fn wildcards_match_exactly_one_leftmost_label() {
        assert!(matches("mx1.example.test", "MX1.example.test."));
        assert!(matches("*.example.test", "mx1.example.test"));
        assert!(!matches("*.example.test", "a.mx1.example.test"));
        assert!(!matches("*.example.test", "example.test"));
        assert!(valid_pattern("*.example.test"));
        assert!(!valid_pattern("mx*.example.test"));
        assert!(!valid_pattern("mx.*.example.test"));
    }

    #[test]
    fn policies_are_read_line_by_line() {
        let p = Policy::parse(
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.backup.test\r\nmax_age: 604800\r\nextra: ok\r\n",
        );
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        assert_eq!(p.max_age_secs(), Ok(604_800));
        let hosts = vec!["mx1.example.test".into(), "mx2.example.test".into()];
        assert_eq!(p.uncovered(&hosts), [&hosts[1]]);
        let bad = Policy::parse("version: STSv1\nmode: on\nmax_age: 99999999999\n");
        assert_eq!(bad.problems().len(), 2, "{:?}", bad.problems());
        assert!(bad.max_age_secs().is_err());
    }
}
