//! Gathering a project's data into [`ReportData`]: the verdict, the watch
//! list, the blockers, the checklist and the accounts. The live-check
//! parts are in [`super::live`].

use handover_model::{Account, FindingLevel, ItemState, ItemStatus, Severity, Verdict};

use super::data::{
    AccountEntry, AccountsData, Blocker, ContactEntry, Counts, CredentialEntry, Gap, ItemEntry,
    Meta, RunRef, StageData, VerdictData, WatchEntry,
};
use crate::report::watch::{self, date_of_day, day_of_ms, run_date, unicode_host, PAGE_ONE};
use crate::report::ReportInput;

/// Where every credential is, as the report says it.
pub const KEPT: &str = "kept in the OS keychain";

/// What the report is about.
pub(super) fn meta(input: &ReportInput) -> Meta {
    let spec = &input.project.spec;
    Meta {
        product: spec.name.clone(),
        description: spec.description.clone(),
        apex: unicode_host(&spec.apex),
        apex_ascii: spec.apex.clone(),
        author: input.author.to_string(),
        latest_run: input.runs.first().map(|run| RunRef {
            id: run.summary.id,
            date: run_date(run),
        }),
        runs: input.runs.len() as u32,
    }
}

/// The verdict, its reasons and the cover's counts.
pub(super) fn verdict(input: &ReportInput) -> VerdictData {
    let view = input.overview;
    let gaps = view
        .handover
        .iter()
        .filter(|f| f.level == FindingLevel::Blocker)
        .count();
    let latest = input.runs.first();
    let findings = latest.map_or(&[][..], |r| r.findings.as_slice());
    let mut checks: Vec<&str> = findings.iter().map(|f| f.check.as_str()).collect();
    checks.sort_unstable();
    checks.dedup();
    VerdictData {
        verdict: view.verdict,
        reasons: if view.verdict == Verdict::Go {
            Vec::new()
        } else {
            view.reasons.clone()
        },
        counts: Counts {
            blockers_open: (view.blockers.len() + gaps) as u32,
            high_findings: findings
                .iter()
                .filter(|f| !f.outcome.is_inconclusive() && f.severity == Severity::High)
                .count() as u32,
            could_not_check: findings
                .iter()
                .filter(|f| f.outcome.is_inconclusive())
                .count() as u32,
            checks_run: checks.len() as u32,
            items_done: view.done,
            items_total: view.total,
        },
    }
}

/// The whole watch list, ranked, page one flagged.
pub(super) fn watch_entries(input: &ReportInput) -> Vec<WatchEntry> {
    watch::watch_list(input)
        .into_iter()
        .enumerate()
        .map(|(i, item)| WatchEntry {
            rank: i as u32 + 1,
            page_one: i < PAGE_ONE,
            score: watch::score(&item),
            item,
        })
        .collect()
}

/// Open blocker items as the Overview ranks them, then blocking gaps.
pub(super) fn blockers(input: &ReportInput) -> Vec<Blocker> {
    let items = input.overview.blockers.iter().map(|b| Blocker {
        rank: 0,
        source: "checklist",
        id: b.item_id.clone(),
        title: b.title.clone(),
        stage: b.stage_number,
        status: b.status,
        owner: b.owner.clone(),
        could_not_check: b.could_not_check.clone(),
    });
    let gaps = input
        .overview
        .handover
        .iter()
        .filter(|f| f.level == FindingLevel::Blocker)
        .map(|f| Blocker {
            rank: 0,
            source: "handover",
            id: f.code.clone(),
            title: f.title.clone(),
            stage: 0,
            status: ItemStatus::Todo,
            owner: String::new(),
            could_not_check: String::new(),
        });
    items
        .chain(gaps)
        .enumerate()
        .map(|(i, b)| Blocker {
            rank: i as u32 + 1,
            ..b
        })
        .collect()
}

