//! Thresholds simulation core: the scenario model, the text-format parser, the validator, the
//! engine that plays a run, and safe Markdown rendering.
//!
//! This crate is plain Rust. It imports nothing from Leptos, web-sys or wasm-bindgen, touches no
//! storage and does no I/O, so every rule here is tested natively in seconds
//! (`tests/core.rs` holds a tidy test that keeps it that way).

pub mod area;
pub mod authoring;
pub mod base64;
pub mod blocks;
pub mod codec;
pub mod desk;
pub mod engine;
pub mod graph;
pub mod kept;
pub mod lms;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod paths;
pub mod problem;
pub mod rubrics;
pub mod safe;
pub mod save;
pub mod score;
pub mod session;
pub mod summary;
pub mod thresholds;
pub mod validate;
pub mod vecmap;

pub use engine::{EngineError, LogEntry, Outcome, Run};
pub use model::Scenario;
pub use problem::Problem;
pub use session::{Action, Mode, Session};
pub use validate::load;
