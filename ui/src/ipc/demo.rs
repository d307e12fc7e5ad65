//! The demo product's commands: start it (creating or resetting its
//! project) and remove it again.

use handover_model::{
    command, CommandError, DemoRemoveRequest, DemoStartRequest, DemoStarted, Done,
};

use super::call;

/// Starts the demo product on this computer and creates or resets the demo
/// project pointed at it.
pub async fn demo_start() -> Result<DemoStarted, CommandError> {
    call(command::DEMO_START, &DemoStartRequest {}).await
}

/// Deletes the demo project with its keychain entries and stops the demo.
pub async fn demo_remove() -> Result<Done, CommandError> {
    call(command::DEMO_REMOVE, &DemoRemoveRequest {}).await
}
