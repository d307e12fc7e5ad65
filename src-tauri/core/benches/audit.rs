//! Audits a test-bed project — apex + 4 subdomains, 5 endpoints — with every
//! live check and prints how well the run overlaps its checks: wall time,
//! the sum of the checks' own times, the slowest check, and wall / slowest
//! (1.0 would be perfect overlap; the goal is ≤ 1.3).
//!
//! Run with `cargo xtask bench` (or `cargo bench -p handover-core --bench audit`).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use handover_core::checks::{self, CheckTarget, RunLimits};
use handover_model::Progress;
use handover_testbed::TestBed;

const ROUNDS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let target = Arc::new(CheckTarget {
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
    });
    let all = checks::all();
    println!(
        "audit bench: {} hosts, {} endpoints, {} checks, {ROUNDS} rounds (first is warm-up)",
        target.hosts.len(),
        target.paths.len(),
        all.len()
    );
    println!(
        "{:>5} {:>9} {:>12} {:>9}  slowest check",
        "round", "wall ms", "sum ms", "ratio"
    );
    let mut ratios = Vec::new();
    for round in 0..ROUNDS {
        let times: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
        let sink = times.clone();
        let started = Instant::now();
        let findings = runtime.block_on(checks::run_all(
            &all,
            target.clone(),
            RunLimits::default(),
            Arc::new(move |event| {
                if let Progress::Finished {
                    check, elapsed_ms, ..
                } = event
                {
                    sink.lock().unwrap().push((check, elapsed_ms));
                }
            }),
        ));
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        let times = times.lock().unwrap();
        let sum: u64 = times.iter().map(|(_, ms)| ms).sum();
        let (slowest, slowest_ms) = times
            .iter()
            .max_by_key(|(_, ms)| *ms)
            .cloned()
            .unwrap_or_default();
        let ratio = wall / (slowest_ms.max(1) as f64);
        println!(
            "{round:>5} {wall:>9.1} {sum:>12} {ratio:>9.2}  {slowest} ({slowest_ms} ms, {} findings)",
            findings.len()
        );
        if round > 0 {
            ratios.push(ratio);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "median wall/slowest = {median:.2} (goal ≤ 1.30): {}",
        if median <= 1.3 { "met" } else { "NOT met" }
    );
}
