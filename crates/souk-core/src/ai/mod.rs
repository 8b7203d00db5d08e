//! Souk's AI: an offline bilingual language engine and, when configured, an
//! OpenAI-compatible LLM; recommendations, the concierge, drafting, job
//! finding, price suggestion, sentiment, skill demand, and the AI log.

pub mod log;
pub mod nlu;
pub mod recommend;
pub mod runtime;
pub mod weights;
pub mod explain;
pub mod concierge;
pub mod prompt;
pub mod demand;
pub mod find_jobs;
pub mod generate;
pub mod price;
pub mod semantic;
