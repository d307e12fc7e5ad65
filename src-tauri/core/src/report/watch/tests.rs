use handover_model::TrendDirection;

use super::live::renewal_due;
use super::*;
use crate::report::content::fixture::{self, bed};

#[test]
fn renewal_is_due_when_the_next_bucket_is_entered() {
    assert_eq!(renewal_due(90), (30, 60));
    assert_eq!(renewal_due(61), (1, 60));
    assert_eq!(renewal_due(60), (47, 13));
    assert_eq!(renewal_due(14), (1, 13));
    assert_eq!(renewal_due(13), (9, 4));
    assert_eq!(renewal_due(12), (8, 4));
    assert_eq!(renewal_due(5), (1, 4));
    assert_eq!(renewal_due(4), (0, 0));
    assert_eq!(renewal_due(-3), (0, 0));
}

#[test]
fn dates_and_values_read_like_people_write_them() {
    assert_eq!(date_of_day(fixture::day("2026-12-02") + 8), "2026-12-10");
    assert_eq!(date_of_day(fixture::day("2026-12-02") + 50), "2027-01-21");
    assert_eq!(date_of_day(0), "1970-01-01");
    assert_eq!(duration_text(2812.4), "2.8 s");
    assert_eq!(duration_text(640.0), "640 ms");
    assert_eq!(value_text("tls.expiry:x", 19.0), "19 days");
    assert_eq!(value_text("latency.chat:x", 2100.0), "2.1 s");
    assert_eq!(
        unicode_host("api.xn--bcher-kva.example"),
        "api.bücher.example"
    );
}

#[test]
fn the_watch_list_names_real_numbers_ranked_by_urgency_times_risk() {
    let bed = bed();
    let list = watch_list(&bed.input());
    let got: Vec<(&str, &str, Option<&str>, u32)> = list
        .iter()
        .map(|w| (w.key.as_str(), w.title.as_str(), w.due.as_deref(), score(w)))
        .collect();
    let health = "uptime.endpoints:https://api.xn--bcher-kva.example/api/health";
    let expected: Vec<(&str, &str, Option<&str>, u32)> = vec![
        (
            "blocker-checks:could-not-run",
            "2 blocker checks could not run in the latest run",
            None,
            20,
        ),
        (
            "owner:cdn",
            "Cloudflare/CDN has no owner (Cloudflare)",
            None,
            20,
        ),
        (
            "owner:monitoring",
            "Monitoring has no owner: no account is recorded",
            None,
            20,
        ),
        (
            "stage-6:open",
            "3 stage-6 (Production deploy) items are still open",
            None,
            20,
        ),
        (
            health,
            "The API health endpoint failed 2 of the last 7 runs",
            None,
            16,
        ),
        (
            "tls.expiry:api.xn--bcher-kva.example:443",
            "The certificate of api.bücher.example expires in 12 days (2026-12-14)",
            Some("2026-12-10"),
            12,
        ),
        (
            "contacts:unverified",
            "No alert contact has been verified",
            None,
            12,
        ),
        (
            "latency.chat:https://api.xn--bcher-kva.example/api/chat",
            "chat p95 2.8 s against a 2.5 s target, up from 2.1 s on 2026-11-24",
            None,
            12,
        ),
        (
            "rotation:5:51",
            "The Stripe live key was not rotated for 94 days",
            Some("2026-11-28"),
            12,
        ),
        (
            "rotation:6:61",
            "The GitHub deploy token is due for rotation on 2026-12-12",
            Some("2026-12-12"),
            9,
        ),
        (
            "email.dmarc:xn--bcher-kva.example",
            "DMARC for bücher.example is still p=none (since 2026-10-20)",
            None,
            6,
        ),
        (
            "latency.login:https://api.xn--bcher-kva.example/api/login",
            "login p95 700 ms, close to its 800 ms target, up from 650 ms on 2026-11-24",
            None,
            6,
        ),
        (
            "tls.expiry:www.xn--bcher-kva.example:443",
            "The certificate of www.bücher.example expires in 50 days (2027-01-21)",
            Some("2027-01-08"),
            4,
        ),
    ];
    assert_eq!(got, expected);
}

