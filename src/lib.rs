//! minhbach turns approved Vietnamese transparency reports, kept as YAML, into
//! a static website that works on any host and opened from disk.
//!
//! A report passes through the stages in order: [`load`] → [`validate`] →
//! [`cite`] → [`catalog`] → [`compare`] → [`render`] (with [`markdown`],
//! [`chart`] and [`downloads`]) → [`search`] (the index) → [`write`];
//! [`site`] runs them and [`cmd`] holds the commands.

pub mod catalog;
pub mod chart;
pub mod cite;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod diagnostics;
pub mod downloads;
pub mod load;
pub mod markdown;
pub mod render;
pub mod search;
pub mod site;
pub mod validate;
pub mod vietnamese;
pub mod write;
