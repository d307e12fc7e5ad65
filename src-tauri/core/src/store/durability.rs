//! Kill test: a child process commits item changes as fast as it can and is
//! killed with SIGKILL at a random moment; every change it reported as
//! committed must be in the database afterwards, and the file must be sound.
//!
//! The child is this same test binary, re-run on the [`child`] test with
//! [`DB_ENV`] set. Rounds start from the same file, so some kills land while
//! the child is still opening, recovering or migrating it.
//! `HANDOVER_DURABILITY_SEED` replays a run; `HANDOVER_DURABILITY_ROUNDS`
//! changes the number of rounds (default 200).

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use handover_model::{ItemState, ItemStatus, ProjectSpec};

use super::{Db, StoreError};

/// Tells the [`child`] test which database to hammer.
const DB_ENV: &str = "HANDOVER_DURABILITY_DB";
/// The round number, which makes the child's tokens unique across rounds.
const ROUND_ENV: &str = "HANDOVER_DURABILITY_ROUND";
/// The child's test path, as libtest names it.
const CHILD_TEST: &str = "store::durability::child";
/// The project the child writes to.
const PROJECT: &str = "Durability";
/// The items the child cycles over.
const ITEMS: [&str; 3] = ["alpha", "beta", "gamma"];
/// A child stops by itself after this long, in case its parent died.
const CHILD_LIFETIME: Duration = Duration::from_secs(10);

/// Small xorshift64 generator: reproducible from its printed seed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// The child: does nothing in a normal test run; with [`DB_ENV`] set, commits
/// forever and prints each token once its commit has returned.
#[test]
fn child() {
    let Some(path) = std::env::var_os(DB_ENV) else {
        return;
    };
    let round = std::env::var(ROUND_ENV).unwrap_or_else(|_| "0".into());
    let mut db = Db::open(Path::new(&path)).expect("open");
    let project_id = project(&mut db);
    let started = Instant::now();
    let mut out = std::io::stdout().lock();
    let mut n = 0u64;
    while started.elapsed() < CHILD_LIFETIME {
        let token = format!("run-{round}-{n}");
        let state = ItemState {
            item_id: ITEMS[(n % 3) as usize].to_owned(),
            status: if n.is_multiple_of(2) {
                ItemStatus::Fail
            } else {
                ItemStatus::Pass
            },
            notes: token.clone(),
            ..ItemState::default()
        };
        db.update_item(project_id, &state, "durability", super::now_ms())
            .expect("update");
        writeln!(out, "{token}").expect("print");
        out.flush().expect("flush");
        n += 1;
    }
}

/// The durability project's id, creating it if needed.
fn project(db: &mut Db) -> i64 {
    let find = |db: &Db| {
        db.projects()
            .expect("list")
            .into_iter()
            .find(|p| p.spec.name == PROJECT)
            .map(|p| p.id)
    };
    if let Some(id) = find(db) {
        return id;
    }
    let spec = ProjectSpec {
        name: PROJECT.to_owned(),
        apex: "example.com".to_owned(),
        ..ProjectSpec::default()
    };
    match db.create_project(&spec, super::now_ms()) {
        Ok(p) => p.id,
        Err(StoreError::NameTaken(_)) => find(db).expect("project exists after NameTaken"),
        Err(err) => panic!("create project: {err}"),
    }
}

/// Complete lines of `output`; a line cut off by the kill is not a report.
fn reported(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut lines: Vec<&str> = text.split('\n').collect();
    lines.pop(); // empty after a final newline, otherwise a cut-off line
                 // libtest prints `test store::durability::child ... ` without a newline
                 // before the test starts, so the first token shares its line.
    lines
        .into_iter()
        .filter_map(|l| l.find("run-").map(|at| l[at..].to_owned()))
        .collect()
}

#[test]
fn committed_changes_survive_sigkill() {
    let seed = std::env::var("HANDOVER_DURABILITY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| (super::now_ms() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let rounds: u32 = std::env::var("HANDOVER_DURABILITY_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    println!("durability: seed {seed} (replay with HANDOVER_DURABILITY_SEED={seed})");
    let mut rng = XorShift(seed);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("durability.db");
    let exe = std::env::current_exe().unwrap();
    let started = Instant::now();
    let (mut confirmed, mut productive) = (0usize, 0u32);

    for round in 0..rounds {
        let mut child = Command::new(&exe)
            .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
            .env(DB_ENV, &path)
            .env(ROUND_ENV, round.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let wait = Duration::from_millis(rng.next() % 41);
        std::thread::sleep(wait);
        let exited_early = child.try_wait().unwrap();
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let (mut output, mut errors) = (Vec::new(), String::new());
        child
            .stdout
            .take()
            .unwrap()
            .read_to_end(&mut output)
            .unwrap();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut errors)
            .unwrap();
        assert!(
            exited_early.is_none(),
            "round {round}: the child exited by itself ({exited_early:?}); seed {seed}\n{}\n{errors}",
            String::from_utf8_lossy(&output)
        );
        let tokens = reported(&output);

        let db = Db::open(&path).unwrap_or_else(|e| panic!("round {round}: reopen: {e}"));
        assert_eq!(
            db.integrity_check().unwrap(),
            "ok",
            "round {round}, seed {seed}"
        );
        let mut stmt = db
            .conn
            .prepare("SELECT new FROM item_history WHERE field = 'notes' AND new LIKE ?1")
            .unwrap();
        let stored: HashSet<String> = stmt
            .query_map([format!("run-{round}-%")], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for token in &tokens {
            assert!(
                stored.contains(token),
                "round {round}: {token} was reported committed but is missing \
                 (killed after {wait:?}; seed {seed})"
            );
        }
        // Nothing beyond the reports can have been committed except the one
        // whose report the kill cut off.
        assert!(
            stored.len() <= tokens.len() + 1,
            "round {round}: {} stored, {} reported",
            stored.len(),
            tokens.len()
        );
        confirmed += tokens.len();
        productive += u32::from(!tokens.is_empty());
    }

    let elapsed = started.elapsed();
    println!(
        "durability: {rounds} rounds, {confirmed} commits confirmed ({productive} rounds \
         committed), {:.1} s, seed {seed}",
        elapsed.as_secs_f64()
    );
    assert!(
        productive >= rounds / 4,
        "only {productive} of {rounds} rounds committed anything; the child may be failing"
    );
}
