//! # Brief overview
//!
//! `handover-model` is the contract between the Handover window (a wasm UI) and
//! its backend. Every command takes exactly one request struct and answers with
//! either its response struct or a [`CommandError`]. Both sides import these
//! types, so a field renamed here breaks the build on both sides instead of
//! silently at run time.
//!
//! The crate depends on `serde` only and builds for native and `wasm32` targets.

pub mod app;
pub mod checklist;
pub mod error;

pub use app::{AppInfo, AppInfoRequest, KeychainStatus};
pub use checklist::{Advisory, Catalog, ChecklistItem, ItemKind, Risk, Stage};
pub use error::{CommandError, ErrorCode};

/// The names under which the backend registers its commands.
///
/// The UI's `ipc` module and the shell's handler list both use these, so a
/// typo cannot make a command unreachable.
pub mod command {
    /// [`crate::AppInfoRequest`] → [`crate::AppInfo`].
    pub const APP_INFO: &str = "app_info";
}
