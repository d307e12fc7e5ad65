//! Times the handover report of a full test-bed project with a year of
//! weekly history: the bed's project (apex + 4 subdomains, endpoints,
//! latency target, mail) is audited once for real, load probes included,
//! and 51 older weekly runs are derived from that run (measures wobbling,
//! certificates a week further from expiry each week back, some findings
//! milder), with accounts, contacts and checklist owners and notes, all in
//! an in-memory store.
//!
//! It prints, over several rounds, the median time of the report itself
//! (gather + document + PDF) against the goal (< 250 ms in release) and of
//! the whole export (loading from the store, rendering, the atomic write
//! of the PDF and its findings JSON), and the PDF's size against its goal
//! (< 400 KB with the font embedded). A goal not met is printed, not
//! failed: a bench reports, it does not gate CI.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p handover-core --bench report`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use handover_core::report::{content, pdf};
use handover_core::store::{now_ms, RunRecord, Store};
use handover_core::workbench::{RunOptions, Workbench};
use handover_core::Vault;
use handover_model::{
    AccountSaveRequest, AccountSpec, ContactSaveRequest, ContactSpec, EmailSetup, Endpoint,
    EndpointRole, Environment, EnvironmentKind, ItemStatus, ItemUpdateRequest, LatencyTarget,
    Method, Paper, Person, ProjectSaveRequest, ProjectSpec, ReportExportRequest, ReportFormat,
    RunSource, ServiceKind, Severity, Subdomain, SubdomainPurpose, TwoFactor,
};
use handover_testbed::TestBed;
use tokio::runtime::Runtime;

const ROUNDS: usize = 7;
const WEEKS: i64 = 52;
const WEEK_MS: i64 = 7 * 86_400_000;
const DATE: &str = "2026-12-01";
const TIME_GOAL: Duration = Duration::from_millis(250);
const SIZE_GOAL: usize = 400 * 1024;

