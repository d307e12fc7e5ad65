//! Watch items from the people side: required accounts nobody owns,
//! credentials past rotation, alert contacts nobody verified, and the open
//! items of the production-deploy stage.

use handover_model::{Account, Credential, Risk, ServiceKind, WatchItem};

use super::{date_of_day, day_of_ms, join_names, plural, risk_of_item, urgency_in};
use crate::report::ReportInput;
use crate::triage::ROTATION_DAYS;

/// A credential is watched from this many days before rotation is due.
pub const ROTATION_NOTICE_DAYS: i64 = 14;

/// The stage whose open items are watched: production deploy.
pub const DEPLOY_STAGE: u8 = 6;

/// The people-side items of `input`; `today` is the report's day.
pub(super) fn items(input: &ReportInput, today: Option<i64>) -> Vec<WatchItem> {
    let mut out = owners(input.accounts);
    if let Some(today) = today {
        for account in input.accounts {
            for credential in &account.credentials {
                out.extend(rotation(account, credential, today));
            }
        }
    }
    out.extend(contacts(input));
    out.extend(deploy_stage(input));
    out
}

/// A short name of a required kind, as a sentence starts it.
fn short(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Dns => "DNS",
        ServiceKind::Cdn => "Cloudflare/CDN",
        ServiceKind::Hosting => "Hosting",
        ServiceKind::Email => "Email",
        ServiceKind::Monitoring => "Monitoring",
        other => other.label(),
    }
}

/// Required kinds with no account or no named owner.
fn owners(accounts: &[Account]) -> Vec<WatchItem> {
    let mut out = Vec::new();
    for kind in ServiceKind::REQUIRED {
        let of_kind: Vec<&Account> = accounts.iter().filter(|a| a.spec.kind == kind).collect();
        let (title, current) = if of_kind.is_empty() {
            (
                format!("{} has no owner: no account is recorded", short(kind)),
                "no account",
            )
        } else if of_kind.iter().all(|a| a.spec.owner.name.trim().is_empty()) {
            let providers = join_names(of_kind.iter().map(|a| a.spec.provider.as_str()));
            (
                format!("{} has no owner ({providers})", short(kind)),
                "no owner",
            )
        } else {
            continue;
        };
        out.push(WatchItem {
            key: format!("owner:{}", kind.as_str()),
            title,
            metric: format!("{} owner", kind.label()),
            current: current.into(),
            threshold: "a named owner who can sign in".into(),
            trend: None,
            owner: String::new(),
            due: None,
            next_action: format!(
                "Record the {} account and name an owner (and a backup) → Accounts page",
                kind.label()
            ),
            urgency: 1,
            risk: 5,
        });
    }
    out
}

/// A credential past rotation, or due within [`ROTATION_NOTICE_DAYS`].
fn rotation(account: &Account, credential: &Credential, today: i64) -> Option<WatchItem> {
    let recorded = handover_model::date::days_from_civil(&account.spec.last_rotated);
    let rotated = day_of_ms(credential.changed_ms).max(recorded.unwrap_or(i64::MIN));
    let age = today - rotated;
    let due_day = rotated + ROTATION_DAYS;
    let until = due_day - today;
    if until > ROTATION_NOTICE_DAYS {
        return None;
    }
    let what = format!(
        "The {} {}",
        account.spec.provider.trim(),
        credential.label.trim()
    );
    let title = if age > ROTATION_DAYS {
        format!("{what} was not rotated for {age} days")
    } else {
        format!("{what} is due for rotation on {}", date_of_day(due_day))
    };
    Some(WatchItem {
        key: format!("rotation:{}:{}", account.id, credential.id),
        title,
        metric: "credential age".into(),
        current: plural(age.max(0) as usize, "day", "days"),
        threshold: format!("≤ {ROTATION_DAYS} days"),
        trend: None,
        owner: account.spec.owner.name.trim().to_string(),
        due: Some(date_of_day(due_day)),
        next_action: format!(
            "Rotate it at {}, store the new value (kept in the OS keychain) → set the account's rotation date",
            account.spec.provider.trim()
        ),
        urgency: urgency_in(until),
        risk: 3,
    })
}

/// No alert contact, or none verified.
fn contacts(input: &ReportInput) -> Option<WatchItem> {
    if input
        .contacts
        .iter()
        .any(|c| !c.spec.verified.trim().is_empty())
    {
        return None;
    }
    let none = input.contacts.is_empty();
    Some(WatchItem {
        key: "contacts:unverified".into(),
        title: if none {
            "No alert contact is recorded: nobody is known to get alerts".into()
        } else {
            "No alert contact has been verified".into()
        },
        metric: "verified alert contacts".into(),
        current: "0".into(),
        threshold: "at least 1".into(),
        trend: None,
        owner: account_owner_of_monitoring(input.accounts),
        due: None,
        next_action: "Send a test alert → record the date it reached someone".into(),
        urgency: 2,
        risk: 4,
    })
}

/// The monitoring account's owner, who sets up alerting.
fn account_owner_of_monitoring(accounts: &[Account]) -> String {
    super::account_owner(accounts, &[ServiceKind::Monitoring]).unwrap_or_default()
}

/// "3 stage-6 (Production deploy) items are still open".
fn deploy_stage(input: &ReportInput) -> Option<WatchItem> {
    let open: Vec<_> = input
        .overview
        .open
        .iter()
        .filter(|i| i.stage_number == DEPLOY_STAGE)
        .collect();
    let first = open.first()?;
    let stage = input
        .catalog
        .stages
        .iter()
        .find(|s| s.number == DEPLOY_STAGE);
    let title_of_stage = stage.map_or("Production deploy", |s| s.title.as_str());
    let total = stage.map_or(open.len(), |s| {
        input
            .catalog
            .items
            .iter()
            .filter(|i| i.stage == s.id)
            .count()
    });
    let risk = open.iter().map(|i| i.risk).min().unwrap_or(Risk::Low);
    Some(WatchItem {
        key: format!("stage-{DEPLOY_STAGE}:open"),
        title: format!(
            "{} still open",
            plural(
                open.len(),
                &format!("stage-{DEPLOY_STAGE} ({title_of_stage}) item is"),
                &format!("stage-{DEPLOY_STAGE} ({title_of_stage}) items are"),
            )
        ),
        metric: format!("open stage-{DEPLOY_STAGE} items"),
        current: format!("{} of {total} open", open.len()),
        threshold: "0 open before launch".into(),
        trend: None,
        owner: join_names(open.iter().map(|i| i.owner.as_str())),
        due: None,
        next_action: format!("Close “{}” first → then the rest of the stage", first.title),
        urgency: if risk == Risk::Blocker { 1 } else { 2 },
        risk: risk_of_item(risk),
    })
}
