//! Souk's AI: an offline bilingual language engine and, when configured, an
//! OpenAI-compatible LLM; recommendations, the concierge, drafting, job
//! finding, price suggestion, sentiment, skill demand, and the AI log.

pub mod nlu;
