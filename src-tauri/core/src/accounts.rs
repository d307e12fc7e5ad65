//! Accounts and alert contacts as typed on the Accounts page, checked before
//! they are stored; and the keychain name of each credential.

use handover_model::{AccountSpec, ContactSpec, FieldError, Person};

use crate::paste::refuse_credential;
use crate::paths::APP_IDENTIFIER;
use crate::project::{multiline, text, Problems};
use crate::store::CredentialRef;
use crate::vault::EntryName;

/// Longest one-line field on the account and contact forms.
const MAX_LINE: usize = 200;
/// Longest notes field.
const MAX_NOTES: usize = 20_000;
/// Most alert channels per contact.
const MAX_CHANNELS: usize = 10;

/// The keychain name of a credential: the service is namespaced by project
/// and account (their random uids, which never change or repeat), the user
/// by kind and the credential's own uid.
pub fn entry_name(credential: &CredentialRef) -> EntryName {
    EntryName {
        service: format!(
            "{APP_IDENTIFIER}/{}/{}",
            credential.project_uid, credential.account_uid
        ),
        user: format!("{}-{}", credential.kind.as_str(), credential.credential_uid),
    }
}

/// Checks an account form and returns its canonical form, or every problem.
pub fn account(spec: &AccountSpec) -> Result<AccountSpec, Vec<FieldError>> {
    let mut p = Problems::default();
    let provider = text(&mut p, "provider", &spec.provider, MAX_LINE, true);
    let login_url = if spec.login_url.trim().is_empty() {
        String::new()
    } else {
        match crate::input::base_url(&spec.login_url) {
            Ok(_) => url::Url::parse(spec.login_url.trim())
                .map(|u| u.to_string())
                .unwrap_or_default(),
            Err(err) => {
                p.add("login_url", crate::project::sentence(&err.to_string()));
                spec.login_url.trim().to_string()
            }
        }
    };
    let username = text(&mut p, "username", &spec.username, MAX_LINE, false);
    let owner = person(&mut p, "owner", &spec.owner);
    let backup_owner = person(&mut p, "backup_owner", &spec.backup_owner);
    let recovery_codes_at = text(
        &mut p,
        "recovery_codes_at",
        &spec.recovery_codes_at,
        MAX_LINE,
        false,
    );
    let billing_owner = text(
        &mut p,
        "billing_owner",
        &spec.billing_owner,
        MAX_LINE,
        false,
    );
    let last_verified = date(&mut p, "last_verified", &spec.last_verified);
    let last_rotated = date(&mut p, "last_rotated", &spec.last_rotated);
    let notes = multiline(&mut p, "notes", &spec.notes, MAX_NOTES);
    for (field, value) in [
        ("username", &username),
        ("recovery_codes_at", &recovery_codes_at),
        ("billing_owner", &billing_owner),
        ("notes", &notes),
    ] {
        refuse_credential(&mut p, field, value);
    }
    p.into_result(AccountSpec {
        kind: spec.kind,
        provider,
        login_url,
        username,
        owner,
        backup_owner,
        two_factor: spec.two_factor,
        recovery_codes_at,
        billing_owner,
        last_verified,
        last_rotated,
        notes,
    })
}

/// Checks an alert-contact form.
pub fn contact(spec: &ContactSpec) -> Result<ContactSpec, Vec<FieldError>> {
    let mut p = Problems::default();
    let name = text(&mut p, "name", &spec.name, MAX_LINE, true);
    let role = text(&mut p, "role", &spec.role, MAX_LINE, false);
    let email = email(&mut p, "email", &spec.email, true);
    let mut channels = Vec::new();
    for (i, channel) in spec.channels.iter().enumerate() {
        let channel = text(&mut p, &format!("channels.{i}"), channel, MAX_LINE, false);
        refuse_credential(&mut p, &format!("channels.{i}"), &channel);
        if !channel.is_empty() && !channels.contains(&channel) {
            channels.push(channel);
        }
    }
    if channels.len() > MAX_CHANNELS {
        p.add("channels", format!("Keep at most {MAX_CHANNELS} channels."));
    }
    let verified = date(&mut p, "verified", &spec.verified);
    p.into_result(ContactSpec {
        name,
        role,
        email,
        channels,
        verified,
    })
}