fn main() {
    let runtime = Runtime::new().expect("a tokio runtime");
    let bed = runtime
        .block_on(TestBed::start())
        .expect("the test bed starts");
    let dir = tempfile::tempdir().expect("a temp dir");
    let ca = dir.path().join("bed-ca.pem");
    std::fs::write(&ca, bed.ca_pem()).expect("the CA file");
    let (bench, id) = runtime.block_on(project(&bed, &ca));
    let findings = runtime.block_on(history(&bench, id));
    println!(
        "report bench: {WEEKS} weekly runs ({findings} findings), {ROUNDS} rounds (first is warm-up), date {DATE}"
    );

    let mut report_times = Vec::new();
    let mut export_times = Vec::new();
    let mut size = 0;
    let out = dir.path().join("handover.pdf");
    for round in 0..ROUNDS {
        let source = runtime
            .block_on(bench.report_source(id, now_ms()))
            .expect("the report's data loads");
        let started = Instant::now();
        let input = source.input(DATE, "bench");
        let data = content::gather(&input).expect("the report gathers");
        let json = content::json(&data);
        let bytes = pdf::render_with_attachment(
            &content::document(&data),
            Paper::A4,
            "findings.json",
            json.as_bytes(),
        )
        .expect("the PDF renders");
        let report = started.elapsed();

        let started = Instant::now();
        let done = runtime
            .block_on(bench.export_report(
                ReportExportRequest {
                    project_id: id,
                    path: out.display().to_string(),
                    format: ReportFormat::Pdf,
                    paper: Paper::A4,
                },
                Some(DATE),
            ))
            .expect("the export is written");
        let export = started.elapsed();
        size = bytes.len();
        assert_eq!(
            done.record.bytes as usize, size,
            "the export is the same PDF"
        );
        println!(
            "{round:>5} report {:>8.1} ms  export {:>8.1} ms  {:>7.1} KB",
            ms(report),
            ms(export),
            size as f64 / 1024.0
        );
        if round > 0 {
            report_times.push(report);
            export_times.push(export);
        }
    }
    let report = median(&mut report_times);
    let export = median(&mut export_times);
    println!(
        "report (gather + document + PDF): median {:.1} ms, goal < {} ms: {:.2} of the budget{}",
        ms(report),
        TIME_GOAL.as_millis(),
        report.as_secs_f64() / TIME_GOAL.as_secs_f64(),
        verdict(report <= TIME_GOAL)
    );
    println!(
        "whole export (store + render + atomic writes): median {:.1} ms",
        ms(export)
    );
    println!(
        "PDF size: {:.1} KB, goal < {} KB: {:.2} of the budget{}",
        size as f64 / 1024.0,
        SIZE_GOAL / 1024,
        size as f64 / SIZE_GOAL as f64,
        verdict(size <= SIZE_GOAL)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn verdict(met: bool) -> &'static str {
    if met {
        " (goal met)"
    } else {
        " (GOAL NOT MET)"
    }
}

/// The bed's project, stored and audited once (load probes included), with
/// its accounts, contacts and some checklist work.
async fn project(bed: &TestBed, ca: &std::path::Path) -> (Workbench, i64) {
    let bench = Workbench::new(
        Store::open_in_memory().expect("an in-memory store"),
        Arc::new(Vault::with_store(
            "mock store",
            keyring_core::mock::Store::new().expect("a mock keychain"),
        )),
        "bench",
    );
    let apex = handover_testbed::APEX;
    let endpoint = |role, method, path: &str, body: &str| Endpoint {
        role,
        method,
        path: path.into(),
        body: body.into(),
        headers: Vec::new(),
        expected_status: 200,
        auth: None,
    };
    let spec = ProjectSpec {
        name: "Opsbot".into(),
        description: "Chat assistant for small shops.".into(),
        apex: apex.into(),
        subdomains: handover_testbed::SUBDOMAINS
            .iter()
            .map(|label| Subdomain {
                label: label.to_string(),
                purpose: SubdomainPurpose::Custom,
            })
            .collect(),
        environments: vec![Environment {
            kind: EnvironmentKind::Production,
            base_url: format!("https://{apex}:{}", bed.https_port()),
            env_file: String::new(),
        }],
        endpoints: vec![
            endpoint(EndpointRole::Homepage, Method::Get, "/", ""),
            endpoint(EndpointRole::Login, Method::Get, "/login", ""),
            endpoint(
                EndpointRole::Chat,
                Method::Post,
                "/chat",
                "{\"message\":\"hello\"}",
            ),
            endpoint(EndpointRole::ApiHealth, Method::Get, "/health", ""),
        ],
        latency_targets: vec![LatencyTarget {
            role: EndpointRole::Chat,
            p95_ms: 2500,
        }],
        email: EmailSetup {
            sending_domain: apex.into(),
            dkim_selectors: Vec::new(),
        },
        dns_server: bed.dns_server().to_string(),
        ca_file: ca.display().to_string(),
        ..ProjectSpec::default()
    };
    let id = bench
        .save(ProjectSaveRequest { id: None, spec })
        .await
        .expect("the bed project is valid")
        .id;
    bench
        .run_checks_with(
            id,
            &[],
            RunSource::Cli,
            RunOptions { load_probes: true },
            Arc::new(|_| {}),
        )
        .await
        .expect("the bed run");

    let person = |name: &str| Person {
        name: name.into(),
        email: format!("{}@example.test", name.to_lowercase()),
    };
    for (kind, provider, owner) in [
        (ServiceKind::Dns, "Gandi", "Ana"),
        (ServiceKind::Cdn, "Cloudflare", "Ana"),
        (ServiceKind::Hosting, "Fly.io", "Bruno"),
        (ServiceKind::Email, "Postmark", ""),
        (ServiceKind::Monitoring, "Better Stack", "Chloé"),
        (ServiceKind::ModelApi, "OpenAI", "Bruno"),
        (ServiceKind::Database, "Neon", "Bruno"),
        (ServiceKind::SourceRepo, "GitHub", "Ana"),
    ] {
        let spec = AccountSpec {
            kind,
            provider: provider.into(),
            owner: if owner.is_empty() {
                Person {
                    name: String::new(),
                    email: String::new(),
                }
            } else {
                person(owner)
            },
            two_factor: TwoFactor::Totp,
            recovery_codes_at: "1Password, vault Ops".into(),
            last_verified: "2026-10-01".into(),
            last_rotated: "2026-08-01".into(),
            ..AccountSpec::default()
        };
        bench
            .save_account(AccountSaveRequest {
                project_id: id,
                id: None,
                spec,
            })
            .await
            .expect("an account");
    }
    bench
        .save_contact(ContactSaveRequest {
            project_id: id,
            id: None,
            spec: ContactSpec {
                name: "Ana".into(),
                role: "on call".into(),
                email: "ana@example.test".into(),
                channels: vec!["#ops".into()],
                verified: "2026-11-20".into(),
            },
        })
        .await
        .expect("a contact");
    let note = "Rollback: redeploy the previous image from the registry, then purge the CDN. ";
    for (n, item) in bench.catalog().items.iter().enumerate().step_by(3) {
        let status = match n % 4 {
            0 => ItemStatus::Pass,
            1 => ItemStatus::Fail,
            _ => ItemStatus::Todo,
        };
        bench
            .update_item(ItemUpdateRequest {
                project_id: id,
                item_id: item.id.clone(),
                status,
                waiver_reason: String::new(),
                owner: ["Ana", "Bruno", "Chloé"][n % 3].into(),
                notes: note.repeat(1 + n % 4),
                evidence: Vec::new(),
            })
            .await
            .expect("an item change");
    }
    (bench, id)
}

/// 51 older weekly runs derived from the real one; answers the number of
/// findings stored in all.
async fn history(bench: &Workbench, id: i64) -> usize {
    let runs = bench.runs(Some(id)).await.expect("the runs");
    let latest = bench.run(runs[0].id).await.expect("the bed run");
    let mut total = latest.findings.len();
    for week in 1..WEEKS {
        let mut findings = latest.findings.clone();
        let wobble = ((week * 37) % 23) as f64 / 23.0 - 0.5;
        for f in &mut findings {
            if week % 5 == 0 && f.severity == Severity::High {
                f.severity = Severity::Medium;
            }
            for m in &mut f.measured {
                match m.unit.as_str() {
                    "ms" => m.value = (m.value * (1.0 + 0.4 * wobble)).max(0.0),
                    "days" => m.value += (7 * week) as f64,
                    _ => {}
                }
            }
        }
        total += findings.len();
        let started_ms = latest.summary.started_ms - week * WEEK_MS;
        let record = RunRecord {
            project_id: Some(id),
            source: RunSource::Cli,
            subject: "Opsbot".into(),
            started_ms,
            finished_ms: started_ms + 4_000,
        };
        bench
            .store()
            .run(move |db| db.insert_run(&record, &findings))
            .await
            .expect("a past run");
    }
    total
}
