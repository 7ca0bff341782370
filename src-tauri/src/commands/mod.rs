//! The commands the window calls, one module per view. Each takes the state
//! and the window's arguments, calls secdesk-core, and returns JSON or bytes.

pub mod charts;
pub mod data;
pub mod files;
pub mod mystats;
pub mod review;
pub mod settings;
pub mod tables;