#[test]
fn items_carry_threshold_trend_owner_and_next_action() {
    let bed = bed();
    let list = watch_list(&bed.input());
    let find = |key: &str| list.iter().find(|w| w.key.starts_with(key)).unwrap();

    let cert = find("tls.expiry:api.");
    assert_eq!(cert.current, "12 days");
    assert_eq!(cert.threshold, "renew before 4 days left");
    assert_eq!(
        cert.owner, "Dana",
        "the owner of the item tls.expiry decides"
    );
    let trend = cert.trend.as_ref().unwrap();
    assert_eq!(
        (trend.previous, trend.previous_date.as_str()),
        (19.0, "2026-11-24")
    );
    assert_eq!(trend.direction, TrendDirection::Worse);
    assert!(
        cert.next_action.contains("by 2026-12-10 →"),
        "{}",
        cert.next_action
    );

    let chat = find("latency.chat:");
    assert_eq!(
        (chat.current.as_str(), chat.threshold.as_str()),
        ("2.8 s", "≤ 2.5 s")
    );
    assert_eq!(chat.owner, "Priya");
    assert_eq!(trend_text(chat), "worse (was 2.1 s on 2026-11-24)");

    let health = find("uptime.endpoints:");
    assert_eq!(health.current, "2 of 7 runs");
    assert_eq!(health.owner, "Ravi", "no item owner: the hosting account's");
    assert_eq!(health.trend.as_ref().unwrap().previous, 1.0);

    let stage = find("stage-6:open");
    assert_eq!(stage.current, "3 of 8 open");
    assert_eq!(stage.owner, "Sam, Ravi");
    assert_eq!(
        stage.next_action,
        "Close “Rollback without a rebuild” first → then the rest of the stage"
    );

    let blocked = find("blocker-checks:");
    assert_eq!(blocked.current, "2 (chat.fallback, redirect.https)");
    assert_eq!(
        blocked.trend.as_ref().unwrap().direction,
        TrendDirection::Worse
    );

    let stripe = find("rotation:5:");
    assert_eq!(
        (stripe.current.as_str(), stripe.owner.as_str()),
        ("94 days", "Dana")
    );
    assert!(find("owner:cdn").owner.is_empty(), "nobody owns it");
}

#[test]
fn dates_follow_the_report_date_not_the_clock() {
    let bed = bed();
    let mut input = bed.input();
    input.date = "2026-12-09";
    let list = watch_list(&input);
    let stripe = list.iter().find(|w| w.key == "rotation:5:51").unwrap();
    assert_eq!(
        stripe.title,
        "The Stripe live key was not rotated for 101 days"
    );
    let cert = list
        .iter()
        .find(|w| w.key.starts_with("tls.expiry:api."))
        .unwrap();
    // The run still says 12 days left; only the calendar moved.
    assert_eq!(cert.due.as_deref(), Some("2026-12-17"));
}

#[test]
fn an_inconclusive_measure_is_never_watched_as_fine() {
    let mut bed = bed();
    // The latest chat probe could not run: no p95 item, and the blocker
    // item for the checks that could not run remains.
    let latest = &mut bed.runs[0];
    for f in latest
        .findings
        .iter_mut()
        .filter(|f| f.check == "latency.chat")
    {
        *f = fixture::unchecked(
            "latency.chat",
            &f.target.clone(),
            &f.host.clone(),
            handover_model::Cause::Unreachable,
            "no answer",
        );
    }
    let list = watch_list(&bed.input());
    assert!(!list.iter().any(|w| w.key.starts_with("latency.chat:")));
    assert!(list.iter().any(|w| w.key == "blocker-checks:could-not-run"));
}

#[test]
fn nothing_recorded_gives_owner_and_contact_items_only() {
    let mut bed = bed();
    bed.runs.clear();
    bed.accounts.clear();
    bed.items.clear();
    bed.refresh();
    let list = watch_list(&bed.input());
    let keys: Vec<&str> = list.iter().map(|w| w.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "owner:cdn",
            "owner:dns",
            "owner:email",
            "owner:hosting",
            "owner:monitoring",
            "stage-6:open",
            "contacts:unverified"
        ]
    );
}
