//! Accounts, contacts and credentials. Only `credential_reveal` ever answers
//! with a secret.

use handover_model::{
    Account, AccountDeleteRequest, AccountSaveRequest, AccountsGetRequest, AccountsView,
    CommandError, Contact, ContactDeleteRequest, ContactSaveRequest, Copied, Credential,
    CredentialRequest, CredentialSaveRequest, DkimHeadersRequest, DkimSelectorsFound, Done,
    ErrorCode, PasteScan, PasteScanRequest, Revealed,
};
use tauri::State;

use crate::state::AppState;

/// Accounts, contacts, handover gaps and keychain status of a project.
#[tauri::command]
pub async fn accounts_get(
    state: State<'_, AppState>,
    request: AccountsGetRequest,
) -> Result<AccountsView, CommandError> {
    Ok(state.workbench()?.accounts(request.project_id).await?)
}

/// Creates or replaces an account.
#[tauri::command]
pub async fn account_save(
    state: State<'_, AppState>,
    request: AccountSaveRequest,
) -> Result<Account, CommandError> {
    Ok(state.workbench()?.save_account(request).await?)
}

/// Deletes an account and its keychain entries.
#[tauri::command]
pub async fn account_delete(
    state: State<'_, AppState>,
    request: AccountDeleteRequest,
) -> Result<Done, CommandError> {
    state.workbench()?.delete_account(request.id).await?;
    Ok(Done {})
}

/// Stores a secret in the keychain.
#[tauri::command]
pub async fn credential_save(
    state: State<'_, AppState>,
    request: CredentialSaveRequest,
) -> Result<Credential, CommandError> {
    Ok(state.workbench()?.save_credential(request).await?)
}

/// Reads a secret from the keychain for display.
#[tauri::command]
pub async fn credential_reveal(
    state: State<'_, AppState>,
    request: CredentialRequest,
) -> Result<Revealed, CommandError> {
    let secret = state.workbench()?.secret(request.credential_id).await?;
    Ok(Revealed { secret })
}

/// Copies a secret to the clipboard, which clears itself later.
#[tauri::command]
pub async fn credential_copy(
    state: State<'_, AppState>,
    request: CredentialRequest,
) -> Result<Copied, CommandError> {
    let secret = state.workbench()?.secret(request.credential_id).await?;
    let clipboard = state.clipboard.clone();
    tauri::async_runtime::spawn_blocking(move || clipboard.copy(&secret))
        .await
        .map_err(|e| CommandError::new(ErrorCode::Internal, format!("The copy failed: {e}.")))?
        .map_err(|e| CommandError::new(ErrorCode::Internal, format!("{e}.")))?;
    Ok(Copied {
        clears_after_s: state.clipboard.delay().as_secs() as u32,
    })
}

/// Deletes a credential and its keychain entry.
#[tauri::command]
pub async fn credential_delete(
    state: State<'_, AppState>,
    request: CredentialRequest,
) -> Result<Done, CommandError> {
    state
        .workbench()?
        .delete_credential(request.credential_id)
        .await?;
    Ok(Done {})
}

/// Creates or replaces an alert contact.
#[tauri::command]
pub async fn contact_save(
    state: State<'_, AppState>,
    request: ContactSaveRequest,
) -> Result<Contact, CommandError> {
    Ok(state.workbench()?.save_contact(request).await?)
}

/// Deletes an alert contact.
#[tauri::command]
pub async fn contact_delete(
    state: State<'_, AppState>,
    request: ContactDeleteRequest,
) -> Result<Done, CommandError> {
    state.workbench()?.delete_contact(request.id).await?;
    Ok(Done {})
}

/// Reads the DKIM selectors a pasted message's headers name; keeps nothing.
#[tauri::command]
pub async fn dkim_selectors_read(
    state: State<'_, AppState>,
    request: DkimHeadersRequest,
) -> Result<DkimSelectorsFound, CommandError> {
    Ok(state.workbench()?.dkim_selectors(&request.headers)?)
}

/// Finds credential-looking values in pasted text; answers with positions only.
#[tauri::command]
pub async fn paste_scan(
    state: State<'_, AppState>,
    request: PasteScanRequest,
) -> Result<PasteScan, CommandError> {
    let candidates = state.workbench()?.scan_paste(&request.text)?;
    Ok(PasteScan { candidates })
}
