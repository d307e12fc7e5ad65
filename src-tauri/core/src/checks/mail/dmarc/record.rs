//! Reading one DMARC record: `mail-auth` parses the tags it knows; the
//! raw tag list answers what it hides (whether `sp`/`np` were written or
//! defaulted, and the tags RFC 9989 removed).

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::dmarc::{Dmarc, Policy};

/// Tags RFC 9989 removed from RFC 7489: receivers ignore them now.
pub const OBSOLETE: [&str; 3] = ["pct", "rf", "ri"];

/// Whether `text` starts with the version tag `v=DMARC1` (the value is
/// case-sensitive, RFC 9989 §4.7; spaces around `=` are allowed).
pub fn is_dmarc(text: &str) -> bool {
    let Some(rest) = text.trim_start().strip_prefix(['v', 'V']) else {
        return false;
    };
    let Some(rest) = rest.trim_start().strip_prefix('=') else {
        return false;
    };
    match rest.trim_start().strip_prefix("DMARC1") {
        Some(rest) => rest.trim_start().is_empty() || rest.trim_start().starts_with(';'),
        None => false,
    }
}

/// The tags of a record in order, names lowercase, values trimmed.
pub fn tags(text: &str) -> Vec<(String, String)> {
    text.split(';')
        .filter_map(|part| part.split_once('='))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .filter(|(name, _)| !name.is_empty())
        .collect()
}

/// The value of tag `name` (lowercase), if written.
pub fn tag(text: &str, name: &str) -> Option<String> {
    tags(text)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.to_ascii_lowercase())
}

/// A record that `mail-auth` read, with the tags as written.
#[derive(Debug, Clone)]
pub struct Record {
    /// The record as served.
    pub text: String,
    /// The parsed tags (`sp` and `np` defaulted as RFC 9989 says).
    pub dmarc: Dmarc,
    /// The tags as written.
    pub tags: Vec<(String, String)>,
}

impl Record {
    /// Parses `text`; the error says what `mail-auth` could not read.
    pub fn parse(text: &str) -> Result<Self, String> {
        let dmarc = Dmarc::parse(text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(Self {
            text: text.to_string(),
            dmarc,
            tags: tags(text),
        })
    }

    /// Whether tag `name` is written in the record.
    pub fn has(&self, name: &str) -> bool {
        self.tags.iter().any(|(n, _)| n == name)
    }

    /// The removed tags the record still carries, as written.
    pub fn obsolete(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter(|(n, _)| OBSOLETE.contains(&n.as_str()))
            .map(|(n, v)| format!("{n}={v}"))
            .collect()
    }

    /// The hosts of every `mailto:` report address (`rua` and `ruf`),
    /// lowercase, each once, with the tag it came from.
    pub fn report_hosts(&self) -> Vec<(String, &'static str)> {
        let mut hosts: Vec<(String, &'static str)> = Vec::new();
        let all = self
            .dmarc
            .rua
            .iter()
            .map(|u| (u, "rua"))
            .chain(self.dmarc.ruf.iter().map(|u| (u, "ruf")));
        for (uri, kind) in all {
            let Some((_, host)) = uri.uri().rsplit_once('@') else {
                continue;
            };
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            if !host.is_empty() && !hosts.iter().any(|(h, _)| *h == host) {
                hosts.push((host, kind));
            }
        }
        hosts
    }
}

/// How strongly a policy acts: `none` 0, `quarantine` 1, `reject` 2
/// (unspecified counts as `none`).
pub fn strength(policy: Policy) -> u8 {
    match policy {
        Policy::Reject => 2,
        Policy::Quarantine => 1,
        Policy::None | Policy::Unspecified => 0,
    }
}

/// The tag value of a policy.
pub fn word(policy: Policy) -> &'static str {
    match policy {
        Policy::Reject => "reject",
        Policy::Quarantine => "quarantine",
        Policy::None => "none",
        Policy::Unspecified => "(missing)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_records_starting_with_the_version_tag_are_dmarc() {
        assert!(is_dmarc("v=DMARC1; p=reject"));
        assert!(is_dmarc(" v = DMARC1 ;p=none"));
        assert!(is_dmarc("v=DMARC1"));
        assert!(!is_dmarc("v=dmarc1; p=reject"));
        assert!(!is_dmarc("v=DMARC10; p=reject"));
        assert!(!is_dmarc("p=reject; v=DMARC1"));
        assert!(!is_dmarc("v=spf1 -all"));
    }

    #[test]
    fn written_tags_and_report_hosts_are_read() {
        let r = Record::parse(
            "v=DMARC1; p=reject; SP=none; pct=50; ri=3600; \
             rua=mailto:a@Example.test,mailto:b@reports.test!10m; ruf=mailto:c@reports.test",
        )
        .unwrap();
        assert!(r.has("sp") && !r.has("np"));
        assert_eq!(r.obsolete(), ["pct=50", "ri=3600"]);
        assert_eq!(
            r.report_hosts(),
            [
                ("example.test".to_string(), "rua"),
                ("reports.test".to_string(), "rua")
            ]
        );
        assert_eq!(tag(&r.text, "sp").as_deref(), Some("none"));
        assert!(Record::parse("v=DMARC1; p=maybe").is_err());
    }
}
