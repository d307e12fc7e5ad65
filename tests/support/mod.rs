//! Shared test fixtures.

pub mod webdriver;
