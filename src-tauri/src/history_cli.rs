//! `handover history --project NAME [--since YYYY-MM-DD] [--json]` and
//! `handover diff --project NAME [RUN_A RUN_B] [--json]`: a project's runs
//! over time and what changed between two of them, headless — what the
//! History page shows, from the same core calls.
//!
//! JSON output carries a `schema` field (`handover-history/1`,
//! `handover-diff/1`); the rest is the core's `HistoryView` or `RunDiff`
//! as is. Exit codes: 0 shown, 2 bad input (an unknown project or run),
//! 3 internal error.

use std::process::ExitCode;

use clap::Args;
use handover_core::workbench::run_verdict;
use handover_core::Workbench;
use handover_model::{
    CommandError, DiffEntry, DiffState, HistoryView, RunDiff, Schedule, Severity, Verdict,
};
use serde::Serialize;

use crate::runs_cli::{fail, print_json, when};
use crate::state::AppState;
use crate::terminal::{self, by_host, paint, severity_rank, Tally, Tone};

/// The `schema` of `handover history --json`.
pub const HISTORY_SCHEMA: &str = "handover-history/1";
/// The `schema` of `handover diff --json`.
pub const DIFF_SCHEMA: &str = "handover-diff/1";

/// `handover history`: which project, since when.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The project's name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub project: String,
    /// Only runs started on or after this day (UTC), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub since: Option<i64>,
    /// Print JSON (`handover-history/1`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `handover diff`: which project, which two runs.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The project's name or id.
    #[arg(long, value_name = "NAME|ID")]
    pub project: String,
    /// The earlier run (by default the one before the latest).
    #[arg(value_name = "RUN_A")]
    pub from_run: Option<i64>,
    /// The later run (by default the latest).
    #[arg(value_name = "RUN_B", requires = "from_run")]
    pub to_run: Option<i64>,
    /// Print JSON (`handover-diff/1`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `YYYY-MM-DD` as ms since the epoch at midnight UTC.
fn parse_day(text: &str) -> Result<i64, String> {
    handover_model::date::days_from_civil(text)
        .map(|days| days * 86_400_000)
        .ok_or_else(|| format!("{text:?} is not a date in the form YYYY-MM-DD"))
}

/// `handover history --json`.
#[derive(Serialize)]
struct HistoryJson<'a> {
    schema: &'static str,
    project_id: i64,
    project: &'a str,
    #[serde(flatten)]
    view: &'a HistoryView,
}

/// `handover diff --json`.
#[derive(Serialize)]
struct DiffJson<'a> {
    schema: &'static str,
    project_id: i64,
    project: &'a str,
    #[serde(flatten)]
    diff: &'a RunDiff,
}

/// Shows a project's history.
pub fn history(args: HistoryArgs, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let found = tauri::async_runtime::block_on(async {
        let project = workbench.find_project(&args.project).await?;
        let view = workbench.run_history(project.id, args.since).await?;
        Ok::<_, handover_core::workbench::WorkError>((project, view))
    });
    let (project, view) = match found {
        Ok(found) => found,
        Err(err) => return fail(err.into()),
    };
    if args.json {
        return print_json(&HistoryJson {
            schema: HISTORY_SCHEMA,
            project_id: project.id,
            project: &project.spec.name,
            view: &view,
        });
    }
    if !terminal::quiet() {
        print_history(&project.spec.name, &view, args.since);
    }
    match view.runs.last() {
        Some(latest) => verdict_of_run(workbench, latest.run_id),
        None => {
            println!("no runs yet: nothing has been checked");
            ExitCode::SUCCESS
        }
    }
}

/// Shows what changed between two runs.
pub fn diff(args: DiffArgs, state: &AppState) -> ExitCode {
    let workbench = match state.workbench() {
        Ok(workbench) => workbench,
        Err(err) => return fail(err),
    };
    let found = tauri::async_runtime::block_on(async {
        let project = workbench.find_project(&args.project).await?;
        let diff = workbench
            .diff_runs(project.id, args.from_run, args.to_run)
            .await?;
        Ok::<_, handover_core::workbench::WorkError>((project, diff))
    });
    let (project, diff) = match found {
        Ok(found) => found,
        Err(err) => return fail(err.into()),
    };
    if args.json {
        return print_json(&DiffJson {
            schema: DIFF_SCHEMA,
            project_id: project.id,
            project: &project.spec.name,
            diff: &diff,
        });
    }
    if !terminal::quiet() {
        println!(
            "{}: {}",
            paint(&project.spec.name, Tone::Strong),
            diff_heading(&diff)
        );
        print_diff(&diff);
    }
    verdict_of_run(workbench, diff.to_run)
}

/// Prints the verdict line of a stored run; exit 0 when it was read.
fn verdict_of_run(workbench: &Workbench, run_id: i64) -> ExitCode {
    match tauri::async_runtime::block_on(workbench.run(run_id)) {
        Ok(run) => {
            let verdict = run_verdict(workbench.catalog(), &run.findings);
            let elapsed = (run.summary.finished_ms - run.summary.started_ms).max(0) as u64;
            terminal::print_verdict(
                verdict.verdict == Verdict::Go,
                None,
                &Tally::of(&run.findings, elapsed),
            );
            ExitCode::SUCCESS
        }
        Err(err) => fail(CommandError::from(err)),
    }
}

