//! Times the History page's data for five years of weekly runs of a full
//! project: 260 runs of ~115 findings each (~30k findings: TLS per host,
//! headers, DNS, mail, latency with histograms, uptime per endpoint), with
//! measures wobbling from week to week and certificates renewed every 90
//! days, in a database file.
//!
//! It prints the median, over several rounds, of `Workbench::run_history`
//! (the store job: every finding's marks — ids, fingerprint keys, severity,
//! outcome — the walk of the latest run's diff against all before it, the
//! findings of its entries and of the charts) right after a write, judged
//! against the goal (< 20 ms in release), and repeated; of `diff_runs` for
//! the latest two; and, to compare, the same page built from every finding
//! read in full (`history_runs` + `history_view`). A goal not met is
//! printed, not failed: a bench reports, it does not gate CI.
//!
//! Run with `cargo bench -p handover-core --bench history`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use handover_core::checks::{finding, inconclusive, measure};
use handover_core::store::{now_ms, RunRecord, Store};
use handover_core::{Vault, Workbench};
use handover_model::{Bin, Cause, Finding, ProjectSpec, RunSource, Severity};
use tokio::runtime::Runtime;

const ROUNDS: usize = 9;
const WEEKS: i64 = 260;
const WEEK_MS: i64 = 7 * 86_400_000;
const GOAL: Duration = Duration::from_millis(20);

const HOSTS: [&str; 6] = [
    "example.com",
    "www.example.com",
    "app.example.com",
    "api.example.com",
    "docs.example.com",
    "status.example.com",
];

/// The findings of week `week` (0 = oldest).
fn findings(week: i64) -> Vec<Finding> {
    let wobble = |base: f64, spread: f64| base + spread * (((week * 37) % 17) as f64 / 17.0 - 0.5);
    let mut out = Vec::new();
    for (h, host) in HOSTS.iter().enumerate() {
        let days = 90 - ((week * 7 + h as i64 * 11) % 90);
        let mut tls = finding(
            "tls.expiry",
            format!("{host}:443"),
            if days < 14 {
                Severity::High
            } else {
                Severity::Pass
            },
            format!("Certificate expires in {days} days"),
            "Renew it.",
        );
        tls.measured = vec![measure("days_left", days as f64, "days")];
        out.push(tls);
        for check in ["tls.chain", "tls.handshake", "tls.hostname"] {
            out.push(finding(
                check,
                format!("{host}:443"),
                Severity::Pass,
                format!("{check} fine"),
                "",
            ));
        }
        let site = format!("https://{host}/");
        for check in [
            "headers.hsts",
            "headers.csp",
            "headers.framing",
            "headers.referrer",
            "headers.content_type",
            "headers.cookies",
            "redirect.https",
            "cdn.proxied",
            "weight.page",
        ] {
            let severity = if (week + h as i64) % 5 == 0 && check == "headers.csp" {
                Severity::Medium
            } else {
                Severity::Pass
            };
            let mut f = finding(
                check,
                site.clone(),
                severity,
                format!("{check} on {host}"),
                "What it means and what to do, in a sentence or two of detail.",
            );
            f.evidence = vec![
                format!("GET {site} → 200"),
                "content-type: text/html".into(),
            ];
            out.push(f);
        }
        for check in ["dns.resolve", "dns.dangling_cname", "dns.caa"] {
            out.push(finding(
                check,
                host.to_string(),
                Severity::Pass,
                format!("{check} fine"),
                "",
            ));
        }
    }
    for check in [
        "email.mx",
        "email.spf",
        "email.dmarc",
        "email.dkim",
        "email.mta_sts",
        "email.transport",
        "dns.ns",
        "redirect.canonical",
    ] {
        out.push(finding(
            check,
            "example.com",
            Severity::Low,
            format!("{check} could be stricter"),
            "",
        ));
    }
    for (role, path, target) in [
        ("chat", "/api/chat", 2500.0),
        ("login", "/login", 800.0),
        ("dashboard", "/app", 1500.0),
    ] {
        let url = format!("https://api.example.com{path}");
        let p95 = wobble(target * 0.8, target * 0.4);
        let mut f = finding(
            &format!("latency.{role}"),
            url,
            if p95 > target {
                Severity::High
            } else {
                Severity::Pass
            },
            format!("{role} p95 {p95:.0} ms"),
            "",
        );
        let mut p = measure("p95_ms", p95, "ms");
        p.bins = (1..=24)
            .map(|i| Bin {
                upper: f64::from(i) * 100.0,
                count: (i * 7 % 13) as u32,
            })
            .collect();
        f.measured = vec![
            p,
            measure("p50_ms", p95 * 0.6, "ms"),
            measure("target_ms", target, "ms"),
        ];
        out.push(f);
    }
    for (i, path) in [
        "/",
        "/login",
        "/api/health",
        "/api/chat",
        "/webhook",
        "/app",
    ]
    .iter()
    .enumerate()
    {
        let url = format!("https://api.example.com{path}");
        if week % 13 == i as i64 {
            out.push(inconclusive(
                "uptime.endpoints",
                url,
                Cause::TimedOut,
                "no answer in 10 s",
            ));
            continue;
        }
        let label = if *path == "/api/health" {
            "API health"
        } else {
            "Endpoint"
        };
        let mut f = finding(
            "uptime.endpoints",
            url.clone(),
            Severity::Pass,
            format!("{label} answers 200 as expected"),
            "",
        );
        f.measured = vec![
            measure("ttfb_ms", wobble(120.0, 60.0), "ms"),
            measure("total_ms", wobble(180.0, 80.0), "ms"),
            measure("status", 200.0, ""),
        ];
        out.push(f);
        out.push(finding(
            "smoke.endpoints",
            url.clone(),
            Severity::Pass,
            "Smoke step passed",
            "",
        ));
    }
    for check in [
        "access.boundaries",
        "cors.policy",
        "ratelimit.chat",
        "ratelimit.login",
        "chat.fallback",
    ] {
        out.push(finding(
            check,
            "https://api.example.com/api",
            Severity::Medium,
            format!("{check} needs work"),
            "",
        ));
    }
    out
}

