//! What the AI features share at run time: the configured LLM (if any) and
//! when the AI tables were last swept.

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

use souk_integrations::llm::ChatModel;

/// The AI half of [`crate::Core`].
#[derive(Default)]
pub struct AiRuntime {
    /// The OpenAI-compatible model, when `LLM_BASE_URL`, `LLM_API_KEY` and `LLM_MODEL` are set.
    pub llm: Option<Arc<dyn ChatModel>>,
    /// Unix seconds of the last retention sweep.
    last_sweep: AtomicI64,
}

impl AiRuntime {
    /// A runtime answering through `llm`.
    pub fn with_llm(llm: Arc<dyn ChatModel>) -> Self {
        Self {
            llm: Some(llm),
            last_sweep: AtomicI64::new(0),
        }
    }

    /// Claims the sweep due at `now` (Unix seconds) if the last one is at
    /// least `every` seconds old; false when another caller has it.
    pub fn claim_sweep(&self, now: i64, every: i64) -> bool {
        let last = self.last_sweep.load(Ordering::Relaxed);
        now - last >= every
            && self
                .last_sweep
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
    }
}