fn person(p: &mut Problems, field: &str, person: &Person) -> Person {
    let name = text(p, &format!("{field}.name"), &person.name, MAX_LINE, false);
    let email = email(p, &format!("{field}.email"), &person.email, false);
    if name.is_empty() && !email.is_empty() {
        p.add(
            format!("{field}.name"),
            "Enter the name that goes with this email.",
        );
    }
    Person { name, email }
}

/// A plausible email address: one `@`, a local part, a domain with a dot.
fn email(p: &mut Problems, field: &str, typed: &str, required: bool) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        if required {
            p.add(field, "Enter an email address.");
        }
        return String::new();
    }
    let valid = match typed.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && crate::input::domain(domain).is_ok()
                && !typed.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if !valid {
        p.add(
            field,
            format!("{typed:?} is not an email address, e.g. dana@example.com."),
        );
    }
    typed.to_string()
}

/// An optional calendar date `YYYY-MM-DD`.
fn date(p: &mut Problems, field: &str, typed: &str) -> String {
    let typed = typed.trim();
    if typed.is_empty() {
        return String::new();
    }
    if crate::triage::days_from_civil(typed).is_none() {
        p.add(field, format!("{typed:?} is not a date; use YYYY-MM-DD."));
    }
    typed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use handover_model::{CredentialKind, ServiceKind, TwoFactor};

    fn good() -> AccountSpec {
        AccountSpec {
            kind: ServiceKind::Dns,
            provider: " Cloudflare ".into(),
            login_url: "https://dash.cloudflare.com".into(),
            username: "ops@example.com".into(),
            owner: Person {
                name: "Dana".into(),
                email: "dana@example.com".into(),
            },
            two_factor: TwoFactor::Totp,
            last_verified: "2026-11-01".into(),
            ..AccountSpec::default()
        }
    }

    fn fields(result: Result<AccountSpec, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_account_is_normalised() {
        let spec = account(&good()).unwrap();
        assert_eq!(spec.provider, "Cloudflare");
        assert_eq!(spec.login_url, "https://dash.cloudflare.com/");
    }

    #[test]
    fn bad_account_fields_are_reported_by_path() {
        let mut spec = good();
        spec.provider = " ".into();
        spec.login_url = "ftp://x.example".into();
        spec.owner.email = "dana(at)example.com".into();
        spec.backup_owner.email = "sam@example.com".into();
        spec.last_rotated = "2026-13-01".into();
        assert_eq!(
            fields(account(&spec)),
            [
                "provider",
                "login_url",
                "owner.email",
                "backup_owner.name",
                "last_rotated"
            ]
        );
    }

    #[test]
    fn contacts_need_a_name_and_an_email() {
        let err = contact(&ContactSpec::default()).unwrap_err();
        let fields: Vec<_> = err.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "email"]);
        let ok = contact(&ContactSpec {
            name: "Sam".into(),
            email: "sam@example.com".into(),
            channels: vec!["sms".into(), " ".into(), "sms".into()],
            verified: "2026-11-20".into(),
            ..ContactSpec::default()
        })
        .unwrap();
        assert_eq!(ok.channels, ["sms"]);
    }

    #[test]
    fn entry_names_are_namespaced_by_project_and_account() {
        let name = entry_name(&CredentialRef {
            id: 1,
            project_uid: "p1".into(),
            account_uid: "a1".into(),
            credential_uid: "c1".into(),
            kind: CredentialKind::ApiKey,
        });
        assert_eq!(name.service, "dev.handover.workbench/p1/a1");
        assert_eq!(name.user, "api_key-c1");
    }

    #[test]
    fn credentials_in_free_text_fields_are_refused_with_a_pointer_to_the_keychain() {
        let mut spec = good();
        spec.notes = "Shared login. password: hunter2-correct-horse".into();
        spec.username = "https://ops:t0ps3cretpw@admin.example.com".into();
        let errors = account(&spec).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "notes"]);
        assert!(errors.iter().all(|e| e.message.contains("keychain")));
        assert!(errors.iter().all(|e| !e.message.contains("hunter2")));
        let contact = ContactSpec {
            name: "Dana".into(),
            email: "dana@example.com".into(),
            channels: vec!["slack webhook token: xoxb-1234567890-abcdefghij".into()],
            ..ContactSpec::default()
        };
        let errors = super::contact(&contact).unwrap_err();
        assert_eq!(errors[0].field, "channels.0");
    }
}
