//! One SPF record: picking it among a name's TXT records (RFC 7208 §4.5)
//! and reading its terms with `mail-auth`, naming the offending term when
//! the record does not parse.

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::{Macro, Mechanism, Qualifier, Spf, Variable, Variables};

/// The version tag every SPF record starts with.
const VERSION: &str = "v=spf1";

/// The mechanisms RFC 7208 §5 defines.
const MECHANISMS: &[&str] = &["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// What a name's TXT records hold, SPF-wise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// No record is an SPF record.
    None,
    /// Exactly one SPF record.
    One(String),
    /// More than one: a permerror (RFC 7208 §4.5).
    Many(Vec<String>),
}

/// Whether a TXT record is an SPF record: `v=spf1` (any case) followed by
/// a space or nothing (`v=spf10` is not one).
pub fn is_spf(txt: &str) -> bool {
    let bytes = txt.as_bytes();
    bytes.len() >= VERSION.len()
        && bytes[..VERSION.len()].eq_ignore_ascii_case(VERSION.as_bytes())
        && matches!(bytes.get(VERSION.len()), None | Some(b' '))
}

/// The SPF records among `txt` (RFC 7208 §4.5).
pub fn select(txt: &[String]) -> Selected {
    let mut spf: Vec<String> = txt.iter().filter(|t| is_spf(t)).cloned().collect();
    match spf.len() {
        0 => Selected::None,
        1 => Selected::One(spf.remove(0)),
        _ => Selected::Many(spf),
    }
}

/// What a term makes an evaluator do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `include:` — evaluates another domain's record.
    Include,
    /// `a` — looks up addresses.
    A,
    /// `mx` — looks up MX hosts, then their addresses.
    Mx,
    /// `ptr` — reverse lookups of the sender's address.
    Ptr,
    /// `exists:` — looks up an A record.
    Exists,
    /// `ip4:` / `ip6:` — no DNS query.
    Ip,
    /// `all` — matches everything, no DNS query.
    All,
    /// `redirect=` — evaluates another domain's record in place of this one.
    Redirect,
}

impl Kind {
    /// Whether the term counts against the 10-lookup limit (RFC 7208 §4.6.4).
    pub fn queries_dns(self) -> bool {
        !matches!(self, Kind::Ip | Kind::All)
    }
}

/// One mechanism or `redirect=` of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// As written, qualifier included, e.g. `include:_spf.google.com`.
    pub text: String,
    /// What it does.
    pub kind: Kind,
    /// Its qualifier (`+` when none is written).
    pub qualifier: Qualifier,
    /// The domain it queries, lowercase without a final dot; `None` when it
    /// holds a macro that needs the sender (e.g. `%{i}`), left unexpanded.
    pub domain: Option<String>,
}

/// A parsed SPF record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record as served (strings joined).
    pub text: String,
    /// The mechanisms, in order.
    pub terms: Vec<Term>,
    /// The `redirect=` modifier, if any.
    pub redirect: Option<Term>,
}

impl Record {
    /// The qualifier of the first `all`, which ends every evaluation that
    /// reaches it; `None` without one.
    pub fn all(&self) -> Option<&Qualifier> {
        self.terms
            .iter()
            .find(|t| t.kind == Kind::All)
            .map(|t| &t.qualifier)
    }

    /// The `redirect=` an evaluator follows: ignored when an `all` is
    /// present (RFC 7208 §6.1).
    pub fn effective_redirect(&self) -> Option<&Term> {
        self.redirect.as_ref().filter(|_| self.all().is_none())
    }
}

/// Parses the SPF record `text` published at `domain` (for `a`/`mx`
/// without a domain and `%{d}`); the error says which term is wrong.
pub fn parse(text: &str, domain: &str) -> Result<Record, String> {
    if !is_spf(text) {
        return Err("it does not start with v=spf1".to_string());
    }
    let words: Vec<&str> = text.split_ascii_whitespace().skip(1).collect();
    let mechanisms = lex(&words)?;
    // The version tag is case-insensitive; hand the parser the usual case.
    let normal = format!("{VERSION}{}", &text[VERSION.len()..]);
    let spf = Spf::parse(normal.as_bytes()).map_err(|err| culprit(&words, &err.to_string()))?;
    if spf.directives.len() != mechanisms.len() {
        return Err(format!(
            "the parser read {} mechanisms where {} are written",
            spf.directives.len(),
            mechanisms.len()
        ));
    }
    let terms = spf
        .directives
        .iter()
        .zip(mechanisms)
        .map(|(d, text)| {
            let (kind, domain) = match &d.mechanism {
                Mechanism::All => (Kind::All, None),
                Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => (Kind::Ip, None),
                Mechanism::Include { macro_string } => {
                    (Kind::Include, expand(macro_string, domain))
                }
                Mechanism::A { macro_string, .. } => (Kind::A, expand(macro_string, domain)),
                Mechanism::Mx { macro_string, .. } => (Kind::Mx, expand(macro_string, domain)),
                Mechanism::Ptr { macro_string } => (Kind::Ptr, expand(macro_string, domain)),
                Mechanism::Exists { macro_string } => (Kind::Exists, expand(macro_string, domain)),
            };
            Term {
                text: text.to_string(),
                kind,
                qualifier: d.qualifier.clone(),
                domain,
            }
        })
        .collect();
    let redirect = spf.redirect.as_ref().map(|m| Term {
        text: words
            .iter()
            .find(|w| name_of(w).eq_ignore_ascii_case("redirect"))
            .map_or_else(|| "redirect=".to_string(), |w| w.to_string()),
        kind: Kind::Redirect,
        qualifier: Qualifier::Pass,
        domain: expand(m, domain),
    });
    Ok(Record {
        text: text.to_string(),
        terms,
        redirect,
    })
}

