//! The concierge: a short conversation (kept a day) that turns needs said
//! in English or Arabic into filters, answers up to three matching
//! offerings or craftsmen with why each fits and their next free slots,
//! and — asked to book — a proposal the user confirms with a second call.
//! The built-in engine answers offline; a configured LLM answers with
//! tools over Souk's own records, and falls back to the built-in engine
//! when it fails.

mod answer;
pub mod conversation;
pub mod filters;
mod llm;
pub mod matches;
pub mod proposal;
mod turn;

pub use turn::{ChatInput, Turn, chat};
