//! The one error shape that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::project::FieldError;

/// A machine-readable error class; the UI picks wording and recovery by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request was malformed or named something that does not exist.
    InvalidInput,
    /// The thing asked for was not found.
    NotFound,
    /// The OS keychain is locked, missing or refused access.
    KeychainUnavailable,
    /// Reading or writing local data failed.
    Storage,
    /// The thing already exists (e.g. a project name in use).
    Conflict,
    /// The IPC layer itself failed (the backend never answered properly).
    Ipc,
    /// Anything else; the message says what.
    Internal,
}

impl ErrorCode {
    /// The wire name of this code, e.g. `invalid_input`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::NotFound => "not_found",
            ErrorCode::KeychainUnavailable => "keychain_unavailable",
            ErrorCode::Storage => "storage",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Ipc => "ipc",
            ErrorCode::Internal => "internal",
        }
    }
}

/// What every command returns on failure: a code to branch on and a sentence
/// for people. It never carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// The error class.
    pub code: ErrorCode,
    /// A complete sentence that says what went wrong and, where possible, what to do.
    pub message: String,
    /// For form submissions: which fields are wrong and why (absent otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl CommandError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// An `invalid_input` error carrying per-field problems.
    pub fn invalid_fields(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            many => format!("{} fields need attention.", many.len()),
        };
        Self {
            code: ErrorCode::InvalidInput,
            message,
            fields,
        }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_serialises_as_code_and_message() {
        let err = CommandError::new(ErrorCode::KeychainUnavailable, "The keychain is locked.");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "keychain_unavailable", "message": "The keychain is locked."})
        );
    }

    #[test]
    fn wire_names_match_serde() {
        for code in [
            ErrorCode::InvalidInput,
            ErrorCode::NotFound,
            ErrorCode::KeychainUnavailable,
            ErrorCode::Storage,
            ErrorCode::Conflict,
            ErrorCode::Ipc,
            ErrorCode::Internal,
        ] {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, code.as_str());
        }
    }
}
