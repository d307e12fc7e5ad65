//! Times the secret scan of a repository against `ripsecrets` on the same
//! tree: a generated ~200 MB source tree (`HANDOVER_BENCH_MB` to change)
//! with secrets planted at known places (`handover_testbed::secrets_tree`),
//! made a git repository (`git init`, nothing committed) so that both
//! tools honour its `.gitignore` — `ripsecrets` reads ignore files only
//! inside a git repository — and both skip the gitignored `dist/` build
//! output. `ripsecrets` also skips hidden files (`.env.example`) and
//! reads the binary and the >4 MiB file that Handover skips unread: each
//! tool's MB/s is over the bytes it read, and the ratio is also printed
//! with one denominator for both.
//!
//! Set-up finds `ripsecrets` on `PATH` or in `~/.cargo/bin`, else runs
//! `cargo install ripsecrets --locked` (without `--locked` if that fails);
//! when it cannot be had, Handover's own figures are still printed.
//!
//! Each tool runs once untimed (page cache warm for both), then three
//! rounds alternate the two; the median of each is reported. Handover is
//! `scan_dir` in-process with the built-in rules; `ripsecrets <root>` is a
//! subprocess whose `path:line:…` lines are its findings. Recall is the
//! share of the secrets planted outside the build output found at their
//! path and line (Handover: and rule; ripsecrets has no rule ids). For the
//! source map, Handover reports the original file's line, `ripsecrets` the
//! map's own (one-line JSON): any `ripsecrets` finding in the map counts.
//! Findings at no planted place are counted as false positives. A goal not
//! met is printed, not failed: a bench reports, it does not gate CI.
//!
//! Run with `cargo bench -p handover-core --bench secrets`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use handover_core::secrets::walk::{scan_dir, WalkOptions};
use handover_core::secrets::{FingerprintKey, Scanner};
use handover_model::{SecretPlace, SecretScan};
use handover_testbed::secrets_tree::{write_tree, Planted, PlantedTree, BUILD_OUTPUT};

const SEED: u64 = 14;
const DEFAULT_MB: u64 = 200;
const ROUNDS: usize = 3;
const GOAL_RATIO: f64 = 1.0;

/// `ripsecrets`, found or installed; why not, when it cannot be had.
fn ripsecrets(scratch: &Path) -> Result<PathBuf, String> {
    if let Some(found) = find_ripsecrets() {
        return Ok(found);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut why = String::new();
    for locked in [true, false] {
        let flags = if locked { " --locked" } else { "" };
        println!("ripsecrets not found: running `cargo install ripsecrets{flags}` …");
        let mut cmd = Command::new(&cargo);
        cmd.args(["install", "ripsecrets"]);
        if locked {
            cmd.arg("--locked");
        }
        // Its own target folder: the bench's may still be locked by cargo.
        cmd.arg("--target-dir")
            .arg(scratch.join("ripsecrets-build"))
            .env_remove("CARGO_TARGET_DIR");
        match cmd.output() {
            Ok(out) if out.status.success() => {
                if let Some(found) = find_ripsecrets() {
                    return Ok(found);
                }
                why = "installed, but not found on PATH or in ~/.cargo/bin".into();
            }
            Ok(out) => {
                let err = String::from_utf8_lossy(&out.stderr);
                let tail: Vec<&str> = err.lines().rev().take(5).collect();
                why = format!(
                    "cargo install{flags} failed ({}): {}",
                    out.status,
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                );
                println!("  {why}");
            }
            Err(error) => {
                why = format!("cannot run cargo: {error}");
                break;
            }
        }
    }
    Err(why)
}

/// `ripsecrets` on `PATH` or in `~/.cargo/bin`.
fn find_ripsecrets() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("ripsecrets"))
        .find(|p| p.is_file())
}

/// Makes `root` a git repository (nothing committed): enough for ignore
/// files to count for `ripsecrets`.
fn git_init(root: &Path) -> Result<(), String> {
    let git = if Path::new("/usr/bin/git").is_file() {
        "/usr/bin/git"
    } else {
        "git"
    };
    match Command::new(git).arg("init").arg("-q").arg(root).status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("git init failed: {s}")),
        Err(e) => Err(format!("cannot run git: {e}")),
    }
}

/// One Handover scan of the repository.
fn handover(root: &Path, key: &FingerprintKey) -> (Duration, SecretScan) {
    let start = Instant::now();
    let scan = scan_dir(
        root,
        SecretPlace::Repo,
        Scanner::builtin(),
        key,
        &WalkOptions::default(),
        &|_| {},
    )
    .expect("scan the tree");
    (start.elapsed(), scan)
}

