//! The baseline, counts, leaks and verdict of the Secrets & env page.

use handover_model::{
    EnvIssue, EnvIssueKind, EnvParity, LogCount, LogKind, LogScan, ProjectSecrets, SecretFinding,
    SecretPlace, SecretScan, Severity,
};

use super::hygiene::*;

fn secret(fp: char, severity: Severity, place: SecretPlace) -> SecretFinding {
    SecretFinding {
        rule: "stripe-live-key".into(),
        title: "Stripe live secret key".into(),
        place,
        location: "src/pay.ts".into(),
        original: None,
        line: 3,
        column: 7,
        preview: "sk_l…".into(),
        fingerprint: fp.to_string().repeat(32),
        severity,
        remedy: "Rotate it.".into(),
        ignored: false,
    }
}

fn page(findings: Vec<SecretFinding>) -> ProjectSecrets {
    let scan = SecretScan {
        findings,
        files: 3,
        bytes: 100,
        ..SecretScan::default()
    };
    ProjectSecrets {
        project_id: 1,
        scanned_ms: 1,
        targets: vec![
            target(SecretPlace::Repo, "/repo", Ok(scan)),
            target(SecretPlace::Site, "", Err("not asked".into())),
        ],
        env: None,
        logs: Vec::new(),
        notes: Vec::new(),
        counts: Default::default(),
        leaks: false,
        verdict: String::new(),
        elapsed_ms: 1,
    }
}

fn ignore_of(fp: char) -> handover_model::SecretIgnore {
    resolve(&fp.to_string().repeat(32), "fixture", None, 5).unwrap()
}

#[test]
fn ignored_findings_are_counted_apart_and_stop_being_leaks() {
    let mut p = page(vec![
        secret('a', Severity::High, SecretPlace::Repo),
        secret('b', Severity::Blocker, SecretPlace::BuildOutput),
    ]);
    refresh(&mut p, &[]);
    assert_eq!(
        (p.counts.open, p.counts.blockers, p.counts.ignored),
        (2, 1, 0)
    );
    assert!(p.leaks);
    assert!(p
        .verdict
        .starts_with("Fix before launch: 2 secrets to rotate (1 public)"));
    assert!(
        p.verdict.contains("Not scanned: deployed site."),
        "{}",
        p.verdict
    );

    refresh(&mut p, &[ignore_of('a'), ignore_of('b')]);
    assert_eq!(
        (p.counts.open, p.counts.blockers, p.counts.ignored),
        (0, 0, 2)
    );
    assert!(!p.leaks);
    assert!(
        p.verdict.contains("2 findings the baseline ignores"),
        "{}",
        p.verdict
    );
    let flags: Vec<bool> = p.targets[0]
        .scan
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .map(|f| f.ignored)
        .collect();
    assert_eq!(flags, [true, true]);

    // Un-ignoring is refreshing with the smaller baseline.
    refresh(&mut p, &[ignore_of('b')]);
    assert_eq!((p.counts.open, p.counts.ignored), (1, 1));
    assert!(p.leaks);
}

#[test]
fn env_issues_and_log_credentials_count_and_decide() {
    let mut p = page(Vec::new());
    p.env = Some(EnvParity {
        issues: vec![
            EnvIssue {
                kind: EnvIssueKind::PublicSecret,
                key: "NEXT_PUBLIC_STRIPE_SECRET".into(),
                environments: vec!["production".into()],
                location: None,
                severity: Severity::Blocker,
                detail: "inlined".into(),
                preview: Some("sk_l…".into()),
            },
            EnvIssue {
                kind: EnvIssueKind::Empty,
                key: "SENTRY_DSN".into(),
                environments: vec!["staging".into()],
                location: None,
                severity: Severity::Low,
                detail: "empty".into(),
                preview: None,
            },
        ],
        ..EnvParity::default()
    });
    let count = |kind, count| LogCount {
        kind,
        count,
        samples: Vec::new(),
    };
    p.logs = vec![LogScan {
        counts: vec![
            count(LogKind::Token, 0),
            count(LogKind::Bearer, 2),
            count(LogKind::Email, 4),
            count(LogKind::Phone, 1),
            count(LogKind::Prompt, 3),
        ],
        ..LogScan::default()
    }];
    refresh(&mut p, &[]);
    let c = p.counts;
    assert_eq!((c.env_issues, c.env_serious), (2, 1));
    assert_eq!(
        (c.log_credentials, c.log_personal, c.log_prompts),
        (2, 5, 3)
    );
    assert!(p.leaks);
    assert!(p.verdict.contains("1 serious env issue"), "{}", p.verdict);
    assert!(
        p.verdict.contains("2 credentials in the logs"),
        "{}",
        p.verdict
    );

    // Personal data alone is something to look at, not a leak to rotate.
    p.env = None;
    p.logs[0].counts[1].count = 0;
    refresh(&mut p, &[]);
    assert!(!p.leaks);
    assert!(p
        .verdict
        .starts_with("No leaked secrets; some env or log issues"));
}

#[test]
fn a_clean_scan_says_what_it_did_not_scan() {
    let mut p = page(Vec::new());
    refresh(&mut p, &[]);
    assert_eq!(
        p.verdict,
        "No secrets or env issues found in what was scanned. Not scanned: deployed site."
    );
}

#[test]
fn fingerprints_resolve_whole_or_by_a_unique_prefix() {
    let mut p = page(vec![
        secret('a', Severity::High, SecretPlace::Repo),
        secret('b', Severity::High, SecretPlace::Repo),
    ]);
    p.targets[0].scan.as_mut().unwrap().findings[1].fingerprint =
        format!("aaaaaaaa{}", "c".repeat(24));
    let whole = resolve(&"A".repeat(32), " revoked ", Some(&p), 9).unwrap();
    assert_eq!(whole.fingerprint, "a".repeat(32));
    assert_eq!(
        (whole.rule.as_str(), whole.location.as_str()),
        ("stripe-live-key", "src/pay.ts")
    );
    assert_eq!((whole.reason.as_str(), whole.created_ms), ("revoked", 9));

    assert_eq!(
        resolve("aaaaaaaac", "", Some(&p), 1).unwrap().fingerprint,
        format!("aaaaaaaa{}", "c".repeat(24))
    );
    assert!(matches!(
        resolve("aaaaaaaa", "", Some(&p), 1),
        Err(BaselineError::Ambiguous { count: 2, .. })
    ));
    assert!(matches!(
        resolve("deadbeef", "", Some(&p), 1),
        Err(BaselineError::Unknown(_))
    ));
    assert!(matches!(
        resolve("abc", "", None, 1),
        Err(BaselineError::Malformed(_))
    ));
    assert!(matches!(
        resolve(&"z".repeat(32), "", None, 1),
        Err(BaselineError::Malformed(_))
    ));
    // A whole fingerprint from elsewhere (a run's finding) goes in as it is.
    let foreign = resolve(&"e".repeat(32), "", Some(&p), 1).unwrap();
    assert_eq!((foreign.rule.as_str(), foreign.location.as_str()), ("", ""));
}
