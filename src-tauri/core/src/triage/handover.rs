//! Handover gaps: accounts nobody owns, alerts nobody is known to receive,
//! and credentials that have not been rotated.
//!
//! - Each required service kind (DNS, CDN, hosting, email, monitoring) needs
//!   an account with a named owner; a missing one is a **blocker**.
//! - At least one alert contact must have been verified; otherwise **high**.
//! - A credential unchanged for more than [`ROTATION_DAYS`] (counting the
//!   account's recorded rotation date too) is a **watch** item.

use handover_model::{
    Account, Contact, FindingLevel, HandoverFinding, KindGap, KindGroup, ServiceKind,
};

/// Credentials older than this many days are due for rotation.
pub const ROTATION_DAYS: i64 = 90;

const DAY_MS: i64 = 86_400_000;

/// Whether a finding blocks launch.
pub(crate) fn blocks(finding: &HandoverFinding) -> bool {
    finding.level == FindingLevel::Blocker
}

/// The one rule for a kind's gap: a required kind needs an account, and
/// one of its accounts must name an owner.
fn gap_of(kind: ServiceKind, of_kind: &[&Account]) -> Option<KindGap> {
    if !ServiceKind::REQUIRED.contains(&kind) {
        None
    } else if of_kind.is_empty() {
        Some(KindGap::NoAccount)
    } else if !of_kind.iter().any(|a| !a.spec.owner.name.trim().is_empty()) {
        Some(KindGap::NoOwner)
    } else {
        None
    }
}

/// One group per service kind, in [`ServiceKind::ALL`] order, with its gap.
pub fn kind_groups(accounts: &[Account]) -> Vec<KindGroup> {
    ServiceKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<&Account> = accounts.iter().filter(|a| a.spec.kind == kind).collect();
            KindGroup {
                kind,
                required: ServiceKind::REQUIRED.contains(&kind),
                account_ids: of_kind.iter().map(|a| a.id).collect(),
                gap: gap_of(kind, &of_kind),
            }
        })
        .collect()
}

/// The gaps of one project, most serious first. `now_ms` is the current time.
pub fn handover_findings(
    accounts: &[Account],
    contacts: &[Contact],
    now_ms: i64,
) -> Vec<HandoverFinding> {
    let mut out = Vec::new();
    for kind in ServiceKind::REQUIRED {
        let of_kind: Vec<&Account> = accounts.iter().filter(|a| a.spec.kind == kind).collect();
        let gap = gap_of(kind, &of_kind);
        if gap == Some(KindGap::NoAccount) {
            out.push(HandoverFinding {
                code: "account-missing".into(),
                level: FindingLevel::Blocker,
                title: format!("No {} account recorded", kind.label()),
                detail: format!(
                    "Record the {} account: provider, login URL and who owns it, so nobody has to hunt for it after launch.",
                    kind.label()
                ),
                kind: Some(kind),
                account_id: None,
            });
        } else if gap == Some(KindGap::NoOwner) {
            out.push(HandoverFinding {
                code: "owner-missing".into(),
                level: FindingLevel::Blocker,
                title: format!("Nobody owns the {} account", kind.label()),
                detail: "Name an owner (and ideally a backup owner) who can sign in today.".into(),
                kind: Some(kind),
                account_id: of_kind.first().map(|a| a.id),
            });
        }
    }
    if !contacts.iter().any(|c| !c.spec.verified.trim().is_empty()) {
        out.push(HandoverFinding {
            code: "no-verified-contact".into(),
            level: FindingLevel::High,
            title: "No alert contact has been verified".into(),
            detail: "Send a test alert and record the date it reached someone; an alert nobody receives is no alert.".into(),
            kind: None,
            account_id: None,
        });
    }
    let today = now_ms.div_euclid(DAY_MS);
    for account in accounts {
        let Some(newest_change) = account.credentials.iter().map(|c| c.changed_ms).max() else {
            continue;
        };
        let recorded = days_from_civil(&account.spec.last_rotated).unwrap_or(i64::MIN);
        let rotated = newest_change.div_euclid(DAY_MS).max(recorded);
        let age = today - rotated;
        if age > ROTATION_DAYS {
            out.push(HandoverFinding {
                code: "rotation-due".into(),
                level: FindingLevel::Watch,
                title: format!(
                    "{} credentials unchanged for {age} days",
                    account.spec.provider
                ),
                detail: format!(
                    "Rotate them (older than {ROTATION_DAYS} days) and store the new values here."
                ),
                kind: Some(account.spec.kind),
                account_id: Some(account.id),
            });
        }
    }
    out.sort_by_key(|f| f.level);
    out
}

