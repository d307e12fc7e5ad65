//! # Latency under light load
//!
//! [`load`] sends N requests from C concurrent virtual users (a closed
//! model) and [`stats`] reduces them to nearest-rank percentiles, a
//! histogram, status counts and an error rate; [`probe`] is the
//! latency checks (`latency.chat`, `.login`, `.dashboard`) built on them.

pub mod load;
pub mod probe;
pub mod stats;

#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod probe_tests;

pub(super) use probe::checks;
