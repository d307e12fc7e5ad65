//! Log scan tests: the same records as plain text, JSON lines and gzip give
//! the same counts; exact counts for crafted JSON lines with decoys; no
//! canary in the output; the byte cap.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use handover_model::LogKind;

use super::*;

use crate::secrets::random_text as random;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

fn scan(path: &Path) -> LogScan {
    scan_log(
        path,
        Scanner::builtin(),
        &FingerprintKey::new([7; 32]),
        LogLimits::default(),
    )
    .expect("scan")
}

fn counts(scan: &LogScan) -> Vec<(LogKind, u64)> {
    scan.counts.iter().map(|c| (c.kind, c.count)).collect()
}

/// Words only: no digits, no `@`, nothing a detector could take.
fn long_prompt() -> String {
    "Please summarise the following customer complaint about a late delivery and draft a polite reply "
        .repeat(3)
}

struct Canaries {
    bearer: String,
    password: String,
    github: String,
    db: String,
}

/// (message, prompt) records: every kind once or more, and decoys.
fn records(c: &Canaries) -> Vec<(String, Option<String>)> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("admin:{}", c.password));
    [
        "GET /api/orders/ORD-555-123-4567 200 in 1534ms request_id=550e8400-e29b-41d4-a716-446655440000".to_owned(),
        format!("auth header Authorization: Bearer {}", c.bearer),
        format!("retrying with Authorization: Basic {basic}"),
        format!("pushed with token ghp_{}", c.github),
        "signup email=jane.doe@acme-corp.io phone=+14155550123 ok".to_owned(),
        "contact ops@example.com or call (415) 555-0100".to_owned(),
        "scheduled at 2024-01-15T10:00:00.123+0100 order #555-123-4567 v1.2.3 build 20240115.1234".to_owned(),
        "invoice 4155550123 total +12.50 EUR after +1500ms".to_owned(),
        "uk customer +44 20 7946 0958 and de +49 30 9018 2000".to_owned(),
        "user logged in: mary@gmail.com, mary@gmail.com".to_owned(),
        format!("logo at cdn/img/logo@2x.png db postgres://svc:{}@db.internal:5432/app", c.db),
        "Authorization: Bearer undefined".to_owned(),
    ]
    .into_iter()
    .map(|m| (m, None))
    .chain([("llm request".to_owned(), Some(long_prompt())), ("search".to_owned(), Some("shoes".to_owned()))])
    .collect()
}

fn plain(records: &[(String, Option<String>)]) -> String {
    records
        .iter()
        .enumerate()
        .map(|(i, (msg, prompt))| match prompt {
            Some(p) => format!("2024-01-15T10:00:{i:02}Z INFO {msg} prompt=\"{p}\"\n"),
            None => format!("2024-01-15T10:00:{i:02}Z INFO {msg}\n"),
        })
        .collect()
}

fn jsonl(records: &[(String, Option<String>)]) -> String {
    records
        .iter()
        .enumerate()
        .map(|(i, (msg, prompt))| {
            let mut record = serde_json::json!({"ts": format!("2024-01-15T10:00:{i:02}Z"), "level": "INFO", "msg": msg});
            if let Some(p) = prompt {
                record["prompt"] = serde_json::Value::String(p.clone());
            }
            format!("{record}\n")
        })
        .collect()
}

#[test]
fn plain_json_lines_and_gzip_of_the_same_records_give_the_same_counts() {
    let c = Canaries {
        bearer: random(40),
        password: random(16),
        github: random(36),
        db: random(20),
    };
    let records = records(&c);
    let dir = tempfile::tempdir().expect("tempdir");
    let (plain, jsonl) = (plain(&records), jsonl(&records));
    let files = [
        write(dir.path(), "app.log", plain.as_bytes()),
        write(dir.path(), "app.jsonl", jsonl.as_bytes()),
        write(dir.path(), "app.log.gz", &gzip(plain.as_bytes())),
        write(dir.path(), "app.jsonl.gz", &gzip(jsonl.as_bytes())),
    ];
    let expected = vec![
        (LogKind::Token, 2),
        (LogKind::Bearer, 1),
        (LogKind::BasicAuth, 1),
        (LogKind::Email, 3),
        (LogKind::Phone, 4),
        (LogKind::Prompt, 1),
    ];
    let scans: Vec<LogScan> = files.iter().map(|f| scan(f)).collect();
    for (file, scan) in files.iter().zip(&scans) {
        assert_eq!(counts(scan), expected, "{}", file.display());
        assert_eq!(scan.lines, 14, "{}", file.display());
        assert_eq!(scan.truncated_at, None);
    }
    assert_eq!((scans[0].gzip, scans[2].gzip), (false, true));
    assert_eq!(
        (
            scans[0].json_lines,
            scans[1].json_lines,
            scans[3].json_lines
        ),
        (0, 14, 14)
    );
    assert_eq!(
        scans[2].bytes,
        plain.len() as u64,
        "decoded bytes are counted"
    );

    let samples = |scan: &LogScan, kind: LogKind| -> Vec<(u64, String)> {
        let count = scan.counts.iter().find(|c| c.kind == kind).expect("kind");
        count
            .samples
            .iter()
            .map(|s| (s.line, s.preview.clone()))
            .collect()
    };
    let s = &scans[0];
    assert_eq!(
        samples(s, LogKind::Bearer),
        [(2, format!("Bearer {}…", &c.bearer[..4]))]
    );
    assert_eq!(samples(s, LogKind::BasicAuth), [(3, "Basic …".to_owned())]);
    assert_eq!(
        samples(s, LogKind::Email),
        [
            (5, "j…@….io".to_owned()),
            (10, "m…@….com".to_owned()),
            (10, "m…@….com".to_owned())
        ]
    );
    assert_eq!(
        samples(s, LogKind::Phone)[..3],
        [
            (5, "+14…".to_owned()),
            (6, "…".to_owned()),
            (9, "+44…".to_owned())
        ]
    );
    assert_eq!(samples(s, LogKind::Phone).len(), 3, "three samples at most");
    assert_eq!(
        samples(s, LogKind::Prompt),
        [(13, format!("prompt ({} chars)", long_prompt().len()))]
    );
    let tokens: Vec<u64> = samples(s, LogKind::Token).iter().map(|(l, _)| *l).collect();
    assert_eq!(tokens, [4, 11]);

    for scan in &scans {
        let json = serde_json::to_string(scan).expect("serialize");
        for canary in [&c.bearer, &c.password, &c.github, &c.db] {
            assert!(!json.contains(canary.as_str()), "a canary is in the output");
        }
        for personal in ["jane.doe", "acme-corp", "mary@", "4155550123", "7946"] {
            assert!(!json.contains(personal), "personal data is in the output");
        }
    }
}

