//! A repository's `.gitleaks.toml`: custom rules found, allowlists
//! honoured, bad configurations named.

use super::super::{FingerprintKey, Scanner};
use super::GitleaksError;

fn key() -> FingerprintKey {
    FingerprintKey::new([9; 32])
}

const CONFIG: &str = r#"
title = "shop"
[extend]
useDefault = true

[[rules]]
id = "acme-internal-token"
description = "ACME internal token"
regex = '''\b(acme_[a-z0-9]{32})\b'''
secretGroup = 1
entropy = 3.0
keywords = ["ACME_"]
[rules.allowlist]
stopwords = ["acme_0000"]

[[rules]]
id = "quoted-literal"
regex = '''\Qtok.en+\E[0-9]{8}'''
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''fixture''']

[[rules]]
id = "path-only"
path = '''\.p12$'''

[allowlist]
paths = ['''(^|/)vendor/''', '''\.lock$''']
stopwords = ["notreal"]
"#;

#[test]
fn a_custom_rule_is_found_next_to_ours() {
    let scanner = Scanner::with_gitleaks(CONFIG).expect("the config parses");
    assert_eq!(
        scanner.rules().len(),
        super::super::rules::builtin().len() + 2
    );
    let text = "let t = \"acme_k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8\";\nconst gh = \"ghp_aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5\";\n";
    let hits = scanner.scan(text, &key());
    let found: Vec<(&str, u32, u32)> = hits
        .iter()
        .map(|h| (h.rule.as_str(), h.line, h.column))
        .collect();
    assert_eq!(
        found,
        vec![("acme-internal-token", 1, 10), ("github-token", 2, 13)]
    );
    assert_eq!(hits[0].title, "ACME internal token");
    assert!(Scanner::builtin()
        .scan(text, &key())
        .iter()
        .all(|h| h.rule != "acme-internal-token"));
}

#[test]
fn custom_allowlists_quoting_and_paths_apply() {
    let scanner = Scanner::with_gitleaks(CONFIG).expect("the config parses");
    let quiet =
        "a = acme_0000kkkkjjjjhhhhggggffffddddss12\nb = acme_notreal9k3j4h5g6f7d8s9a0q1w2e3r4\n";
    assert!(scanner.scan(quiet, &key()).is_empty());
    assert_eq!(scanner.scan("x = tok.en+12345678\n", &key()).len(), 1);
    assert!(scanner
        .scan("x = tok.en+12345678 // fixture\n", &key())
        .is_empty());
    assert!(scanner.scan("x = tokXen+12345678\n", &key()).is_empty());
    assert!(scanner.allows_path("vendor/lib/a.js"));
    assert!(scanner.allows_path("Cargo.lock"));
    assert!(!scanner.allows_path("src/main.rs"));
    assert!(!Scanner::builtin().allows_path("vendor/lib/a.js"));
}

#[test]
fn a_bad_regex_names_its_rule() {
    let bad = "[[rules]]\nid = \"broken-rule\"\nregex = '''(unclosed'''\n";
    match Scanner::with_gitleaks(bad) {
        Err(GitleaksError::Regex { rule, .. }) => assert_eq!(rule, "broken-rule"),
        other => panic!("expected a regex error, got {:?}", other.err()),
    }
    let look = "[[rules]]\nid = \"looks-ahead\"\nregex = '''key(?=[0-9])'''\n";
    let err = Scanner::with_gitleaks(look)
        .err()
        .expect("lookaround is refused");
    assert!(
        matches!(err, GitleaksError::Unsupported { ref rule, what: "lookaround" } if rule == "looks-ahead")
    );
    assert!(err.to_string().contains("looks-ahead"));
    let backref = "[[rules]]\nid = \"echo\"\nregex = '''(a)\\1'''\n";
    assert!(matches!(
        Scanner::with_gitleaks(backref),
        Err(GitleaksError::Unsupported {
            what: "a backreference",
            ..
        })
    ));
}

#[test]
fn broken_toml_and_missing_ids_are_reported_with_a_line() {
    let err = Scanner::with_gitleaks("title = \"x\"\n\n[[rules]\nid = 1\n")
        .err()
        .expect("bad TOML");
    assert!(matches!(err, GitleaksError::Toml { line: 3, .. }), "{err}");
    let err = Scanner::with_gitleaks("[[rules]]\nregex = 'a'\n")
        .err()
        .expect("no id");
    assert!(matches!(err, GitleaksError::MissingId(1)));
    let err = Scanner::with_gitleaks("[[rules]]\nid = \"x\"\nsecretGroup = \"one\"\n")
        .err()
        .expect("wrong type");
    assert!(matches!(err, GitleaksError::Toml { .. }));
}
