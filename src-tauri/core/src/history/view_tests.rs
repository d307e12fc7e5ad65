//! The History page's data from recorded runs.

use handover_model::{DiffState, LatencyTarget, Schedule, Severity};

use super::history_view;
use crate::history::recorded::{could_not, judged, run, WEEK_MS};

const CHAT: &str = "https://api.example.com/api/chat";
const HEALTH: &str = "https://api.example.com/api/health";

fn schedule() -> Schedule {
    Schedule {
        enabled: false,
        weekday: 1,
        time: "09:00".into(),
        time_zone: "UTC".into(),
        next_due_ms: None,
    }
}

fn health(severity: Severity) -> handover_model::Finding {
    let mut f = judged("uptime.endpoints", HEALTH, severity, &[]);
    f.title = if severity == Severity::Pass {
        "API health answers 200 as expected".into()
    } else {
        "API health fails with 503".into()
    };
    f
}

#[test]
fn points_series_and_the_latest_diff() {
    let runs = vec![
        run(
            1,
            vec![
                judged(
                    "latency.chat",
                    CHAT,
                    Severity::Pass,
                    &[("p95_ms", 1200.0, "ms")],
                ),
                judged(
                    "tls.expiry",
                    "api.example.com",
                    Severity::Pass,
                    &[("days_left", 40.0, "days")],
                ),
                health(Severity::Pass),
                judged("headers.hsts", "https://example.com/", Severity::High, &[]),
            ],
        ),
        run(
            2,
            vec![
                judged(
                    "latency.chat",
                    CHAT,
                    Severity::High,
                    &[("p95_ms", 3200.0, "ms"), ("target_ms", 2000.0, "ms")],
                ),
                judged(
                    "tls.expiry",
                    "api.example.com",
                    Severity::Pass,
                    &[("days_left", 33.0, "days")],
                ),
                health(Severity::High),
                could_not("headers.hsts", "https://example.com/"),
            ],
        ),
        run(
            3,
            vec![
                judged(
                    "latency.chat",
                    CHAT,
                    Severity::Pass,
                    &[("p95_ms", 1500.0, "ms")],
                ),
                could_not("uptime.endpoints", HEALTH),
                health(Severity::Pass),
                judged(
                    "tls.expiry",
                    "api.example.com",
                    Severity::Medium,
                    &[("days_left", 26.0, "days")],
                ),
            ],
        ),
    ];
    let targets = LatencyTarget::defaults();
    let view = history_view(&runs, &targets, schedule(), 730);
    assert_eq!(view.runs.len(), 3);
    assert_eq!(view.runs[0].by_severity, [0, 1, 0, 0]);
    assert_eq!(view.runs[1].by_severity, [0, 2, 0, 0]);
    assert_eq!(view.runs[1].inconclusive, 1);
    assert_eq!(view.runs[2].started_ms, 3 * WEEK_MS);

    let diff = view.diff.unwrap();
    assert_eq!((diff.from_run, diff.to_run), (Some(2), 3));
    let state = |c: &str| diff.entries.iter().find(|e| e.check == c).map(|e| e.state);
    assert_eq!(state("latency.chat"), Some(DiffState::Resolved));
    assert_eq!(state("tls.expiry"), Some(DiffState::New));
    assert_eq!(
        state("headers.hsts"),
        Some(DiffState::Unknown),
        "gone, never resolved"
    );

    assert_eq!(view.p95.len(), 1);
    let chat = &view.p95[0];
    assert_eq!(chat.name, "chat p95 (api.example.com)");
    assert_eq!(
        chat.target,
        Some(2500.0),
        "the project's target, latest run"
    );
    let values: Vec<f64> = chat.points.iter().map(|p| p.1).collect();
    assert_eq!(values, [1200.0, 3200.0, 1500.0]);

    assert_eq!(view.certificate_days[0].name, "api.example.com");
    assert_eq!(
        view.certificate_days[0].points.last(),
        Some(&(3 * WEEK_MS, 26.0))
    );

    assert_eq!(view.uptime.len(), 1);
    let up: Vec<f64> = view.uptime[0].points.iter().map(|p| p.1.round()).collect();
    assert_eq!(up, [100.0, 50.0, 67.0], "cumulative, judged rechecks only");
    assert_eq!(view.retention_days, 730);
}

#[test]
fn no_runs_no_diff_and_one_run_everything_failing_is_new() {
    let view = history_view(&[], &[], schedule(), 30);
    assert!(view.diff.is_none() && view.runs.is_empty());
    let one = [run(
        1,
        vec![judged(
            "headers.hsts",
            "https://example.com/",
            Severity::High,
            &[],
        )],
    )];
    let view = history_view(&one, &[], schedule(), 30);
    let diff = view.diff.unwrap();
    assert_eq!(diff.from_run, None);
    assert_eq!(diff.counts.new, 1);
}