pub use handover_model::date::days_from_civil;

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{AccountSpec, ContactSpec, Credential, CredentialKind, Person};

    fn account(id: i64, kind: ServiceKind, owner: &str) -> Account {
        Account {
            id,
            project_id: 1,
            spec: AccountSpec {
                kind,
                provider: format!("P{id}"),
                owner: Person {
                    name: owner.into(),
                    email: String::new(),
                },
                ..AccountSpec::default()
            },
            credentials: Vec::new(),
            created_ms: 0,
            updated_ms: 0,
        }
    }

    fn codes(findings: &[HandoverFinding]) -> Vec<(&str, FindingLevel)> {
        findings
            .iter()
            .map(|f| (f.code.as_str(), f.level))
            .collect()
    }

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_from_civil("1970-01-01"), Some(0));
        assert_eq!(days_from_civil("2000-03-01"), Some(11_017));
        assert_eq!(days_from_civil("2024-02-29"), Some(19_782));
        assert_eq!(days_from_civil("2023-02-29"), None);
        assert_eq!(days_from_civil("2026-13-01"), None);
        assert_eq!(days_from_civil("26-1-1"), None);
        assert_eq!(days_from_civil("2026-11-xx"), None);
    }

    #[test]
    fn nothing_recorded_means_five_blockers_and_no_contact() {
        let found = handover_findings(&[], &[], 0);
        assert_eq!(found.iter().filter(|f| blocks(f)).count(), 5);
        assert_eq!(found.last().unwrap().code, "no-verified-contact");
    }

    #[test]
    fn owned_required_accounts_and_a_verified_contact_clear_everything() {
        let accounts: Vec<_> = ServiceKind::REQUIRED
            .iter()
            .enumerate()
            .map(|(i, k)| account(i as i64, *k, "Dana"))
            .collect();
        let contact = Contact {
            id: 1,
            project_id: 1,
            spec: ContactSpec {
                name: "Sam".into(),
                email: "sam@example.com".into(),
                verified: "2026-11-20".into(),
                ..ContactSpec::default()
            },
        };
        assert!(handover_findings(&accounts, std::slice::from_ref(&contact), 0).is_empty());

        let mut unowned = accounts.clone();
        unowned[2].spec.owner.name.clear();
        assert_eq!(
            codes(&handover_findings(&unowned, &[contact], 0)),
            [("owner-missing", FindingLevel::Blocker)]
        );
    }

    #[test]
    fn old_credentials_are_watch_items_unless_rotated_recently() {
        let now = days_from_civil("2026-11-28").unwrap() * DAY_MS;
        let mut acc = account(9, ServiceKind::ModelApi, "Dana");
        acc.credentials.push(Credential {
            id: 1,
            account_id: 9,
            kind: CredentialKind::ApiKey,
            label: "key".into(),
            created_ms: 0,
            changed_ms: now - 91 * DAY_MS,
        });
        let found = handover_findings(&[acc.clone()], &[], now);
        assert!(found
            .iter()
            .any(|f| f.code == "rotation-due" && f.level == FindingLevel::Watch));
        acc.spec.last_rotated = "2026-11-01".into();
        let found = handover_findings(&[acc.clone()], &[], now);
        assert!(!found.iter().any(|f| f.code == "rotation-due"));
        acc.spec.last_rotated.clear();
        acc.credentials[0].changed_ms = now - 90 * DAY_MS;
        assert!(!handover_findings(&[acc], &[], now)
            .iter()
            .any(|f| f.code == "rotation-due"));
    }
}