/// `run 12 (…) → run 15 (…)`, or `run 15 (…), the first run`.
pub(crate) fn diff_heading(diff: &RunDiff) -> String {
    match (diff.from_run, diff.from_ms) {
        (Some(from), Some(from_ms)) => format!(
            "run {from} ({}) → run {} ({})",
            when(from_ms),
            diff.to_run,
            when(diff.to_ms)
        ),
        _ => format!("run {} ({}), the first run", diff.to_run, when(diff.to_ms)),
    }
}

fn print_history(name: &str, view: &HistoryView, since_ms: Option<i64>) {
    let since = since_ms.map(|ms| format!(" since {}", &when(ms)[..10]));
    println!(
        "{}: {}{} · runs kept {} · {}",
        paint(name, Tone::Strong),
        terminal::plural(view.runs.len(), "run", "runs"),
        since.unwrap_or_default(),
        terminal::plural(view.retention_days as usize, "day", "days"),
        schedule_text(&view.schedule)
    );
    if !view.runs.is_empty() {
        println!(
            "  {:>5}  {:<20}  {:>7} {:>5} {:>6} {:>4} {:>7}",
            "run", "started", "blocker", "high", "medium", "low", "unknown"
        );
    }
    for run in &view.runs {
        let [blocker, high, medium, low] = run.by_severity;
        println!(
            "  {:>5}  {:<20}  {blocker:>7} {high:>5} {medium:>6} {low:>4} {:>7}",
            run.run_id,
            when(run.started_ms),
            run.inconclusive
        );
    }
    if let Some(diff) = &view.diff {
        println!("Latest changes: {}", diff_heading(diff));
        print_diff(diff);
    }
}

/// `weekly recheck on Monday at 09:00 (Europe/Berlin), next …` or `no
/// weekly recheck`.
pub(crate) fn schedule_text(schedule: &Schedule) -> String {
    if !schedule.enabled {
        return "no weekly recheck".to_string();
    }
    let day = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .get(usize::from(schedule.weekday.max(1)) - 1)
    .copied()
    .unwrap_or("?");
    let next = schedule
        .next_due_ms
        .map(|ms| format!(", next {}", when(ms)))
        .unwrap_or_default();
    format!(
        "weekly recheck on {day} at {} ({}){next}",
        schedule.time, schedule.time_zone
    )
}

/// Tier of a change for "worst first": new and regressed, then unknown,
/// persisting, resolved.
fn tier(state: DiffState) -> u8 {
    match state {
        DiffState::New | DiffState::Regressed => 3,
        DiffState::Unknown => 2,
        DiffState::Persisting => 1,
        DiffState::Resolved => 0,
    }
}

fn entry_rank(entry: &DiffEntry) -> u8 {
    let severity = entry.after.or(entry.before).unwrap_or(Severity::Pass);
    tier(entry.state) * 8 + severity_rank(severity)
}

/// Whether a metric moved (or appeared, or went away).
fn moved(entry: &DiffEntry) -> bool {
    entry.deltas.iter().any(|d| d.before != d.after)
}

/// Prints a diff's changes grouped by host, worst first (persisting
/// findings only when a number moved), then its counts.
pub(crate) fn print_diff(diff: &RunDiff) {
    let shown: Vec<DiffEntry> = diff
        .entries
        .iter()
        .filter(|e| e.state != DiffState::Persisting || moved(e))
        .cloned()
        .collect();
    for (host, entries) in by_host(
        &shown,
        |e| terminal::host_of(&e.host, &e.target),
        entry_rank,
        |e| e.fingerprint.clone(),
    ) {
        println!("  {}", paint(&host, Tone::Strong));
        for entry in entries {
            print_entry(entry);
        }
    }
    let c = diff.counts;
    println!(
        "  {} new, {} regressed, {} resolved, {} unknown, {} persisting",
        c.new, c.regressed, c.resolved, c.unknown, c.persisting
    );
}

fn print_entry(entry: &DiffEntry) {
    let tone = match entry.state {
        DiffState::New | DiffState::Regressed => Tone::Bad,
        DiffState::Unknown => Tone::Unknown,
        DiffState::Persisting => Tone::Warn,
        DiffState::Resolved => Tone::Good,
    };
    let severity = match (entry.before, entry.after) {
        (Some(b), Some(a)) if b != a => format!("{} → {}", b.as_str(), a.as_str()),
        (_, Some(a)) => a.as_str().to_string(),
        (Some(b), None) => format!("was {}", b.as_str()),
        (None, None) => String::new(),
    };
    println!(
        "    {} {severity:<16} {:<24} {:<32} {}",
        paint(&format!("{:<10}", entry.state.as_str()), tone),
        entry.check,
        entry.target,
        entry.title
    );
    for delta in entry.deltas.iter().filter(|d| d.before != d.after) {
        let side = |v: Option<f64>| {
            v.map(|v| terminal::human_value(v, &delta.unit))
                .unwrap_or_else(|| "—".to_string())
        };
        println!(
            "      {}: {} → {}",
            delta.name,
            side(delta.before),
            side(delta.after)
        );
    }
}
