//! A repository's own `.gitleaks.toml`: its `[[rules]]` (id, description,
//! regex, keywords, secretGroup, entropy, per-rule allowlists) and its
//! top-level allowlist (paths, regexes, stopwords).
//!
//! Gitleaks' Go (RE2) syntax is mostly what the `regex` crate reads; we
//! translate `\Q…\E` quoting and reject what neither engine has
//! (lookaround, backreferences) naming the rule. `\d`, `\w`, `\s` and `\b`
//! are Unicode-aware here (ASCII in Go): they match a superset.
//! `[extend] useDefault` is accepted either way: our rules always run.
//! Rules with only a `path` (no regex) are skipped: the scanner sees
//! texts, not paths; per-rule path allowlists are ignored for the same
//! reason, while top-level ones reach the folder walker through
//! [`super::Scanner::allows_path`].
//!
//! Strings of custom rules are interned (kept for the process's life, once
//! per distinct string) so a custom [`Rule`] has the same shape as ours.

use std::collections::HashSet;
use std::sync::Mutex;

use regex::Regex;
use serde::Deserialize;

use super::rules::{Check, Rule};

/// Why a `.gitleaks.toml` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GitleaksError {
    /// Not valid TOML, or fields of the wrong type.
    #[error(".gitleaks.toml line {line}: {message}")]
    Toml {
        /// 1-based line of the error (0 when unknown).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A rule's (or an allowlist's) regex does not compile.
    #[error(".gitleaks.toml rule `{rule}`: bad regex: {message}")]
    Regex {
        /// The rule id (`allowlist` for the top-level allowlist).
        rule: String,
        /// What is wrong.
        message: String,
    },
    /// A regex uses lookaround or backreferences.
    #[error(".gitleaks.toml rule `{rule}`: {what} is not supported")]
    Unsupported {
        /// The rule id.
        rule: String,
        /// The construct: "lookaround", "a backreference".
        what: &'static str,
    },
    /// A rule has no id.
    #[error(".gitleaks.toml rule number {0} has no id")]
    MissingId(usize),
}

/// What a gitleaks allowlist regex is matched against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Secret,
    Match,
    Line,
}

/// An allowlist: regexes (with their target), stopwords and paths.
#[derive(Debug, Clone, Default)]
pub(crate) struct Allow {
    pub(crate) regexes: Vec<(Target, Regex)>,
    pub(crate) stopwords: Vec<String>,
    pub(crate) paths: Vec<Regex>,
}

impl Allow {
    /// Whether this allowlist silences a finding.
    pub(crate) fn rejects(&self, secret: &str, matched: &str, line: &str) -> bool {
        let lower = secret.to_lowercase();
        self.stopwords.iter().any(|w| lower.contains(w.as_str()))
            || self.regexes.iter().any(|(target, regex)| match target {
                Target::Secret => regex.is_match(secret),
                Target::Match => regex.is_match(matched),
                Target::Line => regex.is_match(line),
            })
    }

    fn add(&mut self, raw: &RawAllow, rule: &str) -> Result<(), GitleaksError> {
        let target = match raw.regex_target.as_deref() {
            Some("match") => Target::Match,
            Some("line") => Target::Line,
            _ => Target::Secret,
        };
        for pattern in &raw.regexes {
            self.regexes.push((target, compile(pattern, rule)?));
        }
        self.stopwords
            .extend(raw.stopwords.iter().map(|w| w.to_lowercase()));
        for pattern in &raw.paths {
            self.paths.push(compile(pattern, rule)?);
        }
        Ok(())
    }
}

/// A custom rule with its own allowlist.
pub(crate) struct Custom {
    pub(crate) rule: Rule,
    pub(crate) allow: Allow,
}

