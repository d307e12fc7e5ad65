//! What the Secrets & env page shows, decided here once: a project's
//! baseline applied to a scan, the counts, whether anything must be fixed
//! before launch, and the verdict sentence. The window and `handover
//! secrets` show these; neither works them out again.

use std::collections::HashSet;

use handover_model::{
    EnvParity, HygieneCounts, HygieneTarget, LocalSecrets, LogKind, LogScan, ProjectSecrets,
    SecretFinding, SecretIgnore, SecretPlace, SecretScan, Severity, FINGERPRINT_DIGITS,
};

/// Marks the findings of `scan` whose fingerprint `ignored` holds.
pub fn mark(scan: &mut SecretScan, ignored: &HashSet<String>) {
    for finding in &mut scan.findings {
        finding.ignored = ignored.contains(&finding.fingerprint);
    }
}

/// The fingerprints of a baseline, for [`mark`].
pub fn fingerprints(ignores: &[SecretIgnore]) -> HashSet<String> {
    ignores.iter().map(|i| i.fingerprint.clone()).collect()
}

/// Marks every scan of `local` with `ignored`.
pub fn mark_local(local: &mut LocalSecrets, ignored: &HashSet<String>) {
    for scan in [&mut local.repo, &mut local.history, &mut local.build]
        .into_iter()
        .flatten()
    {
        mark(scan, ignored);
    }
}

/// A log kind that is a credential (a leak to rotate), not personal data.
pub fn is_credential(kind: LogKind) -> bool {
    matches!(kind, LogKind::Token | LogKind::Bearer | LogKind::BasicAuth)
}

/// The counts over `findings`, `env` and `logs`; ignored findings are
/// counted apart.
pub fn counts<'a>(
    findings: impl IntoIterator<Item = &'a SecretFinding>,
    env: Option<&EnvParity>,
    logs: &[LogScan],
) -> HygieneCounts {
    let mut out = HygieneCounts::default();
    for finding in findings {
        if finding.ignored {
            out.ignored += 1;
        } else {
            out.open += 1;
            if finding.severity == Severity::Blocker {
                out.blockers += 1;
            }
        }
    }
    if let Some(env) = env {
        out.env_issues = env.issues.len() as u32;
        out.env_serious = env
            .issues
            .iter()
            .filter(|i| i.severity >= Severity::High)
            .count() as u32;
    }
    for count in logs.iter().flat_map(|l| &l.counts) {
        match count.kind {
            kind if is_credential(kind) => out.log_credentials += count.count,
            LogKind::Email | LogKind::Phone => out.log_personal += count.count,
            _ => out.log_prompts += count.count,
        }
    }
    out
}

/// Whether `findings`, `env` and `logs` hold something to fix before
/// launch: a secret (not ignored) of high severity or worse, an env issue
/// of high severity or worse, or a credential in a log.
pub fn leaks<'a>(
    findings: impl IntoIterator<Item = &'a SecretFinding>,
    env: Option<&EnvParity>,
    logs: &[LogScan],
) -> bool {
    findings
        .into_iter()
        .any(|f| !f.ignored && f.severity >= Severity::High)
        || env.is_some_and(|e| e.issues.iter().any(|i| i.severity >= Severity::High))
        || logs
            .iter()
            .flat_map(|l| &l.counts)
            .any(|c| c.count > 0 && is_credential(c.kind))
}

