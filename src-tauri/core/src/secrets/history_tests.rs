//! History scan tests: a real repository (made with the `git` binary, in
//! the test only) where a secret was committed and then removed.

use std::path::Path;
use std::process::Command;

use handover_model::{SecretPlace, Severity};
use handover_testbed::secrets::{planted_line, Style, PLANTED_RULES};

use super::*;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.test",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn key() -> FingerprintKey {
    FingerprintKey::new([3; 32])
}

#[test]
fn secret_committed_then_removed_is_found_in_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join("README.md"), "# demo\n\nNothing here.\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);

    let rule = PLANTED_RULES[0];
    let line = planted_line(rule, 11, Style::Rust);
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("src/config.rs"),
        format!("// settings\nfn main() {{\n{line}\n}}\n"),
    )
    .unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "add config"]);
    let leaked = git(root, &["rev-parse", "--short", "HEAD"]);

    std::fs::write(root.join("src/config.rs"), "// settings\nfn main() {}\n").unwrap();
    git(root, &["commit", "-q", "-am", "remove the key"]);

    let scan = scan_history(root, Scanner::builtin(), &key(), &HistoryOptions::default()).unwrap();
    let found: Vec<_> = scan
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.location.as_str(), f.line))
        .collect();
    assert_eq!(
        found,
        vec![(rule, format!("{leaked}:src/config.rs").as_str(), 3)],
        "the removed secret is found in the commit that added it"
    );
    let finding = &scan.findings[0];
    assert_eq!(finding.place, SecretPlace::History);
    assert_eq!(finding.severity, Severity::High);
    // Files scanned: README (first), config (added), config (emptied).
    assert_eq!(scan.files, 3);
}

#[test]
fn commit_limit_and_binary_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    let line = planted_line(PLANTED_RULES[0], 5, Style::Python);
    std::fs::write(root.join("settings.py"), format!("{line}\n")).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "leak"]);
    std::fs::write(root.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "logo"]);

    let one = HistoryOptions {
        commits: 1,
        ..HistoryOptions::default()
    };
    let scan = scan_history(root, Scanner::builtin(), &key(), &one).unwrap();
    assert!(scan.findings.is_empty(), "the leak is two commits back");
    assert_eq!(scan.skipped.len(), 1);
    assert_eq!(scan.skipped[0].reason, SkipReason::Binary);
    assert!(scan.skipped[0].location.ends_with(":logo.png"));

    let all = scan_history(root, Scanner::builtin(), &key(), &HistoryOptions::default()).unwrap();
    assert_eq!(all.findings.len(), 1);
    assert!(all.findings[0].location.ends_with(":settings.py"));
}

#[test]
fn unborn_head_is_empty_and_no_repo_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    let scan = scan_history(
        dir.path(),
        Scanner::builtin(),
        &key(),
        &HistoryOptions::default(),
    );
    assert_eq!(scan.unwrap(), SecretScan::default());
    let missing = outside.path().join("nope");
    assert!(scan_history(
        &missing,
        Scanner::builtin(),
        &key(),
        &HistoryOptions::default()
    )
    .is_err());
}

#[test]
fn errors_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<HistoryError>();
    send_sync::<crate::secrets::walk::WalkError>();
}

#[test]
fn a_merge_does_not_repeat_what_its_branch_committed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join("README.md"), "# demo\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "first"]);
    git(root, &["checkout", "-q", "-b", "feature"]);
    let line = planted_line(PLANTED_RULES[1], 8, Style::Js);
    std::fs::write(root.join("keys.js"), format!("{line}\n")).unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "keys"]);
    let leaked = git(root, &["rev-parse", "--short", "HEAD"]);
    git(root, &["checkout", "-q", "main"]);
    std::fs::write(root.join("notes.md"), "notes\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "notes"]);
    git(
        root,
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
    );

    let scan = scan_history(root, Scanner::builtin(), &key(), &HistoryOptions::default()).unwrap();
    let locations: Vec<_> = scan.findings.iter().map(|f| f.location.as_str()).collect();
    assert_eq!(locations, vec![format!("{leaked}:keys.js").as_str()]);
}
