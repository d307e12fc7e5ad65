//! Facts about the running application, shown in the About panel.

use serde::{Deserialize, Serialize};

/// Request for [`AppInfo`]; it carries no parameters today, but every command
/// takes one request struct so fields can be added without breaking callers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfoRequest {}

/// What the About panel shows: version, where data lives, whether the OS
/// keychain can hold credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The application's name, "Handover".
    pub name: String,
    /// The package version, e.g. `0.1.0`.
    pub version: String,
    /// Absolute path of the directory that holds the database and exports.
    pub data_dir: String,
    /// Absolute path of the SQLite database in use.
    #[serde(default)]
    pub database: String,
    /// Why the database could not be opened; `None` when it is in use.
    #[serde(default)]
    pub database_problem: Option<String>,
    /// Operating system and architecture, e.g. `linux x86_64`.
    pub platform: String,
    /// The state of the OS credential store, probed when asked.
    pub keychain: KeychainStatus,
}

/// The state of the OS credential store, as observed by a live probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum KeychainStatus {
    /// The store answered; credentials can be saved in it.
    Available {
        /// Which store answered, e.g. "Secret Service" or "macOS Keychain".
        store: String,
    },
    /// The store exists but refused access (locked, or the user said no).
    Locked {
        /// Which store refused.
        store: String,
        /// What it said, in plain words.
        detail: String,
    },
    /// No usable store: nothing will be saved, and there is no fallback.
    Unavailable {
        /// Why, in plain words.
        detail: String,
    },
}

impl KeychainStatus {
    /// True when credentials can be written right now.
    pub fn is_available(&self) -> bool {
        matches!(self, KeychainStatus::Available { .. })
    }

    /// A one-line summary for people, e.g. "Available (Secret Service)".
    pub fn summary(&self) -> String {
        match self {
            KeychainStatus::Available { store } => format!("Available ({store})"),
            KeychainStatus::Locked { store, detail } => format!("Locked ({store}): {detail}"),
            KeychainStatus::Unavailable { detail } => format!("Unavailable: {detail}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keychain_status_is_tagged_for_the_ui() {
        let json = serde_json::to_value(KeychainStatus::Available {
            store: "Secret Service".into(),
        })
        .unwrap();
        assert_eq!(json["state"], "available");
        assert_eq!(json["store"], "Secret Service");
    }

    #[test]
    fn app_info_round_trips_with_camel_case_fields() {
        let info = AppInfo {
            name: "Handover".into(),
            version: "0.1.0".into(),
            data_dir: "/tmp/h".into(),
            database: "/tmp/h/handover.db".into(),
            database_problem: None,
            platform: "linux x86_64".into(),
            keychain: KeychainStatus::Unavailable {
                detail: "no D-Bus session".into(),
            },
        };
        let json = serde_json::to_string(&info).unwrap();
        assert!(json.contains("\"dataDir\":\"/tmp/h\""), "{json}");
        let back: AppInfo = serde_json::from_str(&json).unwrap();
        assert_eq!(back, info);
    }

    #[test]
    fn only_available_keychain_accepts_writes() {
        let locked = KeychainStatus::Locked {
            store: "Secret Service".into(),
            detail: "collection is locked".into(),
        };
        assert!(!locked.is_available());
        assert_eq!(
            locked.summary(),
            "Locked (Secret Service): collection is locked"
        );
    }
}

/// `link_open`: opens an `http(s)` link in the system browser, never in the app window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkOpenRequest {
    /// The link.
    pub url: String,
}
