//! The parts of the Secrets & env page: counts, the per-target chart,
//! findings by target (with ignore / un-ignore), env parity, logs and the
//! baseline. Each renders what the core computed.

use handover_model::{
    EnvParity, HygieneTarget, LogScan, ProjectSecrets, SecretFinding, SecretIgnore,
};
use sycamore::prelude::*;

use super::logic;
use crate::format;
use crate::pages::checks::finding::severity_chip;

/// What a finding's buttons do: ignore (fingerprint, reason) or un-ignore.
#[derive(Clone, Copy)]
pub struct Actions {
    /// Adds the fingerprint, with a reason, to the baseline.
    pub ignore: fn(i64, String, String, Signal<super::Shown>),
    /// Takes the fingerprint out of the baseline.
    pub unignore: fn(i64, String, Signal<super::Shown>),
    /// The project.
    pub project_id: i64,
    /// Where the answer goes.
    pub shown: Signal<super::Shown>,
}

/// The verdict and the counts.
pub fn summary(page: &ProjectSecrets) -> View {
    let c = page.counts;
    let class = if page.leaks {
        "secrets-verdict secrets-verdict--bad"
    } else {
        "secrets-verdict secrets-verdict--good"
    };
    let when = format!(
        "Scanned {} in {} ms.",
        format::timestamp(page.scanned_ms),
        page.elapsed_ms
    );
    let verdict = page.verdict.clone();
    let tile = |label: &'static str, n: u64| {
        view! { div(class="stat") { span(class="stat__value") { (n) } span(class="stat__label") { (label) } } }
    };
    let leaks = page.leaks.to_string();
    let (open, blockers, ignored, env_issues) = (
        c.open.to_string(),
        c.blockers.to_string(),
        c.ignored.to_string(),
        c.env_issues.to_string(),
    );
    let tiles: Vec<View> = vec![
        tile("open secrets", c.open.into()),
        tile("public (blockers)", c.blockers.into()),
        tile("ignored", c.ignored.into()),
        tile("env issues", c.env_issues.into()),
        tile("credentials in logs", c.log_credentials),
        tile("personal data in logs", c.log_personal),
        tile("prompts in logs", c.log_prompts),
    ];
    view! {
        p(id="secrets-verdict", class=class, role="status", data-leaks=leaks) { (verdict) }
        p(class="muted") { (when) }
        div(id="secrets-counts", class="stats", data-open=open,
            data-blockers=blockers, data-ignored=ignored, data-env-issues=env_issues) {
            (tiles)
        }
    }
}

/// Open and ignored findings per target, as bars.
pub fn chart(targets: &[HygieneTarget]) -> View {
    let rows: Vec<View> = logic::bars(targets)
        .into_iter()
        .map(|bar| {
            let svg = crate::components::bar(
                &[
                    (bar.open_pct, "secrets-bar__open"),
                    (bar.ignored_pct, "secrets-bar__ignored"),
                ],
                &bar.label,
            );
            let note = if bar.unscanned {
                "not scanned".to_owned()
            } else {
                format!("{} open, {} ignored", bar.open, bar.ignored)
            };
            view! {
                div(class="secrets-bar") {
                    span(class="secrets-bar__label") { (bar.label) }
                    span(class="secrets-bar__track", dangerously_set_inner_html=svg)
                    span(class="secrets-bar__note") { (note) }
                }
            }
        })
        .collect();
    view! {
        figure(class="panel secrets-chart", aria-label="Secrets found per target") {
            figcaption(class="panel__title") { "Where the secrets are" }
            (rows)
        }
    }
}