/// One `ripsecrets` run: its time and findings as (path, line).
fn rip(bin: &Path, root: &Path) -> Result<(Duration, Vec<(String, u32)>), String> {
    let start = Instant::now();
    let out = Command::new(bin)
        .arg(".")
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run ripsecrets: {e}"))?;
    let elapsed = start.elapsed();
    // Exit 0: nothing found, 1: secrets found, anything else: an error.
    if !matches!(out.status.code(), Some(0 | 1)) {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "ripsecrets failed ({}): {}",
            out.status,
            err.trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let findings = text.lines().filter_map(rip_line).collect();
    Ok((elapsed, findings))
}

/// `path:line:text` → (`path` relative, `/`-separated, line).
fn rip_line(line: &str) -> Option<(String, u32)> {
    let line = strip_ansi(line);
    let mut parts = line.splitn(3, ':');
    let path = parts.next()?;
    let number = parts.next()?.trim().parse().ok()?;
    let path = path.trim_start_matches("./").replace('\\', "/");
    Some((path, number))
}

/// `text` without ANSI colour escapes.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes of the files `ripsecrets` walks: everything but the build output
/// and hidden files (`.gitignore`, `.env.example`: its walker skips them,
/// Handover's does not — a few hundred bytes), binary and huge files
/// included (it reads them, Handover skips them unread).
fn scanned_bytes(root: &Path) -> u64 {
    fn walk(dir: &Path, total: &mut u64) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == BUILD_OUTPUT {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                walk(&entry.path(), total);
            } else if kind.is_file() {
                *total += entry.metadata().map_or(0, |m| m.len());
            }
        }
    }
    let mut total = 0;
    walk(root, &mut total);
    total
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Recall and false positives of findings `(path, original, line, rule)`.
fn judge<'a>(
    planted: &[&Planted],
    found: impl Iterator<Item = (&'a str, Option<&'a str>, u32, Option<&'a str>)> + Clone,
) -> (usize, usize, String) {
    let hit = |p: &Planted| {
        found.clone().any(|(path, original, line, rule)| {
            path == p.path
                && rule.is_none_or(|r| r == p.rule)
                && match (&p.original, original, rule) {
                    // Handover: the original file and its line.
                    (Some(o), Some(fo), Some(_)) => o == fo && line == p.line,
                    (Some(_), None, Some(_)) => false,
                    // ripsecrets: anywhere in the source map.
                    (Some(_), _, None) => true,
                    (None, _, _) => line == p.line,
                }
        })
    };
    let mut missed = std::collections::BTreeMap::<&str, usize>::new();
    for p in planted.iter().filter(|p| !hit(p)) {
        let hidden = p.path.starts_with('.') || p.path.contains("/.");
        *missed
            .entry(if hidden { "(hidden file)" } else { &p.rule })
            .or_default() += 1;
    }
    let recalled = planted.len() - missed.values().sum::<usize>();
    let missed: Vec<String> = missed.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let places: HashSet<(&str, u32)> = planted.iter().map(|p| (p.path.as_str(), p.line)).collect();
    let maps: HashSet<&str> = planted
        .iter()
        .filter(|p| p.original.is_some())
        .map(|p| p.path.as_str())
        .collect();
    let false_positives = found
        .filter(|(path, _, line, _)| !places.contains(&(*path, *line)) && !maps.contains(path))
        .count();
    (recalled, false_positives, missed.join(", "))
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let target_mb = std::env::var("HANDOVER_BENCH_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(DEFAULT_MB);
    let scratch = tempfile::tempdir().expect("a temp folder");
    let rip_bin = ripsecrets(scratch.path());
    match &rip_bin {
        Ok(bin) => {
            let version = Command::new(bin)
                .arg("--version")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_default();
            println!("ripsecrets: {} ({version})", bin.display());
        }
        Err(why) => println!("ripsecrets unavailable, Handover only: {why}"),
    }

    // `HANDOVER_BENCH_DIR`: write the tree there and keep it (to look at).
    let root = std::env::var_os("HANDOVER_BENCH_DIR")
        .map_or_else(|| scratch.path().join("tree"), PathBuf::from);
    std::fs::create_dir_all(&root).expect("the tree folder");
    let start = Instant::now();
    let PlantedTree {
        planted,
        bytes_written,
    } = write_tree(&root, SEED, target_mb * 1_000_000);
    if let Err(why) = git_init(&root) {
        println!("note: {why}; ripsecrets may then scan the gitignored {BUILD_OUTPUT}/");
    }
    let in_repo: Vec<&Planted> = planted.iter().filter(|p| !p.in_build_output).collect();
    let tree_bytes = scanned_bytes(&root);
    println!(
        "tree: {:.1} MB written in {:.1} s, {:.1} MB outside {BUILD_OUTPUT}/, {} secrets planted ({} outside {BUILD_OUTPUT}/); {cores} cores",
        mb(bytes_written),
        start.elapsed().as_secs_f64(),
        mb(tree_bytes),
        planted.len(),
        in_repo.len(),
    );

    let key = FingerprintKey::new([7; 32]);
    // Warm-up: each tool once, untimed.
    let (_, scan) = handover(&root, &key);
    let mut rip_ok = rip_bin
        .as_ref()
        .ok()
        .map(|bin| rip(bin, &root).map(|(_, f)| (bin.clone(), f)));
    if let Some(Err(why)) = &rip_ok {
        println!("ripsecrets unusable, Handover only: {why}");
    }
    let mut rip_findings = match rip_ok.take() {
        Some(Ok((bin, findings))) => Some((bin, findings)),
        _ => None,
    };

    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..ROUNDS {
        ours.push(handover(&root, &key).0);
        if let Some((bin, findings)) = &mut rip_findings {
            match rip(bin, &root) {
                Ok((t, f)) => {
                    theirs.push(t);
                    *findings = f;
                }
                Err(why) => println!("ripsecrets run failed: {why}"),
            }
        }
    }

    let ours = median(ours);
    let ours_mbs = mb(scan.bytes) / ours.as_secs_f64();
    let skipped: Vec<String> = scan
        .skipped
        .iter()
        .map(|s| format!("{} ({:?})", s.location, s.reason))
        .collect();
    println!(
        "handover:   {:.1} MB scanned in {} files (skipped: {}), median {:.3} s → {ours_mbs:.1} MB/s",
        mb(scan.bytes),
        scan.files,
        skipped.join(", "),
        ours.as_secs_f64(),
    );
    let found = scan.findings.iter().map(|f| {
        (
            f.location.as_str(),
            f.original.as_deref(),
            f.line,
            Some(f.rule.as_str()),
        )
    });
    let (recalled, fps, missed) = judge(&in_repo, found);
    let in_dist = scan
        .findings
        .iter()
        .filter(|f| f.location.starts_with("dist/"))
        .count();
    println!(
        "handover:   recall {recalled}/{} = {:.1} %, {fps} findings not planted, {in_dist} in {BUILD_OUTPUT}/",
        in_repo.len(),
        100.0 * recalled as f64 / in_repo.len().max(1) as f64,
    );
    if !missed.is_empty() {
        println!("handover:   missed by rule: {missed}");
    }

    let Some((_, findings)) = rip_findings.filter(|_| !theirs.is_empty()) else {
        println!("ratio:      n/a (no ripsecrets figures)");
        return;
    };
    let theirs = median(theirs);
    let theirs_mbs = mb(tree_bytes) / theirs.as_secs_f64();
    println!(
        "ripsecrets: {:.1} MB in the files it walks, median {:.3} s → {theirs_mbs:.1} MB/s",
        mb(tree_bytes),
        theirs.as_secs_f64(),
    );
    let found = findings.iter().map(|(p, l)| (p.as_str(), None, *l, None));
    let (recalled, fps, missed) = judge(&in_repo, found);
    let in_dist = findings
        .iter()
        .filter(|(p, _)| p.starts_with("dist/"))
        .count();
    println!(
        "ripsecrets: recall {recalled}/{} = {:.1} % (path+line), {} findings, {fps} not planted, {in_dist} in {BUILD_OUTPUT}/",
        in_repo.len(),
        100.0 * recalled as f64 / in_repo.len().max(1) as f64,
        findings.len(),
    );
    if !missed.is_empty() {
        println!("ripsecrets: missed by rule: {missed}");
    }
    // Same denominator for both: the bytes each reads of the same files.
    let ratio = ours_mbs / theirs_mbs;
    let same_bytes = mb(tree_bytes) / ours.as_secs_f64() / theirs_mbs;
    println!(
        "ratio:      handover/ripsecrets {ratio:.2} (on the same {:.1} MB for both: {same_bytes:.2}) — goal ≥ {GOAL_RATIO:.1}: {}",
        mb(tree_bytes),
        if ratio >= GOAL_RATIO { "met" } else { "NOT MET" },
    );
}
