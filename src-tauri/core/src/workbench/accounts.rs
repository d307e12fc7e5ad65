//! Accounts, alert contacts and credentials. Secrets go to the keychain
//! only; SQLite learns that a credential exists after the keychain has it,
//! and forgets it only after the keychain entry is gone.

use handover_model::{
    Account, AccountSaveRequest, AccountsView, Contact, ContactSaveRequest, Credential,
    CredentialSaveRequest, FieldError, PasteCandidate, SecretText, ServiceKind,
};

use super::{WorkError, Workbench};
use crate::store::{now_ms, CredentialRef};
use crate::vault::{EntryName, VaultError};
use crate::{accounts, paste, triage};

/// Longest credential label.
const MAX_LABEL: usize = 120;
/// Largest secret accepted (recovery-code lists and PEM keys fit easily).
const MAX_SECRET: usize = 64 * 1024;

impl Workbench {
    /// A project's accounts, contacts, handover gaps and keychain state.
    pub async fn accounts(&self, project_id: i64) -> Result<AccountsView, WorkError> {
        let (accounts, contacts) = self
            .store
            .run(move |db| Ok((db.accounts(project_id)?, db.contacts(project_id)?)))
            .await?;
        let findings = triage::handover_findings(&accounts, &contacts, now_ms());
        let keychain = self.keychain(|vault| Ok(vault.status())).await?;
        let groups = triage::kind_groups(&accounts);
        let first_gap = ServiceKind::REQUIRED
            .into_iter()
            .find(|kind| groups.iter().any(|g| g.kind == *kind && g.gap.is_some()));
        Ok(AccountsView {
            accounts,
            contacts,
            findings,
            groups,
            first_gap,
            keychain,
        })
    }

    /// Creates or replaces an account after validating it.
    pub async fn save_account(&self, request: AccountSaveRequest) -> Result<Account, WorkError> {
        let spec = accounts::account(&request.spec).map_err(WorkError::Invalid)?;
        let now = now_ms();
        let account = self
            .store
            .run(move |db| match request.id {
                Some(id) => {
                    if db.account_project(id)? != request.project_id {
                        return Err(not_found("account", id));
                    }
                    db.update_account(id, &spec, now)
                }
                None => db.create_account(request.project_id, &spec, now),
            })
            .await?;
        tracing::info!(
            account = account.id,
            kind = account.spec.kind.as_str(),
            "account saved"
        );
        Ok(account)
    }