/// One target's section.
pub fn target(t: &HygieneTarget, ignores: &[SecretIgnore], actions: Actions) -> View {
    let head = format!(
        "{} — {}",
        t.label,
        if t.root.is_empty() { "—" } else { &t.root }
    );
    let body = match (&t.scan, &t.not_scanned) {
        (Some(scan), _) => {
            let read = format!(
                "{} file(s), {} scanned; {} not scanned.",
                scan.files,
                handover_model::units::human_size(scan.bytes),
                scan.skipped.len()
            );
            let items: Vec<View> = scan
                .findings
                .iter()
                .map(|f| finding(f, ignores, actions))
                .collect();
            let none = scan
                .findings
                .is_empty()
                .then(|| view! { p(class="good") { "No secrets found." } });
            let skipped: Vec<View> = scan
                .skipped
                .iter()
                .map(|s| {
                    let why = match &s.reason {
                        handover_model::SkipReason::Binary => "binary".to_owned(),
                        handover_model::SkipReason::TooLarge { bytes, .. } => {
                            format!("too large ({})", handover_model::units::human_size(*bytes))
                        }
                        handover_model::SkipReason::Unreadable { error } => error.clone(),
                    };
                    let line = format!("{}: {why}", s.location);
                    view! { li { (line) } }
                })
                .collect();
            let skips = (!scan.skipped.is_empty()).then(|| {
                let label = format!("{} file(s) not scanned", scan.skipped.len());
                view! { details { summary { (label) } ul { (skipped) } } }
            });
            view! { p(class="muted") { (read) } (none) ul(class="secret-findings") { (items) } (skips) }
        }
        (None, why) => {
            let why = why.clone().unwrap_or_default();
            view! { p(class="muted secrets-unscanned") { (why) } }
        }
    };
    let place = t.place.as_str();
    view! {
        section(class="panel secrets-target", data-place=place) {
            h2(class="panel__title") { (head) }
            (body)
        }
    }
}

fn finding(f: &SecretFinding, ignores: &[SecretIgnore], actions: Actions) -> View {
    let class = if f.ignored {
        "secret-finding ignored"
    } else {
        "secret-finding"
    };
    let place = match &f.original {
        Some(original) => format!("{} (from {original})", f.location),
        None => f.location.clone(),
    };
    let at = format!("{place}:{}:{}", f.line, f.column);
    let short = f.fingerprint.chars().take(12).collect::<String>();
    let (title, preview, remedy, fp) = (
        f.title.clone(),
        f.preview.clone(),
        f.remedy.clone(),
        f.fingerprint.clone(),
    );
    let control = if f.ignored {
        let reason = ignores
            .iter()
            .find(|i| i.fingerprint == f.fingerprint)
            .map(|i| i.reason.clone())
            .filter(|r| !r.is_empty())
            .map(|r| format!("Ignored: {r}"))
            .unwrap_or_else(|| "Ignored".to_owned());
        let fp = fp.clone();
        view! {
            span(class="chip") { (reason) }
            button(r#type="button", class="button secret-unignore",
                on:click=move |_| (actions.unignore)(actions.project_id, fp.clone(), actions.shown)) { "Un-ignore" }
        }
    } else {
        let open = create_signal(false);
        let reason = create_signal(String::new());
        let fp = fp.clone();
        view! {
            button(r#type="button", class="button secret-ignore", on:click=move |_| open.set(true)) { "Ignore…" }
            (if open.get() {
                let fp = fp.clone();
                view! {
                    input(class="input secret-ignore-reason", placeholder="Why it is safe (e.g. revoked)", bind:value=reason)
                    button(r#type="button", class="button button--primary secret-ignore-confirm",
                        on:click=move |_| (actions.ignore)(actions.project_id, fp.clone(), reason.get_clone(), actions.shown)) { "Ignore it" }
                }
            } else {
                view! {}
            })
        }
    };
    let (fp_attr, chip) = (f.fingerprint.clone(), severity_chip(f.severity));
    view! {
        li(class=class, data-fingerprint=fp_attr) {
            div(class="secret-finding__head") { (chip) strong { (title) } }
            p { code { (at) } " " code(class="secret-preview") { (preview) } " " span(class="muted") { "fingerprint " (short) } }
            p(class="secret-remedy") { (remedy) }
            div(class="secret-finding__actions") { (control) }
        }
    }
}

/// Env parity: the files and the issues.
pub fn env(env: Option<&EnvParity>) -> View {
    let Some(env) = env else {
        return view! { section(id="env-parity", class="panel") { h2(class="panel__title") { "Env parity" } p(class="muted") { "No env files were found at the repository's top (.env, .env.<environment>, .env.example)." } } };
    };
    let files: Vec<View> = env
        .environments
        .iter()
        .map(|e| {
            let (name, file, keys) = (e.name.clone(), e.file.clone(), e.keys);
            let sample = if e.sample { "sample" } else { "" };
            let errors = e.errors.iter().map(|x| format!("line {}: {}", x.line, x.message)).collect::<Vec<_>>().join("; ");
            view! { tr { td { (name) } td { code { (file) } } td { (sample) } td { (keys) } td { (errors) } } }
        })
        .collect();
    let issues: Vec<View> = env
        .issues
        .iter()
        .map(|i| {
            let where_ = i
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.file, l.line))
                .unwrap_or_default();
            let (key, detail) = (i.key.clone(), i.detail.clone());
            let envs = i.environments.join(", ");
            let preview = i.preview.clone().unwrap_or_default();
            let (kind, key_attr, label, chip) = (
                i.kind.as_str(),
                i.key.clone(),
                logic::env_kind_label(i.kind),
                severity_chip(i.severity),
            );
            view! {
                tr(class="env-issue", data-kind=kind, data-key=key_attr) {
                    td { (label) } td { code { (key) } } td { (envs) }
                    td { (where_) } td { (chip) } td { (detail) } td { code { (preview) } }
                }
            }
        })
        .collect();
    let none = env
        .issues
        .is_empty()
        .then(|| view! { p(class="good") { "The environments agree." } });
    view! {
        section(id="env-parity", class="panel") {
            h2(class="panel__title") { "Env parity" }
            table(class="table") { thead { tr { th { "Environment" } th { "File" } th { "" } th { "Keys" } th { "Parse errors" } } } tbody { (files) } }
            (none)
            table(class="table") { thead { tr { th { "Issue" } th { "Key" } th { "Environments" } th { "Where" } th { "Severity" } th { "Detail" } th { "Value" } } } tbody { (issues) } }
        }
    }
}

