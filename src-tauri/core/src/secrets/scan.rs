//! The scanner: one Aho-Corasick pass over every rule's keywords, then
//! each rule's regex only on windows around its keywords' occurrences,
//! then allowlists, stopwords, entropy and rule checks.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::gitleaks::{self, Allow, GitleaksError};
use super::rules::{self, Check, Rule};
use super::FingerprintKey;
use checks::{
    ceil_char, entropy, floor_char, line_of, marked, names_no_secret, pem_body, plausible_value,
    real_password, reference, service_role,
};

/// A secret found in one text; never holds the raw value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Rule id, e.g. `openai-api-key`.
    pub rule: String,
    /// What the rule finds: "OpenAI API key".
    pub title: String,
    /// What to do (rotate at the provider, move server-side …).
    pub remedy: String,
    /// 1-based line of the secret's start.
    pub line: u32,
    /// 1-based column of the secret's start, in chars.
    pub column: u32,
    /// Byte offset of the secret in the text.
    pub offset: usize,
    /// Its length in bytes (so a text can be redacted in place).
    pub len: usize,
    /// The redacted secret ([`super::redact`]).
    pub preview: String,
    /// The keyed fingerprint of the secret.
    pub fingerprint: String,
}

/// Bytes before a keyword that a rule's match may start at.
const BACK: usize = 512;
/// Bytes after a keyword that a rule's match may reach.
const FORWARD: usize = 1024;
/// The same for PEM blocks and service-account files.
const FORWARD_LONG: usize = 16 * 1024;

/// Inline markers that silence a line.
const MARKERS: &[&str] = &[
    "handover:allow",
    "gitleaks:allow",
    "pragma: allowlist secret",
];

/// Values that show a secret is an example or placeholder (lowercase).
const STOPWORDS: &[&str] = &[
    "example",
    "xxxxxxxx",
    "your_",
    "your-",
    "yourapi",
    "changeme",
    "change_me",
    "placeholder",
    "dummy",
    "redacted",
    "<",
    ">",
    "${",
    "{{",
    "****",
    "....",
    "replace_me",
    "insert_",
    "…",
];

/// A rule ready to run.
struct Compiled {
    regex: Regex,
    /// Specific rules (2) beat PEM blocks (1) beat the generic rule (0).
    rank: u8,
    forward: usize,
    /// Secret group 0 with groups: the first group that matched (gitleaks).
    first_group: bool,
    allow: Allow,
}

/// The secret scanner: our rules, optionally a repository's gitleaks
/// rules, and their allowlists.
pub struct Scanner {
    rules: Vec<Rule>,
    compiled: Vec<Compiled>,
    prefilter: AhoCorasick,
    /// For each prefilter pattern, the rules it wakes.
    woken: Vec<Vec<usize>>,
    /// Rules without keywords: always run on the whole text.
    always: Vec<usize>,
    global: Allow,
}

static BUILTIN: LazyLock<Scanner> = LazyLock::new(|| {
    Scanner::new(rules::builtin().to_vec(), Vec::new(), Allow::default())
        .expect("the built-in rules compile")
});

