//! Audits a test-bed project — apex + 4 subdomains, 5 endpoints — with every
//! live check and prints how well the run overlaps its checks: wall time,
//! the sum of the checks' own times, the slowest check, and wall / slowest
//! (1.0 would be perfect overlap; the goal is ≤ 1.3), timed here to the
//! microsecond from the runner's progress events. Beside them: the
//! requests the run sent and the most connections it opened to one
//! host and port (the budget is 4 for HTTPS, 2 for plain HTTP).
//!
//! It does so twice: on the plain loopback bed, then on the same bed with
//! 50 ms added to every round trip (the bed delays each DNS answer and puts
//! a delaying relay in front of each TCP server, since there is no netem
//! here), where connection reuse and concurrency decide the ratio. A goal
//! not met is printed, not failed: a bench reports, it does not gate CI.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p handover-core --bench audit`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use handover_core::checks::{self, CheckTarget, RunLimits};
use handover_model::checks::{Cause, Outcome};
use handover_model::Progress;
use handover_testbed::TestBed;
use tokio::runtime::Runtime;

const ROUNDS: usize = 5;
/// The round trip time the second section adds.
const LATENCY: Duration = Duration::from_millis(50);
const GOAL: f64 = 1.3;

fn main() {
    let runtime = Runtime::new().expect("a tokio runtime");
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    audit(&runtime, &bed, "audit bench");
    drop(bed);

    println!();
    let bed = runtime
        .block_on(TestBed::builder().latency(LATENCY).start())
        .expect("the test bed with latency starts");
    let title = format!(
        "audit bench, {} ms added to every round trip",
        LATENCY.as_millis()
    );
    audit(&runtime, &bed, &title);
}

/// The bed's project: every host, the five endpoint roles.
fn target(bed: &TestBed) -> CheckTarget {
    CheckTarget {
        apex: bed.apex().to_string(),
        hosts: bed.hosts(),
        https_port: bed.https_port(),
        http_port: bed.http_port(),
        dns_server: Some(bed.dns_server()),
        extra_ca_pem: Some(bed.ca_pem()),
        paths: [
            ("homepage", "/"),
            ("login", "/login"),
            ("chat", "/api/chat"),
            ("api_health", "/health"),
            ("webhook", "/webhooks"),
        ]
        .iter()
        .map(|(role, path)| (role.to_string(), path.to_string()))
        .collect(),
        ..CheckTarget::default()
    }
}

/// Runs every check `ROUNDS` times against `bed` and prints one table.
fn audit(runtime: &Runtime, bed: &TestBed, title: &str) {
    let target = Arc::new(target(bed));
    let all = checks::all();
    println!(
        "{title}: {} hosts, {} endpoints, {} checks, {ROUNDS} rounds (first is warm-up)",
        target.hosts.len(),
        target.paths.len(),
        all.len()
    );
    println!(
        "{:>5} {:>9} {:>9} {:>6} {:>9} {:>6}  slowest check",
        "round", "wall ms", "sum ms", "ratio", "requests", "conns"
    );
    let hosts = target.hosts.clone();
    let counts = |bed: &TestBed| -> (usize, Vec<usize>) {
        let requests = bed.https.requests().len() + bed.http.requests().len();
        let conns = hosts
            .iter()
            .flat_map(|h| [bed.https.connections_for(h), bed.http.connections_for(h)])
            .collect();
        (requests, conns)
    };
    let mut ratios = Vec::new();
    // Why checks could not judge (after the warm-up), counted by check;
    // "this check needs …, and the project names none" is the bed's shape, not the network's.
    let mut could_not: BTreeMap<String, usize> = BTreeMap::new();
    for round in 0..ROUNDS {
        let times: Arc<Mutex<Vec<(String, f64)>>> = Arc::default();
        let begun: Arc<Mutex<BTreeMap<String, Instant>>> = Arc::default();
        let sink = times.clone();
        let (before_requests, before_conns) = counts(bed);
        let started = Instant::now();
        // A fresh target each round: its network context (connections,
        // shared handshakes) is the run's, as in the app.
        let findings = runtime.block_on(checks::run_all(
            &all,
            Arc::new(self::target(bed)),
            RunLimits::default(),
            Arc::new(move |event| match event {
                Progress::Started { check } => {
                    begun.lock().unwrap().insert(check, Instant::now());
                }
                Progress::Finished { check, .. } => {
                    let since = begun.lock().unwrap().get(&check).copied();
                    let ms = since.map_or(0.0, |t| t.elapsed().as_secs_f64() * 1000.0);
                    sink.lock().unwrap().push((check, ms));
                }
                Progress::Planned { .. } => {}
            }),
        ));
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        let times = times.lock().unwrap();
        let sum: f64 = times.iter().map(|(_, ms)| ms).sum();
        let (slowest, slowest_ms) = times
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .cloned()
            .unwrap_or_default();
        let ratio = wall / slowest_ms.max(0.001);
        let (after_requests, after_conns) = counts(bed);
        let requests = after_requests - before_requests;
        let conns = after_conns
            .iter()
            .zip(&before_conns)
            .map(|(a, b)| a - b)
            .max()
            .unwrap_or_default();
        let inconclusive: Vec<_> = findings
            .iter()
            .filter(|f| {
                !matches!(
                    f.outcome,
                    Outcome::Judged
                        | Outcome::Inconclusive {
                            cause: Cause::NothingToCheck,
                            ..
                        }
                )
            })
            .collect();
        let inconclusive_note = if inconclusive.is_empty() {
            String::new()
        } else {
            format!(", {} could not check", inconclusive.len())
        };
        println!(
            "{round:>5} {wall:>9.1} {sum:>9.0} {ratio:>6.2} {requests:>9} {conns:>6}  {slowest} ({slowest_ms:.1} ms, {} findings{inconclusive_note})",
            findings.len()
        );
        if round > 0 {
            ratios.push(ratio);
            for finding in inconclusive {
                let reason = finding.outcome.reason().unwrap_or_default();
                *could_not
                    .entry(format!("{}: {reason}", finding.check))
                    .or_default() += 1;
            }
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "median wall/slowest = {median:.2} (goal ≤ {GOAL:.2}): {}",
        if median <= GOAL { "met" } else { "NOT met" }
    );
    if !could_not.is_empty() {
        println!("could not check (rounds 1–{}):", ROUNDS - 1);
        for (what, count) in could_not {
            println!("  {count:>3}× {what}");
        }
    }
}