/// What each log export holds.
pub fn logs(logs: &[LogScan]) -> View {
    let files: Vec<View> = logs
        .iter()
        .map(|l| {
            let head = format!(
                "{} — {} line(s), {}, {} JSON, {} malformed{}",
                l.file,
                l.lines,
                handover_model::units::human_size(l.bytes),
                l.json_lines,
                l.malformed_json,
                l.truncated_at.map(|t| format!(", read up to {t} bytes only")).unwrap_or_default()
            );
            let rows: Vec<View> = l
                .counts
                .iter()
                .map(|c| {
                    let samples = c.samples.iter().map(|s| format!("line {}: {}", s.line, s.preview)).collect::<Vec<_>>().join("; ");
                    let (kind, count, label) =
                        (c.kind.as_str(), c.count.to_string(), logic::log_kind_label(c.kind));
                    let shown = count.clone();
                    view! {
                        tr(data-kind=kind, data-count=count) {
                            td { (label) } td { (shown) } td { code { (samples) } }
                        }
                    }
                })
                .collect();
            view! { div(class="log-scan") { h3 { (head) } table(class="table") { tbody { (rows) } } } }
        })
        .collect();
    view! { div(id="log-scans") { (files) } }
}

/// The baseline, newest first.
pub fn baseline(ignores: &[SecretIgnore], actions: Actions) -> View {
    let rows: Vec<View> = ignores
        .iter()
        .map(|i| {
            let short = i.fingerprint.chars().take(12).collect::<String>();
            let what = if i.rule.is_empty() { "(not in the last scan)".to_owned() } else { format!("{} in {}", i.rule, i.location) };
            let (reason, when, fp) = (i.reason.clone(), format::timestamp(i.created_ms), i.fingerprint.clone());
            let fp_attr = i.fingerprint.clone();
            view! {
                li(data-fingerprint=fp_attr) {
                    code { (short) } " " (what) " — " (reason) " " span(class="muted") { (when) } " "
                    button(r#type="button", class="button secret-unignore",
                        on:click=move |_| (actions.unignore)(actions.project_id, fp.clone(), actions.shown)) { "Un-ignore" }
                }
            }
        })
        .collect();
    let none = ignores
        .is_empty()
        .then(|| view! { p(class="muted") { "Nothing is ignored." } });
    view! {
        section(id="secret-baseline", class="panel") {
            h2(class="panel__title") { "Baseline (ignored fingerprints)" }
            (none)
            ul { (rows) }
        }
    }
}