/// One item's entry from its catalog id and stored state.
pub(super) fn item_entry(input: &ReportInput, item: &handover_model::ChecklistItem) -> ItemEntry {
    let fresh = ItemState::default();
    let state = input
        .items
        .iter()
        .find(|s| s.item_id == item.id)
        .unwrap_or(&fresh);
    let inconclusive = state.status.is_open() && !state.could_not_check.trim().is_empty();
    ItemEntry {
        id: item.id.clone(),
        title: item.title.clone(),
        risk: item.risk,
        status: state.status,
        state: if inconclusive {
            "could_not_check"
        } else {
            state.status.as_str()
        },
        owner: state.owner.trim().to_string(),
        notes: state.notes.trim().to_string(),
        waiver_reason: state.waiver_reason.trim().to_string(),
        could_not_check: if inconclusive {
            state.could_not_check.trim().to_string()
        } else {
            String::new()
        },
        evidence: state.evidence.clone(),
    }
}

/// The checklist, stage by stage, with the Overview's progress.
pub(super) fn checklist(input: &ReportInput) -> Vec<StageData> {
    input
        .catalog
        .stages
        .iter()
        .map(|stage| {
            let progress = input
                .overview
                .stages
                .iter()
                .find(|p| p.stage_id == stage.id);
            let items: Vec<ItemEntry> = input
                .catalog
                .items
                .iter()
                .filter(|i| i.stage == stage.id)
                .map(|i| item_entry(input, i))
                .collect();
            StageData {
                number: stage.number,
                id: stage.id.clone(),
                title: stage.title.clone(),
                done: progress.map_or(0, |p| p.done),
                total: items.len() as u32,
                open_blockers: progress.map_or(0, |p| p.open_blockers),
                inconclusive: items
                    .iter()
                    .filter(|i| i.state == "could_not_check")
                    .count() as u32,
                items,
            }
        })
        .collect()
}

/// Accounts (metadata only: a credential is its kind, label and where it
/// is kept), the required kinds' gaps, and the contacts.
pub(super) fn accounts(input: &ReportInput) -> AccountsData {
    let mut accounts: Vec<&Account> = input.accounts.iter().collect();
    accounts.sort_by(|a, b| {
        (a.spec.kind, &a.spec.provider, a.id).cmp(&(b.spec.kind, &b.spec.provider, b.id))
    });
    let gaps = crate::triage::kind_groups(input.accounts)
        .into_iter()
        .filter_map(|g| {
            let gap = match g.gap? {
                handover_model::KindGap::NoAccount => "no account",
                handover_model::KindGap::NoOwner => "no owner",
            };
            Some(Gap {
                kind: g.kind.as_str().to_string(),
                gap: gap.to_string(),
            })
        })
        .collect();
    let mut contacts: Vec<ContactEntry> = input
        .contacts
        .iter()
        .map(|c| ContactEntry {
            name: c.spec.name.clone(),
            role: c.spec.role.clone(),
            email: c.spec.email.clone(),
            channels: c.spec.channels.clone(),
            verified: c.spec.verified.clone(),
        })
        .collect();
    contacts.sort_by(|a, b| (&a.name, &a.email).cmp(&(&b.name, &b.email)));
    AccountsData {
        accounts: accounts.into_iter().map(account_entry).collect(),
        gaps,
        contacts,
    }
}

fn account_entry(account: &Account) -> AccountEntry {
    let spec = &account.spec;
    let mut credentials: Vec<CredentialEntry> = account
        .credentials
        .iter()
        .map(|c| CredentialEntry {
            kind: c.kind.label().to_string(),
            label: c.label.clone(),
            kept: KEPT,
            changed: date_of_day(day_of_ms(c.changed_ms)),
        })
        .collect();
    credentials.sort_by(|a, b| (&a.label, &a.kind).cmp(&(&b.label, &b.kind)));
    AccountEntry {
        kind: spec.kind.as_str().to_string(),
        kind_label: spec.kind.label().to_string(),
        provider: spec.provider.clone(),
        login_url: spec.login_url.clone(),
        owner: spec.owner.name.clone(),
        owner_email: spec.owner.email.clone(),
        backup_owner: spec.backup_owner.name.clone(),
        two_factor: spec.two_factor.label().to_string(),
        recovery_codes_at: spec.recovery_codes_at.clone(),
        billing_owner: spec.billing_owner.clone(),
        last_verified: spec.last_verified.clone(),
        last_rotated: spec.last_rotated.clone(),
        credentials,
    }
}
