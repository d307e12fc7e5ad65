//! The demo product: a fictional chatbot served on loopback so a newcomer
//! can walk the whole handover offline. The window starts it, and the
//! project pointed at it is marked as the demo everywhere.

use serde::{Deserialize, Serialize};

/// The demo project's name (one per data directory).
pub const DEMO_PROJECT_NAME: &str = "Demo — Northwind Ops Assistant";

/// `demo_start`: starts the demo product's servers (if they are not running)
/// and creates or resets the demo project pointed at them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoStartRequest {}

/// What `demo_start` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoStarted {
    /// The demo project's id.
    pub project_id: i64,
    /// Whether the project was new (`false`: an existing one was reset).
    pub created: bool,
    /// The demo's hosts, apex first.
    pub hosts: Vec<String>,
    /// How long the servers took to start, milliseconds (0 when they were
    /// already running).
    pub start_ms: u64,
}

/// `demo_remove`: deletes the demo project (with its keychain entries) and
/// stops the demo servers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRemoveRequest {}