#[test]
fn json_lines_are_walked_field_by_field_with_exact_counts() {
    let bearer = random(32);
    let prompt = long_prompt();
    let mut log = String::new();
    log += &format!("{{\"level\":\"info\",\"request\":{{\"headers\":{{\"authorization\":\"Bearer {bearer}\"}}}},\"user\":{{\"email\":\"sam@bigco.com\",\"phone\":\"+33612345678\"}}}}\n");
    log += "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"hi there\"}]}\n";
    log += "{\"event\":\"search\",\"query\":\"shoes\"}\n";
    log += &format!("{{\"event\":\"llm\",\"input\":\"{prompt}\"}}\n");
    log += "{\"broken\": \"json\", \n";
    log += "{\"id\":\"ord_5551234567\",\"amount\":1999,\"created\":1700000000123,\"trace\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"uuid\":\"123e4567-e89b-12d3-a456-426614174000\"}\n";
    let mut bytes = log.into_bytes();
    bytes.extend_from_slice(b"\xff\xfe garbage then contact: kim@startup.dev\n");
    bytes.extend_from_slice(b"[\"array\", \"line\", \"bob@realco.com\"]\n");
    bytes.extend_from_slice(format!("{{\"content\":\"{prompt}\",\"messages\":[{{\"role\":\"user\",\"content\":\"x\"}}]}}\r\n").as_bytes());
    let dir = tempfile::tempdir().expect("tempdir");
    let scan = scan(&write(dir.path(), "export.jsonl", &bytes));
    assert_eq!(
        counts(&scan),
        [
            (LogKind::Token, 0),
            (LogKind::Bearer, 1),
            (LogKind::BasicAuth, 0),
            (LogKind::Email, 3),
            (LogKind::Phone, 1),
            (LogKind::Prompt, 3),
        ]
    );
    assert_eq!(
        (scan.lines, scan.json_lines, scan.malformed_json),
        (9, 6, 1)
    );
    assert_eq!(scan.bytes, bytes.len() as u64);
    let prompts = &scan.counts[5].samples;
    let lines: Vec<u64> = prompts.iter().map(|s| s.line).collect();
    assert_eq!(lines, [2, 4, 9]);
    assert_eq!(prompts[0].preview, "messages (user, 8 chars)");
    assert!(!serde_json::to_string(&scan)
        .expect("serialize")
        .contains(&bearer));
}

#[test]
fn the_byte_cap_stops_the_scan_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let line = "user mary@gmail.com logged in\n";
    let path = write(
        dir.path(),
        "big.log.gz",
        &gzip(line.repeat(1000).as_bytes()),
    );
    let limits = LogLimits {
        max_bytes: 10 * line.len() as u64,
        samples: 1,
    };
    let scan = scan_log(
        &path,
        Scanner::builtin(),
        &FingerprintKey::new([1; 32]),
        limits,
    )
    .expect("scan");
    assert_eq!(scan.truncated_at, Some(limits.max_bytes));
    assert_eq!(
        (
            scan.lines,
            scan.counts[3].count,
            scan.counts[3].samples.len()
        ),
        (10, 10, 1)
    );
    let exact = LogLimits {
        max_bytes: 1000 * line.len() as u64,
        samples: 3,
    };
    let full = scan_log(
        &path,
        Scanner::builtin(),
        &FingerprintKey::new([1; 32]),
        exact,
    )
    .expect("scan");
    assert_eq!((full.truncated_at, full.lines), (None, 1000));
    let missing = scan_log(
        &dir.path().join("nope.log"),
        Scanner::builtin(),
        &FingerprintKey::new([1; 32]),
        exact,
    );
    assert!(matches!(missing, Err(LogError::Open { .. })));
}