fn main() {
    let runtime = Runtime::new().expect("a tokio runtime");
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("handover.db")).expect("the store opens");
    let now = now_ms();
    let (id, total) = store
        .run_blocking(move |db| {
            let spec = ProjectSpec {
                name: "Bench".into(),
                apex: "example.com".into(),
                ..ProjectSpec::default()
            };
            let id = db.create_project(&spec, now)?.id;
            let mut total = 0;
            for week in 0..WEEKS {
                let started = now - (WEEKS - week) * WEEK_MS;
                let record = RunRecord {
                    project_id: Some(id),
                    source: RunSource::Cli,
                    subject: "Bench".into(),
                    started_ms: started,
                    finished_ms: started + 20_000,
                };
                let findings = findings(week);
                total += findings.len();
                db.insert_run(&record, &findings)?;
            }
            Ok((id, total))
        })
        .expect("the history is stored");
    // The floor on this machine: SQLite stepping through every finding's
    // columns without building anything.
    let conn = rusqlite::Connection::open(dir.path().join("handover.db")).expect("a reader");
    let mut floor = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let mut stmt = conn
            .prepare_cached(
                "SELECT run_id, check_id, target, severity, title, measured, host, port, \
                        outcome, cause, reason FROM findings ORDER BY id",
            )
            .expect("the query");
        let mut rows = stmt.query([]).expect("the rows");
        let mut bytes = 0;
        while let Some(row) = rows.next().expect("a row") {
            bytes += row
                .get_ref(5)
                .expect("measured")
                .as_bytes()
                .map_or(0, <[u8]>::len);
        }
        assert!(bytes > 0);
        floor.push(started.elapsed());
    }
    let mut load = Vec::new();
    let mut view = Vec::new();
    for _ in 0..ROUNDS {
        let (l, v) = store
            .run_blocking(move |db| {
                let started = Instant::now();
                let runs = db.history_runs(id, None)?;
                let loaded = started.elapsed();
                let started = Instant::now();
                let _ = handover_core::history::history_view(
                    &runs,
                    &[],
                    handover_core::store::default_schedule(),
                    730,
                );
                Ok((loaded, started.elapsed()))
            })
            .expect("the runs load");
        load.push(l);
        view.push(v);
    }
    let mut marks = Vec::new();
    let mut charts = Vec::new();
    for _ in 0..ROUNDS {
        let (m, c) = store
            .run_blocking(move |db| {
                let started = Instant::now();
                let marked = db.history_marks(id)?;
                let m = started.elapsed();
                assert_eq!(marked.len() as i64, WEEKS);
                let started = Instant::now();
                db.chart_marks(id, None)?;
                Ok((m, started.elapsed()))
            })
            .expect("the marks load");
        marks.push(m);
        charts.push(c);
    }
    let bench = Workbench::new(store, Arc::new(Vault::native()), "bench");
    println!(
        "history bench: {WEEKS} weekly runs ({total} findings), {ROUNDS} rounds (first is warm-up)"
    );

    // A write before each cold round (a retention setting that prunes
    // nothing), as after a recheck; the repeated rounds follow each other.
    let mut cold = Vec::new();
    for _ in 0..ROUNDS {
        runtime
            .block_on(bench.set_retention(36_500))
            .expect("the setting is written");
        let started = Instant::now();
        runtime
            .block_on(bench.run_history(id, None))
            .expect("the history loads");
        cold.push(started.elapsed());
    }
    let mut history = Vec::new();
    let mut diff = Vec::new();
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let view = runtime
            .block_on(bench.run_history(id, None))
            .expect("the history loads");
        history.push(started.elapsed());
        assert_eq!(view.runs.len() as i64, WEEKS);
        assert!(
            !view.p95.is_empty() && !view.certificate_days.is_empty() && !view.uptime.is_empty()
        );
        let started = Instant::now();
        runtime
            .block_on(bench.diff_runs(id, None, None))
            .expect("the diff loads");
        diff.push(started.elapsed());
    }
    let median = |times: &mut Vec<Duration>| {
        let mut rest = times.split_off(1);
        rest.sort();
        rest[rest.len() / 2]
    };
    let cold = median(&mut cold);
    let verdict = if cold < GOAL { "met" } else { "NOT MET" };
    println!(
        "run_history, first load after a write (from SQLite): median {cold:?} \
         (goal < {GOAL:?}: {verdict})"
    );
    let history = median(&mut history);
    println!("run_history, repeated: median {history:?}");
    println!(
        "  of which: the marks {:?}, the charted findings {:?}",
        median(&mut marks),
        median(&mut charts)
    );
    let (load, view) = (median(&mut load), median(&mut view));
    println!(
        "the same page from every finding read in full: {:?} (loading {load:?}, the view \
         {view:?}); the marks are {:.1}x faster",
        load + view,
        (load + view).as_secs_f64() / cold.as_secs_f64()
    );
    println!(
        "  SQLite alone, stepping every finding: {:?}",
        median(&mut floor)
    );
    println!("diff_runs (latest two): median {:?}", median(&mut diff));
}