/// [`leaks`] of a local scan (`handover secrets`).
pub fn local_leaks(local: &LocalSecrets) -> bool {
    let findings = [&local.repo, &local.history, &local.build]
        .into_iter()
        .flatten()
        .flat_map(|s| &s.findings);
    leaks(findings, local.env.as_ref(), &local.logs)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The page's one sentence for `counts`, naming the targets that were not
/// scanned so a clean result never reads as more than it checked.
pub fn verdict(counts: &HygieneCounts, leaks: bool, unscanned: &[String]) -> String {
    let mut parts = Vec::new();
    if counts.open > 0 {
        let mut part = plural(counts.open.into(), "secret to rotate", "secrets to rotate");
        if counts.blockers > 0 {
            part.push_str(&format!(" ({} public)", counts.blockers));
        }
        parts.push(part);
    }
    if counts.env_serious > 0 {
        parts.push(plural(
            counts.env_serious.into(),
            "serious env issue",
            "serious env issues",
        ));
    }
    if counts.log_credentials > 0 {
        parts.push(plural(
            counts.log_credentials,
            "credential in the logs",
            "credentials in the logs",
        ));
    }
    let mut sentence = if leaks && !parts.is_empty() {
        format!("Fix before launch: {}.", parts.join(", "))
    } else if counts.env_issues > 0 || counts.log_personal > 0 || counts.log_prompts > 0 {
        "No leaked secrets; some env or log issues to look at.".to_owned()
    } else {
        "No secrets or env issues found in what was scanned.".to_owned()
    };
    if counts.ignored > 0 {
        sentence.push_str(&format!(
            " {} the baseline ignores.",
            plural(counts.ignored.into(), "finding", "findings")
        ));
    }
    if !unscanned.is_empty() {
        sentence.push_str(&format!(" Not scanned: {}.", unscanned.join(", ")));
    }
    sentence
}

/// Applies `ignores` to `page` and works its counts, leaks and verdict out
/// again (after a scan, or when the baseline changed).
pub fn refresh(page: &mut ProjectSecrets, ignores: &[SecretIgnore]) {
    let ignored = fingerprints(ignores);
    for target in &mut page.targets {
        if let Some(scan) = &mut target.scan {
            mark(scan, &ignored);
        }
    }
    let findings = page
        .targets
        .iter()
        .filter_map(|t| t.scan.as_ref())
        .flat_map(|s| &s.findings);
    page.counts = counts(findings.clone(), page.env.as_ref(), &page.logs);
    page.leaks = leaks(findings, page.env.as_ref(), &page.logs);
    let unscanned: Vec<String> = page
        .targets
        .iter()
        .filter(|t| t.scan.is_none())
        .map(|t| t.place.label().to_lowercase())
        .collect();
    page.verdict = verdict(&page.counts, page.leaks, &unscanned);
}

/// One of the page's four targets.
pub fn target(
    place: SecretPlace,
    root: impl Into<String>,
    scan: Result<SecretScan, String>,
) -> HygieneTarget {
    let (scan, not_scanned) = match scan {
        Ok(scan) => (Some(scan), None),
        Err(why) => (None, Some(why)),
    };
    HygieneTarget {
        place,
        label: place.label().to_owned(),
        root: root.into(),
        scan,
        not_scanned,
    }
}

/// Why a fingerprint cannot go into a baseline.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BaselineError {
    /// Not hex, or too short to be sure.
    #[error("a fingerprint is 32 hex digits (or a prefix of at least 8 that the last scan has once); got {0:?}")]
    Malformed(String),
    /// A prefix that no finding of the last scan has.
    #[error("no finding of the last scan has a fingerprint starting {0}; give all 32 digits")]
    Unknown(String),
    /// A prefix that several findings share.
    #[error(
        "{count} findings of the last scan have a fingerprint starting {prefix}; give more digits"
    )]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// How many matched.
        count: usize,
    },
}

/// The baseline entry for `typed` (a whole fingerprint or a prefix of at
/// least 8 hex digits), with the rule and place of the last scan's finding
/// that has it (empty when that scan does not).
pub fn resolve(
    typed: &str,
    reason: &str,
    last: Option<&ProjectSecrets>,
    now_ms: i64,
) -> Result<SecretIgnore, BaselineError> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.len() < 8
        || typed.len() > FINGERPRINT_DIGITS
        || !typed.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(BaselineError::Malformed(typed));
    }
    let findings: Vec<&SecretFinding> = last
        .into_iter()
        .flat_map(|p| &p.targets)
        .filter_map(|t| t.scan.as_ref())
        .flat_map(|s| &s.findings)
        .filter(|f| f.fingerprint.starts_with(&typed))
        .collect();
    let mut distinct: Vec<&str> = findings.iter().map(|f| f.fingerprint.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let fingerprint = match (distinct.len(), typed.len()) {
        (1, _) => distinct[0].to_owned(),
        (0, FINGERPRINT_DIGITS) => typed.clone(),
        (0, _) => return Err(BaselineError::Unknown(typed)),
        (_, FINGERPRINT_DIGITS) => typed.clone(),
        (count, _) => {
            return Err(BaselineError::Ambiguous {
                prefix: typed,
                count,
            })
        }
    };
    let source = findings.iter().find(|f| f.fingerprint == fingerprint);
    Ok(SecretIgnore {
        rule: source.map(|f| f.rule.clone()).unwrap_or_default(),
        location: source
            .map(|f| match &f.original {
                Some(original) => format!("{} ({original})", f.location),
                None => f.location.clone(),
            })
            .unwrap_or_default(),
        fingerprint,
        reason: reason.trim().to_owned(),
        created_ms: now_ms,
    })
}