/// A parsed configuration.
pub(crate) struct Config {
    pub(crate) rules: Vec<Custom>,
    pub(crate) allow: Allow,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawConfig {
    #[serde(default)]
    rules: Vec<RawRule>,
    allowlist: Option<RawAllow>,
    #[serde(default)]
    allowlists: Vec<RawAllow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRule {
    id: Option<String>,
    description: Option<String>,
    regex: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    allowlist: Option<RawAllow>,
    #[serde(default)]
    allowlists: Vec<RawAllow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAllow {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    paths: Vec<String>,
    regex_target: Option<String>,
}

/// Parses a `.gitleaks.toml`.
pub(crate) fn parse(text: &str) -> Result<Config, GitleaksError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| GitleaksError::Toml {
        line: e.span().map_or(0, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        message: e.message().to_owned(),
    })?;
    let mut allow = Allow::default();
    for list in raw.allowlist.iter().chain(&raw.allowlists) {
        allow.add(list, "allowlist")?;
    }
    let mut rules = Vec::new();
    for (number, rule) in raw.rules.into_iter().enumerate() {
        let id = rule.id.ok_or(GitleaksError::MissingId(number + 1))?;
        let Some(pattern) = rule.regex else { continue };
        let pattern = translate(&pattern, &id)?;
        compile(&pattern, &id)?;
        let mut own = Allow::default();
        for list in rule.allowlist.iter().chain(&rule.allowlists) {
            own.add(list, &id)?;
        }
        let keywords: Vec<&'static str> = rule
            .keywords
            .iter()
            .filter(|k| !k.is_empty())
            .map(|k| intern(k.to_ascii_lowercase()))
            .collect();
        let title = rule.description.unwrap_or_else(|| id.clone());
        rules.push(Custom {
            rule: Rule {
                id: intern(id),
                title: intern(title),
                keywords: intern_list(keywords),
                pattern: intern(pattern),
                secret_group: rule.secret_group.unwrap_or(0),
                min_entropy: rule.entropy,
                remedy:
                    "A rule of this repository's .gitleaks.toml: rotate the secret and move it \
to server-side environment variables or a secret manager.",
                check: Check::None,
            },
            allow: own,
        });
    }
    Ok(Config { rules, allow })
}

/// Go RE2 to Rust regex: `\Q…\E` quoted literally; lookaround and
/// backreferences rejected.
fn translate(pattern: &str, rule: &str) -> Result<String, GitleaksError> {
    for look in ["(?=", "(?!", "(?<=", "(?<!"] {
        if pattern.contains(look) {
            return Err(GitleaksError::Unsupported {
                rule: rule.to_owned(),
                what: "lookaround",
            });
        }
    }
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Q') => {
                let mut quoted = String::new();
                while let Some(q) = chars.next() {
                    if q == '\\' && chars.peek() == Some(&'E') {
                        chars.next();
                        break;
                    }
                    quoted.push(q);
                }
                out.push_str(&regex::escape(&quoted));
            }
            Some('1'..='9') => {
                return Err(GitleaksError::Unsupported {
                    rule: rule.to_owned(),
                    what: "a backreference",
                });
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Ok(out)
}

fn compile(pattern: &str, rule: &str) -> Result<Regex, GitleaksError> {
    Regex::new(pattern).map_err(|e| GitleaksError::Regex {
        rule: rule.to_owned(),
        message: e
            .to_string()
            .lines()
            .last()
            .unwrap_or("invalid")
            .trim()
            .to_owned(),
    })
}

static STRINGS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);

/// A string kept for the process's life, once per distinct value.
fn intern(value: String) -> &'static str {
    let mut strings = STRINGS.lock().unwrap_or_else(|e| e.into_inner());
    let set = strings.get_or_insert_with(HashSet::new);
    if let Some(&known) = set.get(value.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(value.into_boxed_str());
    set.insert(leaked);
    leaked
}

static LISTS: Mutex<Vec<&'static [&'static str]>> = Mutex::new(Vec::new());

/// A keyword list kept for the process's life, once per distinct list.
fn intern_list(list: Vec<&'static str>) -> &'static [&'static str] {
    let mut lists = LISTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&known) = lists.iter().find(|l| l[..] == list[..]) {
        return known;
    }
    let leaked: &'static [&'static str] = Box::leak(list.into_boxed_slice());
    lists.push(leaked);
    leaked
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
