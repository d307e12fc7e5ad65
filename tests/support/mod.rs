//! Shared test fixtures.

pub mod keychain;
pub mod webdriver;
