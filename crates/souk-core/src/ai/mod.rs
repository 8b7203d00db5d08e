//! Souk's AI: an offline bilingual language engine and, when configured, an
//! OpenAI-compatible LLM; recommendations, the concierge, drafting, job
//! finding, price suggestion, sentiment, skill demand, and the AI log.

pub mod concierge;
pub mod demand;
pub mod explain;
pub mod find_jobs;
pub mod generate;
pub mod log;
pub mod nlu;
pub mod price;
pub mod prompt;
pub mod recommend;
pub mod runtime;
pub mod semantic;
pub mod weights;
