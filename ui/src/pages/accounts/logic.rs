//! The Accounts page's pure logic: grouping accounts by kind, which required
//! kinds are gaps, findings in order, channel lists, safe links, slicing a
//! pasted text at a candidate's offsets, and where each field error goes.
//! No DOM here; tested natively.

use handover_model::{Account, FieldError, HandoverFinding, PasteCandidate, Person, ServiceKind};

/// What a stored secret looks like until it is revealed.
pub const MASK: &str = "••••••••";

/// The accounts of one service kind, and whether that kind is a gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindGroup {
    /// The kind.
    pub kind: ServiceKind,
    /// Its accounts, in the backend's order.
    pub accounts: Vec<Account>,
    /// Why this required kind is a launch gap, if it is one.
    pub gap: Option<Gap>,
}

/// Why a required kind is a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// No account of this kind is recorded.
    NoAccount,
    /// Accounts are recorded, but none names an owner.
    NoOwner,
}

impl Gap {
    /// The sentence shown on the group.
    pub fn sentence(self) -> &'static str {
        match self {
            Gap::NoAccount => "No account recorded yet. Launch waits until someone owns it.",
            Gap::NoOwner => "No account here names an owner. Launch waits until someone owns it.",
        }
    }
}

/// Whether an account names its owner (the backend counts the name).
pub fn has_owner(account: &Account) -> bool {
    !account.spec.owner.name.trim().is_empty()
}

/// Whether every product must have an owned account of this kind.
pub fn is_required(kind: ServiceKind) -> bool {
    ServiceKind::REQUIRED.contains(&kind)
}

/// The group of `kind`: its accounts and its gap, if any.
pub fn kind_group(accounts: &[Account], kind: ServiceKind) -> KindGroup {
    let accounts: Vec<Account> = accounts
        .iter()
        .filter(|a| a.spec.kind == kind)
        .cloned()
        .collect();
    let gap = if !is_required(kind) {
        None
    } else if accounts.is_empty() {
        Some(Gap::NoAccount)
    } else if !accounts.iter().any(has_owner) {
        Some(Gap::NoOwner)
    } else {
        None
    };
    KindGroup {
        kind,
        accounts,
        gap,
    }
}

/// One group per service kind, in [`ServiceKind::ALL`] order.
pub fn group_accounts(accounts: &[Account]) -> Vec<KindGroup> {
    ServiceKind::ALL
        .into_iter()
        .map(|kind| kind_group(accounts, kind))
        .collect()
}

/// The first required kind with a gap: what "Add account" proposes.
pub fn first_gap(accounts: &[Account]) -> Option<ServiceKind> {
    ServiceKind::REQUIRED
        .into_iter()
        .find(|kind| kind_group(accounts, *kind).gap.is_some())
}

/// Findings with blockers first, then high, then watch; otherwise as given.
pub fn sort_findings(mut findings: Vec<HandoverFinding>) -> Vec<HandoverFinding> {
    findings.sort_by_key(|f| f.level);
    findings
}

/// A key that changes whenever anything shown on an account's card
/// changes, so an unchanged card (and what is typed into it) is kept.
pub fn account_key(account: &Account) -> (i64, String) {
    (account.id, format!("{account:?}"))
}

/// `Ada Lovelace <ada@example.com>`, or whichever half is known; empty if neither.
pub fn person_text(person: &Person) -> String {
    let (name, email) = (person.name.trim(), person.email.trim());
    match (name.is_empty(), email.is_empty()) {
        (false, false) => format!("{name} <{email}>"),
        (false, true) => name.to_string(),
        (true, false) => email.to_string(),
        (true, true) => String::new(),
    }
}

/// The address to link to, only if it is `http` or `https` (never `javascript:`).
pub fn safe_link(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    (!rest.is_empty() && !url.chars().any(char::is_whitespace)).then(|| url.to_string())
}

/// Channels typed as a comma-separated list: trimmed, empty entries dropped.
pub fn parse_channels(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect()
}

