//! The latency probe beside oha, against the same loopback endpoint: a
//! handler that answers after 200 ms, 5 concurrent users, 200 requests,
//! one after the other in one run. Prints both p95 values and their ratio
//! (goal: within 2 %). oha reports percentiles by rank ⌊p·n⌋ without
//! interpolation, ours by nearest rank ⌈p·n⌉ (see
//! `handover_core::checks::latency::stats`): on 200 samples the two
//! differ by one rank at most.
//!
//! Run with `cargo xtask bench`, which installs oha first
//! (`cargo install oha --locked`) and names it in `OHA`; without oha the
//! comparison is skipped with a note and only Handover's numbers print.

use std::process::Command;
use std::time::Duration;

use handover_core::checks::latency::load::{run, Plan};
use handover_core::checks::latency::stats::METHOD;
use handover_core::checks::net::Net;
use handover_core::checks::CheckTarget;
use handover_testbed::{handler, HttpServer, Response, Site};
use tokio::runtime::Runtime;

const DELAY: Duration = Duration::from_millis(200);
const USERS: usize = 5;
const REQUESTS: usize = 200;
const GOAL: f64 = 0.02;

fn main() {
    let runtime = Runtime::new().expect("a tokio runtime");
    let server = runtime
        .block_on(HttpServer::start(vec![Site::new(
            "127.0.0.1",
            handler(|_| Response::text("ok").delay(DELAY)),
        )]))
        .expect("the server starts");
    let url = format!("http://127.0.0.1:{}/", server.port());
    println!(
        "latency bench: GET {url} answering after {} ms, c={USERS}, n={REQUESTS}",
        DELAY.as_millis()
    );
    let net = Net::new(&CheckTarget::default()).expect("a network context");
    let mut plan = Plan::get(url.parse().expect("a URL"));
    plan.requests = REQUESTS;
    plan.users = USERS;
    let report = runtime.block_on(run(&net, &plan)).expect("the probe runs");
    let ours = report
        .percentiles
        .expect("200 samples give percentiles")
        .p95
        .as_secs_f64()
        * 1000.0;
    println!(
        "handover: p95 {ours:.1} ms ({METHOD}), {} answered, {} failed, {:.2} s",
        report.samples.len() - report.failed,
        report.failed,
        report.elapsed.as_secs_f64()
    );
    match oha_p95(&url) {
        Ok(theirs) => {
            let ratio = ours / theirs;
            let met = (ratio - 1.0).abs() <= GOAL;
            println!("oha:      p95 {theirs:.1} ms (rank ⌊p·n⌋, no interpolation)");
            println!(
                "ratio handover/oha = {ratio:.3} (goal within {:.0} %): {}",
                GOAL * 100.0,
                if met { "met" } else { "NOT met" }
            );
        }
        Err(why) => println!("oha: not compared ({why})"),
    }
}

/// Runs oha against `url` and reads its p95 in ms from the JSON report.
fn oha_p95(url: &str) -> Result<f64, String> {
    let n = REQUESTS.to_string();
    let c = USERS.to_string();
    let oha = std::env::var_os("OHA").unwrap_or_else(|| "oha".into());
    let attempt = |format: &[&str]| {
        Command::new(&oha)
            .args(["-n", &n, "-c", &c, "--no-tui"])
            .args(format)
            .arg(url)
            .output()
    };
    let mut out = attempt(&["--output-format", "json"]).map_err(|e| format!("oha: {e}"))?;
    if !out.status.success() {
        out = attempt(&["--json"]).map_err(|e| format!("oha: {e}"))?;
    }
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("oha's JSON: {e}"))?;
    json.pointer("/latencyPercentiles/p95")
        .and_then(serde_json::Value::as_f64)
        .map(|seconds| seconds * 1000.0)
        .ok_or_else(|| "oha's JSON has no latencyPercentiles.p95".to_string())
}
