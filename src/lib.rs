//! minhbach turns approved Vietnamese transparency reports, kept as YAML, into
//! a static website that works on any host and opened from disk.
//!
//! A report passes through the stages in order: [`load`] → [`validate`] →
//! [`cite`] → [`catalog`] → [`render`] (with [`markdown`]) → [`write`];
//! [`site`] runs them and [`cmd`] holds the commands.

pub mod catalog;
pub mod cite;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod load;
pub mod markdown;
pub mod render;
pub mod site;
pub mod validate;
pub mod vietnamese;
pub mod write;