/// Channels as the comma-separated text the form shows.
pub fn join_channels(channels: &[String]) -> String {
    channels.join(", ")
}

/// The value a candidate points at in the text that was scanned, if its
/// byte offsets are in range, in order and on character boundaries.
pub fn candidate_secret<'a>(text: &'a str, candidate: &PasteCandidate) -> Option<&'a str> {
    if candidate.start >= candidate.end {
        return None;
    }
    text.get(candidate.start..candidate.end)
        .filter(|value| !value.trim().is_empty())
}

/// The errors that belong under the field at `path`: its own, and those of
/// its rows (`channels` takes `channels.0`, `channels.1`, …).
pub fn errors_under(errors: &[FieldError], path: &str) -> Vec<FieldError> {
    errors
        .iter()
        .filter(|e| is_under(&e.field, path))
        .cloned()
        .collect()
}

/// Errors that no field of the form shows; they go in the form's summary.
pub fn orphan_errors(errors: &[FieldError], known: &[&str]) -> Vec<FieldError> {
    errors
        .iter()
        .filter(|e| !known.iter().any(|path| is_under(&e.field, path)))
        .cloned()
        .collect()
}

fn is_under(field: &str, path: &str) -> bool {
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Drops the errors under `path` (the user is fixing that field).
pub fn without_errors_under(errors: &[FieldError], path: &str) -> Vec<FieldError> {
    errors
        .iter()
        .filter(|e| !is_under(&e.field, path))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{AccountSpec, CredentialKind, FindingLevel};

    fn account(id: i64, kind: ServiceKind, owner: &str) -> Account {
        Account {
            id,
            project_id: 1,
            spec: AccountSpec {
                kind,
                provider: format!("P{id}"),
                owner: Person {
                    name: owner.to_string(),
                    email: String::new(),
                },
                ..AccountSpec::default()
            },
            credentials: Vec::new(),
            created_ms: 0,
            updated_ms: 0,
        }
    }

    fn finding(code: &str, level: FindingLevel) -> HandoverFinding {
        HandoverFinding {
            code: code.to_string(),
            level,
            title: code.to_string(),
            detail: String::new(),
            kind: None,
            account_id: None,
        }
    }

    fn candidate(start: usize, end: usize) -> PasteCandidate {
        PasteCandidate {
            start,
            end,
            kind: CredentialKind::Password,
            reason: String::new(),
            masked: String::new(),
            suggested_label: String::new(),
        }
    }

    fn error(field: &str) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: format!("{field} is wrong."),
        }
    }

    #[test]
    fn groups_follow_the_kind_order_and_keep_account_order() {
        let accounts = vec![
            account(1, ServiceKind::Hosting, "Ada"),
            account(2, ServiceKind::Dns, "Bob"),
            account(3, ServiceKind::Hosting, ""),
        ];
        let groups = group_accounts(&accounts);
        let kinds: Vec<_> = groups.iter().map(|g| g.kind).collect();
        assert_eq!(kinds, ServiceKind::ALL);
        let hosting: Vec<_> = groups[2].accounts.iter().map(|a| a.id).collect();
        assert_eq!(hosting, [1, 3]);
        assert_eq!(groups[0].accounts.len(), 1);
    }

    #[test]
    fn required_kinds_without_an_owned_account_are_gaps() {
        let accounts = vec![
            account(1, ServiceKind::Dns, "Ada"),
            account(2, ServiceKind::Cdn, "  "),
            account(3, ServiceKind::Hosting, ""),
            account(4, ServiceKind::Hosting, "Bob"),
        ];
        let gaps: Vec<_> = group_accounts(&accounts)
            .into_iter()
            .map(|g| (g.kind, g.gap))
            .collect();
        assert_eq!(gaps[0], (ServiceKind::Dns, None));
        assert_eq!(gaps[1], (ServiceKind::Cdn, Some(Gap::NoOwner)));
        assert_eq!(gaps[2], (ServiceKind::Hosting, None));
        assert_eq!(gaps[3], (ServiceKind::Email, Some(Gap::NoAccount)));
        assert_eq!(gaps[4], (ServiceKind::Monitoring, Some(Gap::NoAccount)));
        // Optional kinds are never gaps, with or without accounts.
        assert!(gaps[5..].iter().all(|(_, gap)| gap.is_none()));
        assert_eq!(first_gap(&accounts), Some(ServiceKind::Cdn));
        assert_eq!(first_gap(&[]), Some(ServiceKind::Dns));
    }

    #[test]
    fn blockers_come_first_and_ties_keep_their_order() {
        let sorted = sort_findings(vec![
            finding("w", FindingLevel::Watch),
            finding("h", FindingLevel::High),
            finding("b1", FindingLevel::Blocker),
            finding("b2", FindingLevel::Blocker),
        ]);
        let codes: Vec<_> = sorted.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["b1", "b2", "h", "w"]);
    }

    #[test]
    fn card_keys_change_with_what_the_card_shows() {
        let a = account(1, ServiceKind::Dns, "Ada");
        let mut b = a.clone();
        assert_eq!(account_key(&a), account_key(&b));
        b.spec.notes = "new".to_string();
        assert_ne!(account_key(&a), account_key(&b));
        assert_eq!(account_key(&a).0, 1);
    }

    #[test]
    fn people_read_as_name_and_address() {
        let mut p = Person {
            name: "Ada".to_string(),
            email: "ada@example.com".to_string(),
        };
        assert_eq!(person_text(&p), "Ada <ada@example.com>");
        p.email.clear();
        assert_eq!(person_text(&p), "Ada");
        p.name.clear();
        assert_eq!(person_text(&p), "");
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            safe_link(" https://dash.cloudflare.com ").as_deref(),
            Some("https://dash.cloudflare.com")
        );
        assert!(safe_link("HTTP://example.com/login").is_some());
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("https://"), None);
        assert_eq!(safe_link("https://a b"), None);
        assert_eq!(safe_link("dash.cloudflare.com"), None);
    }

    #[test]
    fn channels_are_a_comma_list() {
        assert_eq!(
            parse_channels(" email, sms ,, slack #ops,"),
            ["email", "sms", "slack #ops"]
        );
        assert!(parse_channels("  ").is_empty());
        assert_eq!(
            join_channels(&["email".to_string(), "sms".to_string()]),
            "email, sms"
        );
    }

    #[test]
    fn candidates_are_sliced_safely() {
        let text = "pässword: hunter2 ok";
        // "ä" is two bytes, so the value starts at byte 11.
        assert_eq!(candidate_secret(text, &candidate(11, 18)), Some("hunter2"));
        assert_eq!(candidate_secret(text, &candidate(2, 4)), None, "inside ä");
        assert_eq!(candidate_secret(text, &candidate(11, 99)), None);
        assert_eq!(candidate_secret(text, &candidate(18, 11)), None);
        assert_eq!(candidate_secret(text, &candidate(5, 5)), None);
        assert_eq!(candidate_secret(text, &candidate(18, 19)), None, "blank");
    }

    #[test]
    fn errors_find_their_field_or_the_summary() {
        let errors = vec![
            error("owner.email"),
            error("channels.1"),
            error("channels"),
            error("channelsx"),
            error("spec"),
        ];
        let under: Vec<_> = errors_under(&errors, "channels")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(under, ["channels.1", "channels"]);
        assert_eq!(errors_under(&errors, "owner").len(), 1);
        assert!(errors_under(&errors, "owner.name").is_empty());
        let orphans: Vec<_> = orphan_errors(&errors, &["owner.email", "channels"])
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(orphans, ["channelsx", "spec"]);
        let left: Vec<_> = without_errors_under(&errors, "channels")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(left, ["owner.email", "channelsx", "spec"]);
    }
}