    /// Deletes an account: its keychain entries first, then its record.
    /// If the keychain refuses, nothing is deleted.
    pub async fn delete_account(&self, id: i64) -> Result<(), WorkError> {
        let refs = self
            .store
            .run(move |db| {
                let account = db.account(id)?;
                account
                    .credentials
                    .iter()
                    .map(|c| db.credential_ref(c.id))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await?;
        self.forget(refs).await?;
        self.store.run(move |db| db.delete_account(id)).await?;
        tracing::info!(account = id, "account deleted with its keychain entries");
        Ok(())
    }

    /// Stores a secret in the keychain (new, or replacing one) and records that it exists.
    pub async fn save_credential(
        &self,
        request: CredentialSaveRequest,
    ) -> Result<Credential, WorkError> {
        let label = check_credential(&request)?;
        let now = now_ms();
        let CredentialSaveRequest {
            account_id,
            credential_id,
            kind,
            secret,
            ..
        } = request;
        let reserve_label = label.clone();
        let target = self
            .store
            .run(move |db| match credential_id {
                Some(id) => {
                    let existing = db.credential_ref(id)?;
                    let owner = db.account(account_id)?;
                    if !owner.credentials.iter().any(|c| c.id == id) {
                        return Err(not_found("credential", id));
                    }
                    Ok(existing)
                }
                None => db.reserve_credential(account_id, kind, &reserve_label, now),
            })
            .await?;
        let entry = accounts::entry_name(&target);
        let written = entry.clone();
        self.keychain(move |vault| vault.put(&written, &secret))
            .await?;
        let stored = self
            .store
            .run(move |db| match credential_id {
                Some(id) => db.touch_credential(id, &label, now),
                None => db.insert_credential(account_id, &target, &label, now),
            })
            .await;
        let stored = match stored {
            Ok(stored) => stored,
            Err(err) => {
                // A new secret the database never recorded would be an orphan
                // nobody can see or delete: take it out of the keychain again.
                if credential_id.is_none() {
                    if let Err(cleanup) = self.keychain(move |vault| vault.delete(&entry)).await {
                        tracing::warn!(
                            account = account_id,
                            error = %cleanup,
                            "an unrecorded keychain entry could not be removed"
                        );
                    }
                }
                return Err(err.into());
            }
        };
        tracing::info!(
            credential = stored.id,
            account = stored.account_id,
            kind = stored.kind.as_str(),
            "credential stored in the keychain"
        );
        Ok(stored)
    }

    /// Reads a secret from the keychain, for an explicit reveal or copy.
    pub async fn secret(&self, credential_id: i64) -> Result<SecretText, WorkError> {
        let target = self
            .store
            .run(move |db| db.credential_ref(credential_id))
            .await?;
        let entry = accounts::entry_name(&target);
        let secret = self.keychain(move |vault| vault.get(&entry)).await?;
        tracing::info!(
            credential = credential_id,
            "credential read from the keychain"
        );
        Ok(secret)
    }

    /// The secrets `spec`'s signed-in probes send, for a run of stored
    /// project `project_id`: each credential it names is read from the
    /// keychain once (environment variables as the target reads them). A
    /// credential that is not one of this project's, or that the keychain
    /// will not give, is kept as the reason, so only the probes needing it
    /// say they could not run.
    pub(crate) async fn run_credentials(
        &self,
        project_id: i64,
        spec: &handover_model::ProjectSpec,
    ) -> Result<crate::checks::credentials::Credentials, WorkError> {
        use crate::checks::credentials::{auths_of, Credentials};
        let auths: Vec<handover_model::EndpointAuth> =
            auths_of(spec).into_iter().cloned().collect();
        if auths.iter().all(|a| a.credential_id.is_none()) {
            return Ok(Credentials::read(&auths, |_| {
                unreachable!("no stored credential named")
            }));
        }
        let refs = self
            .store
            .run(move |db| db.credential_refs_of_project(project_id))
            .await?;
        let vault = self.vault.clone();
        let credentials = tokio::task::spawn_blocking(move || {
            Credentials::read(&auths, |id| match refs.iter().find(|r| r.id == id) {
                None => Err(format!(
                    "credential {id} is not one of this project's credentials (was it deleted?); \
                     choose another on the project form"
                )),
                Some(found) => vault
                    .get(&accounts::entry_name(found))
                    .map_err(|e| e.to_string()),
            })
        })
        .await
        .map_err(|e| WorkError::Internal(format!("the keychain task failed: {e}")))?;
        tracing::info!(
            project = project_id,
            "credentials for the run read from the keychain"
        );
        Ok(credentials)
    }

    /// Deletes a credential: the keychain entry first, then the record.
    pub async fn delete_credential(&self, credential_id: i64) -> Result<(), WorkError> {
        let target = self
            .store
            .run(move |db| db.credential_ref(credential_id))
            .await?;
        self.forget(vec![target]).await?;
        self.store
            .run(move |db| db.delete_credential(credential_id))
            .await?;
        tracing::info!(credential = credential_id, "credential deleted");
        Ok(())
    }

    /// Creates or replaces an alert contact after validating it.
    pub async fn save_contact(&self, request: ContactSaveRequest) -> Result<Contact, WorkError> {
        let spec = accounts::contact(&request.spec).map_err(WorkError::Invalid)?;
        let now = now_ms();
        Ok(self
            .store
            .run(move |db| match request.id {
                Some(id) => db.update_contact(id, &spec, now),
                None => db.create_contact(request.project_id, &spec, now),
            })
            .await?)
    }

    /// Deletes an alert contact.
    pub async fn delete_contact(&self, id: i64) -> Result<(), WorkError> {
        Ok(self.store.run(move |db| db.delete_contact(id)).await?)
    }

    /// Finds credential-looking values in pasted text; keeps nothing.
    pub fn scan_paste(&self, text: &SecretText) -> Result<Vec<PasteCandidate>, WorkError> {
        paste::scan(text.expose()).map_err(|e| {
            WorkError::Invalid(vec![FieldError {
                field: "text".into(),
                message: crate::project::sentence(&e.to_string()),
            }])
        })
    }

    /// The DKIM selectors a pasted message's headers name (at most
    /// [`MAX_PASTED_HEADERS`] bytes), for the sending domain's setup.
    pub fn dkim_selectors(
        &self,
        headers: &str,
    ) -> Result<handover_model::DkimSelectorsFound, WorkError> {
        read_dkim_selectors(headers)
    }

    /// Deletes the keychain entries behind `refs`.
    pub(super) async fn forget(&self, refs: Vec<CredentialRef>) -> Result<(), WorkError> {
        if refs.is_empty() {
            return Ok(());
        }
        let names: Vec<EntryName> = refs.iter().map(accounts::entry_name).collect();
        self.keychain(move |vault| names.iter().try_for_each(|name| vault.delete(name)))
            .await
    }

    /// Runs keychain work on a blocking thread: platform keychains block on IPC.
    pub(super) async fn keychain<T: Send + 'static>(
        &self,
        work: impl FnOnce(&crate::Vault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, WorkError> {
        let vault = self.vault.clone();
        tokio::task::spawn_blocking(move || work(&vault))
            .await
            .map_err(|e| WorkError::Internal(format!("the keychain task failed: {e}")))?
            .map_err(WorkError::Vault)
    }
}

fn not_found(what: &'static str, id: i64) -> crate::store::StoreError {
    crate::store::StoreError::NotFound {
        what,
        id: id.to_string(),
    }
}

/// Checks the label and the secret of a credential; returns the clean label.
fn check_credential(request: &CredentialSaveRequest) -> Result<String, WorkError> {
    let mut problems = Vec::new();
    let label = request.label.trim().to_string();
    if label.is_empty() {
        problems.push(field(
            "label",
            "Give the credential a label, e.g. root password.",
        ));
    } else if label.chars().count() > MAX_LABEL || label.chars().any(char::is_control) {
        problems.push(field(
            "label",
            "Keep the label to one line under 120 characters.",
        ));
    }
    if let Some(found) = crate::paste::credential_in(&label) {
        problems.push(field(
            "label",
            &format!(
                "The label looks like a credential itself ({}); name the secret instead, e.g. root password.",
                found.reason
            ),
        ));
    }
    if request.secret.is_blank() {
        problems.push(field("secret", "Enter the secret to store."));
    } else if request.secret.expose().len() > MAX_SECRET {
        problems.push(field("secret", "That secret is larger than 64 KiB."));
    }
    if problems.is_empty() {
        Ok(label)
    } else {
        Err(WorkError::Invalid(problems))
    }
}

fn field(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Most bytes of pasted message headers read for DKIM selectors.
pub const MAX_PASTED_HEADERS: usize = 256 * 1024;

/// The signatures `headers` name: what the window and `handover
/// dkim-selectors` show. Too much text is refused, naming `headers`.
pub fn read_dkim_selectors(headers: &str) -> Result<handover_model::DkimSelectorsFound, WorkError> {
    if headers.len() > MAX_PASTED_HEADERS {
        return Err(WorkError::Invalid(vec![FieldError {
            field: "headers".into(),
            message: format!(
                "Paste only the message's headers (at most {} KiB), not the whole message.",
                MAX_PASTED_HEADERS / 1024
            ),
        }]));
    }
    let signatures = crate::checks::mail::dkim::selectors_from_headers(headers)
        .into_iter()
        .map(|(domain, selector)| handover_model::DkimSignatureRef { domain, selector })
        .collect();
    Ok(handover_model::DkimSelectorsFound { signatures })
}