/// The name of a term: what precedes `:`, `/` or `=`, qualifier stripped.
fn name_of(word: &str) -> &str {
    let bare = word.trim_start_matches(['+', '-', '~', '?']);
    bare.split([':', '/', '=']).next().unwrap_or_default()
}

/// Checks each term's name (the parser lets unknown mechanisms through)
/// and returns the mechanisms in order.
fn lex<'w>(words: &[&'w str]) -> Result<Vec<&'w str>, String> {
    let mut mechanisms = Vec::new();
    let mut seen = Vec::new();
    for word in words {
        let name = name_of(word);
        let bare = word.trim_start_matches(['+', '-', '~', '?']);
        let is_modifier = bare
            .get(name.len()..)
            .is_some_and(|rest| rest.starts_with('='));
        if is_modifier {
            let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !valid || bare.len() != word.len() {
                return Err(format!("`{word}` is not a valid modifier"));
            }
            let lower = name.to_ascii_lowercase();
            if matches!(lower.as_str(), "redirect" | "exp") {
                if seen.contains(&lower) {
                    return Err(format!("`{lower}=` appears more than once"));
                }
                seen.push(lower);
            }
        } else if MECHANISMS.iter().any(|m| m.eq_ignore_ascii_case(name)) {
            mechanisms.push(*word);
        } else {
            return Err(format!("unknown mechanism `{word}`"));
        }
    }
    Ok(mechanisms)
}

/// The first term at which the record stops parsing, as an error.
fn culprit(words: &[&str], complaint: &str) -> String {
    (0..words.len())
        .find(|&i| {
            let prefix = format!("{VERSION} {}", words[..=i].join(" "));
            Spf::parse(prefix.as_bytes()).is_err()
        })
        .map_or_else(
            || format!("the record does not parse ({complaint})"),
            |i| format!("`{}` is malformed", words[i]),
        )
}

/// The domain a macro-string names, when it can be known without a
/// sender: literal text and `%{d}` (the domain being evaluated).
fn expand(m: &Macro, domain: &str) -> Option<String> {
    let known = |m: &Macro| match m {
        Macro::Literal(_) | Macro::None => true,
        Macro::Variable { letter, .. } => *letter == Variable::Domain,
        Macro::List(_) => false,
    };
    let text = match m {
        Macro::None => domain.to_string(),
        Macro::Literal(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        Macro::List(items) if !items.iter().all(known) => return None,
        Macro::Variable { .. } if !known(m) => return None,
        _ => {
            let mut vars = Variables::new();
            vars.set_domain(domain.as_bytes());
            m.eval(&vars, "", false).into_owned()
        }
    };
    Some(text.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_v_spf1_then_a_space_or_the_end_is_spf() {
        for (txt, spf) in [
            ("v=spf1 -all", true),
            ("V=SPF1 -all", true),
            ("v=spf1", true),
            ("v=spf10 -all", false),
            ("v=spf1-all", false),
            (" v=spf1 -all", false),
            ("google-site-verification=abc", false),
        ] {
            assert_eq!(is_spf(txt), spf, "{txt}");
        }
    }

    #[test]
    fn terms_are_read_in_order_with_their_domains() {
        let r = parse(
            "v=spf1 a mx:mail.example.test include:_spf.provider.test ip4:192.0.2.1 exists:%{i}.x.test ~all redirect=%{d}.other.test",
            "example.test",
        )
        .unwrap();
        let kinds: Vec<Kind> = r.terms.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::A,
                Kind::Mx,
                Kind::Include,
                Kind::Ip,
                Kind::Exists,
                Kind::All
            ]
        );
        let domains: Vec<Option<&str>> = r.terms.iter().map(|t| t.domain.as_deref()).collect();
        assert_eq!(
            domains,
            [
                Some("example.test"),
                Some("mail.example.test"),
                Some("_spf.provider.test"),
                None,
                None,
                None
            ]
        );
        assert_eq!(r.all(), Some(&Qualifier::SoftFail));
        let redirect = r.redirect.as_ref().unwrap();
        assert_eq!(redirect.domain.as_deref(), Some("example.test.other.test"));
        // An `all` makes the redirect moot (RFC 7208 §6.1).
        assert!(r.effective_redirect().is_none());
    }

    #[test]
    fn the_term_that_breaks_a_record_is_named() {
        for (record, error) in [
            (
                "v=spf1 ip4:192.0.2.1 ip4:300.x -all",
                "`ip4:300.x` is malformed",
            ),
            (
                "v=spf1 incldue:x.test -all",
                "unknown mechanism `incldue:x.test`",
            ),
            (
                "v=spf1 redirect=a.test redirect=b.test",
                "`redirect=` appears more than once",
            ),
            ("v=spf1 include: -all", "`include:` is malformed"),
            ("v=spf1 -all:x", "`-all:x` is malformed"),
        ] {
            assert_eq!(
                parse(record, "example.test").unwrap_err(),
                error,
                "{record}"
            );
        }
        // Unknown modifiers are ignored (RFC 7208 §6).
        assert!(parse("v=spf1 foo=bar -all", "example.test").is_ok());
    }
}