impl Scanner {
    /// The scanner with our curated rules.
    pub fn builtin() -> &'static Scanner {
        &BUILTIN
    }

    /// Our rules plus a repository's `.gitleaks.toml` rules and allowlists.
    pub fn with_gitleaks(config: &str) -> Result<Scanner, GitleaksError> {
        let config = gitleaks::parse(config)?;
        let mut all = rules::builtin().to_vec();
        let mut extra = vec![Allow::default(); all.len()];
        for custom in config.rules {
            all.push(custom.rule);
            extra.push(custom.allow);
        }
        Scanner::new(all, extra, config.allow)
    }

    fn new(
        rules: Vec<Rule>,
        mut allows: Vec<Allow>,
        global: Allow,
    ) -> Result<Scanner, GitleaksError> {
        allows.resize_with(rules.len(), Allow::default);
        let mut compiled = Vec::with_capacity(rules.len());
        for (rule, allow) in rules.iter().zip(allows) {
            let regex = Regex::new(rule.pattern).map_err(|e| GitleaksError::Regex {
                rule: rule.id.to_owned(),
                message: e.to_string(),
            })?;
            let builtin = rules::builtin()
                .iter()
                .any(|b| std::ptr::eq(b.pattern, rule.pattern));
            let rank = match (rule.id, rule.check) {
                (rules::GENERIC, _) => 0,
                (_, Check::PlainPem) => 1,
                _ => 2,
            };
            let forward =
                if rule.keywords.contains(&"-----begin") || rule.id == "gcp-service-account" {
                    FORWARD_LONG
                } else {
                    FORWARD
                };
            let first_group = !builtin && rule.secret_group == 0 && regex.captures_len() > 1;
            compiled.push(Compiled {
                regex,
                rank,
                forward,
                first_group,
                allow,
            });
        }
        let mut keywords: Vec<String> = Vec::new();
        let mut woken: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            if rule.keywords.is_empty() {
                always.push(index);
            }
            for keyword in rule.keywords {
                let keyword = keyword.to_ascii_lowercase();
                match keywords.iter().position(|k| *k == keyword) {
                    Some(at) => woken[at].push(index),
                    None => {
                        keywords.push(keyword);
                        woken.push(vec![index]);
                    }
                }
            }
        }
        let prefilter = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keywords)
            .expect("keywords build an automaton");
        Ok(Scanner {
            rules,
            compiled,
            prefilter,
            woken,
            always,
            global,
        })
    }

    /// The rules, ours first.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The configuration's path allowlist (top-level `[allowlist] paths`).
    pub fn path_allowlist(&self) -> &[Regex] {
        &self.global.paths
    }

    /// Whether the configuration's path allowlist skips `path` (relative,
    /// with `/` separators); for the folder walker.
    pub fn allows_path(&self, path: &str) -> bool {
        self.global.paths.iter().any(|p| p.is_match(path))
    }

    /// The secrets in `text`, in text order.
    pub fn scan(&self, text: &str, key: &FingerprintKey) -> Vec<Hit> {
        let windows = self.windows(text);
        let mut found: Vec<Candidate> = Vec::new();
        for (index, spans) in windows.iter().enumerate() {
            for &(start, end) in spans {
                self.run(index, text, start, end, &mut found);
            }
        }
        found.sort_by(|a, b| a.start.cmp(&b.start).then(b.rank.cmp(&a.rank)));
        let mut kept: Vec<Candidate> = Vec::with_capacity(found.len());
        for candidate in found {
            match kept.last_mut() {
                Some(last) if candidate.start < last.end => {
                    if candidate.rank > last.rank {
                        *last = candidate;
                    }
                }
                _ => kept.push(candidate),
            }
        }
        let mut lines = LineIndex::default();
        kept.into_iter()
            .map(|c| {
                let (line, column) = lines.locate(text, c.start);
                let rule = &self.rules[c.rule];
                let secret = &text[c.start..c.end];
                Hit {
                    rule: rule.id.to_owned(),
                    title: rule.title.to_owned(),
                    remedy: rule.remedy.to_owned(),
                    line,
                    column,
                    offset: c.start,
                    len: c.end - c.start,
                    preview: super::redact(secret),
                    fingerprint: key.fingerprint(rule.id, secret),
                }
            })
            .collect()
    }

    /// The secrets in a file's bytes, or `None` when it looks binary (a NUL
    /// in the first 8 KiB, or more than 30 % of it not UTF-8). Offsets of
    /// a partly invalid file refer to its lossy decoding.
    pub fn scan_bytes(&self, bytes: &[u8], key: &FingerprintKey) -> Option<Vec<Hit>> {
        if bytes[..bytes.len().min(8192)].contains(&0) {
            return None;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Some(self.scan(text, key)),
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                let total = text.chars().count().max(1);
                let bad = text
                    .chars()
                    .filter(|&c| c == char::REPLACEMENT_CHARACTER)
                    .count();
                (bad * 10 <= total * 3).then(|| self.scan(&text, key))
            }
        }
    }

    /// For each rule, the merged byte windows its regex must look at.
    fn windows(&self, text: &str) -> Vec<Vec<(usize, usize)>> {
        let mut windows: Vec<Vec<(usize, usize)>> = vec![Vec::new(); self.rules.len()];
        for &index in &self.always {
            windows[index].push((0, text.len()));
        }
        for m in self.prefilter.find_overlapping_iter(text) {
            for &index in &self.woken[m.pattern().as_usize()] {
                let start = floor_char(text, m.start().saturating_sub(BACK));
                let end = ceil_char(
                    text,
                    (m.end() + self.compiled[index].forward).min(text.len()),
                );
                let spans = &mut windows[index];
                match spans.last_mut() {
                    Some(last) if start <= last.1 => {
                        last.0 = last.0.min(start);
                        last.1 = last.1.max(end);
                    }
                    _ => spans.push((start, end)),
                }
            }
        }
        windows
    }

    /// Rule `index`'s matches within `text[start..end]`, checked.
    fn run(&self, index: usize, text: &str, start: usize, end: usize, found: &mut Vec<Candidate>) {
        let rule = &self.rules[index];
        let compiled = &self.compiled[index];
        let window = &text[start..end];
        for caps in compiled.regex.captures_iter(window) {
            let group = if compiled.first_group {
                (1..caps.len()).find_map(|g| caps.get(g).filter(|m| !m.is_empty()))
            } else {
                caps.get(rule.secret_group)
            };
            let Some(secret) = group else { continue };
            let whole = caps.get(0).expect("group 0 always matches");
            let value = secret.as_str();
            if value.is_empty() || !self.accepts(rule, &caps, value) {
                continue;
            }
            let (s, e) = (start + secret.start(), start + secret.end());
            if rule.check == Check::Value && reference(text, s, e) {
                continue;
            }
            if marked(text, s, e) {
                continue;
            }
            let line = line_of(text, start + whole.start(), start + whole.end());
            if compiled.allow.rejects(value, whole.as_str(), line)
                || self.global.rejects(value, whole.as_str(), line)
            {
                continue;
            }
            found.push(Candidate {
                start: s,
                end: e,
                rank: compiled.rank,
                rule: index,
            });
        }
    }

    /// Whether a matched secret passes stopwords, entropy and the rule's check.
    fn accepts(&self, rule: &Rule, caps: &regex::Captures<'_>, value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        if STOPWORDS.iter().any(|w| lower.contains(w)) {
            return false;
        }
        if value.contains("-----BEGIN") && !pem_body(value) {
            return false;
        }
        let bits = entropy(value);
        let hexish = value.len() >= 32 && value.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
        let least = match (rule.min_entropy, rule.check) {
            (Some(min), Check::Value) if hexish => min.min(3.0),
            (Some(min), _) => min,
            (None, _) => 0.0,
        };
        if bits < least {
            return false;
        }
        match rule.check {
            Check::None => true,
            Check::Value => plausible_value(value) && !names_no_secret(caps),
            Check::DbPassword => caps
                .get(3)
                .is_some_and(|p| real_password(caps.get(2).map_or("", |u| u.as_str()), p.as_str())),
            Check::SupabaseServiceRole => !value.starts_with("eyJ") || service_role(value),
            Check::PlainPem => !value.contains("ENCRYPTED"),
        }
    }
}

/// A match that passed its checks.
struct Candidate {
    start: usize,
    end: usize,
    rank: u8,
    rule: usize,
}

/// Line and column of offsets visited in increasing order.
#[derive(Default)]
struct LineIndex {
    at: usize,
    line: u32,
    line_start: usize,
}

impl LineIndex {
    fn locate(&mut self, text: &str, offset: usize) -> (u32, u32) {
        let skipped = &text[self.at..offset];
        let newlines = skipped.bytes().filter(|&b| b == b'\n').count();
        if newlines > 0 {
            self.line += u32::try_from(newlines).unwrap_or(u32::MAX);
            self.line_start = self.at + skipped.rfind('\n').expect("has a newline") + 1;
        }
        self.at = offset;
        let column = text[self.line_start..offset].chars().count() + 1;
        (self.line + 1, u32::try_from(column).unwrap_or(u32::MAX))
    }
}

#[path = "rules_checks.rs"]
mod checks;

#[cfg(test)]
#[path = "engine_tests.rs"]
mod tests;
