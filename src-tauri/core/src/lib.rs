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
//! - [`catalog`]: the seven-stage launch-audit checklist, compiled in and validated.

pub mod about;
pub mod catalog;
pub mod input;
pub mod paths;
pub mod vault;

pub use about::app_info;
pub use paths::{DataDir, PathError};
pub use vault::{Vault, VaultError};
