//! The Accounts page's pure logic: the accounts of each of the core's kind
//! groups (the core decides the groups, their gaps and the findings' order),
//! channel lists, safe links, slicing a pasted text at a candidate's
//! offsets, and where each field error goes. No DOM here; tested natively.

use handover_model::{
    Account, AccountsView, FieldError, KindGroup, PasteCandidate, Person, ServiceKind,
};

/// What a stored secret looks like until it is revealed.
pub const MASK: &str = "••••••••";

/// The core's group of `kind`; a kind the core did not list has no
/// accounts and no gap.
pub fn group_of(view: &AccountsView, kind: ServiceKind) -> KindGroup {
    view.groups
        .iter()
        .find(|g| g.kind == kind)
        .cloned()
        .unwrap_or(KindGroup {
            kind,
            required: false,
            account_ids: Vec::new(),
            gap: None,
        })
}

/// A group's accounts, in the group's order (ids the view lacks are skipped).
pub fn accounts_of(view: &AccountsView, group: &KindGroup) -> Vec<Account> {
    group
        .account_ids
        .iter()
        .filter_map(|id| view.accounts.iter().find(|a| a.id == *id).cloned())
        .collect()
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
    use handover_model::{AccountSpec, CredentialKind, KeychainStatus, KindGap};

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

    fn view(accounts: Vec<Account>, groups: Vec<KindGroup>) -> AccountsView {
        AccountsView {
            accounts,
            contacts: Vec::new(),
            findings: Vec::new(),
            groups,
            first_gap: None,
            keychain: KeychainStatus::Unavailable {
                detail: String::new(),
            },
        }
    }

    #[test]
    fn groups_are_the_core_s_and_keep_its_account_order() {
        let accounts = vec![
            account(1, ServiceKind::Hosting, "Ada"),
            account(2, ServiceKind::Dns, "Bob"),
            account(3, ServiceKind::Hosting, ""),
        ];
        let hosting = KindGroup {
            kind: ServiceKind::Hosting,
            required: true,
            account_ids: vec![3, 1, 99],
            gap: Some(KindGap::NoOwner),
        };
        let data = view(accounts, vec![hosting.clone()]);
        assert_eq!(group_of(&data, ServiceKind::Hosting), hosting);
        let ids: Vec<_> = accounts_of(&data, &hosting).iter().map(|a| a.id).collect();
        assert_eq!(ids, [3, 1], "the core's order; an unknown id is skipped");
        let missing = group_of(&data, ServiceKind::Dns);
        assert_eq!(missing.kind, ServiceKind::Dns);
        assert!(missing.account_ids.is_empty() && missing.gap.is_none() && !missing.required);
        assert!(accounts_of(&data, &missing).is_empty());
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
