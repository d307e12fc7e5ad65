//! # Brief overview
//!
//! `handover-core` is everything Handover knows how to do, with no window
//! attached: it never names tauri or wasm-bindgen, so the desktop shell, the
//! CLI and the tests all call the same functions.
//!
//! Today it holds:
//! - [`paths`]: where Handover keeps its data on each platform;
//! - [`vault`]: the OS keychain, the only place credentials are ever written;
//! - [`about`]: the facts the About panel and `handover info` show;
//! - [`catalog`]: the seven-stage launch-audit checklist, compiled in and validated;
//! - [`input`] and [`project`]: what a founder types, checked and made canonical;
//! - [`sensitive`]: the one list of header and parameter names that carry credentials;
//! - [`store`]: the SQLite database of projects, item states, history and positions;
//! - [`audit`] and [`triage`]: item changes, and the go/no-go verdict with ranked blockers;
//! - [`workbench`]: all of the above behind one async API, one method per command.

pub mod about;
pub mod accounts;
pub mod audit;
pub mod catalog;
pub mod checks;
pub mod eval;
pub mod export;
pub mod history;
pub mod input;
pub mod paste;
pub mod paths;
pub mod project;
pub mod report;
pub mod secrets;
pub mod sensitive;
pub mod store;
pub mod triage;
pub mod vault;
pub mod workbench;

pub use about::app_info;
pub use paths::{DataDir, PathError};
pub use vault::{Vault, VaultError};
pub use workbench::{WorkError, Workbench};
