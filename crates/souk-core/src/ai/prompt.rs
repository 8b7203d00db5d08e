//! The checks every AI prompt passes: present, at most [`MAX_PROMPT`]
//! characters, no NUL. Prompt text is data, never instructions.

use crate::{
    Core,
    ai::nlu,
    error::{Error, FieldErrors, FieldIssue, Result},
};

/// Longest prompt, in characters.
pub const MAX_PROMPT: usize = 2_000;

/// What the built-in engine reads in `text` now, times in Cairo's zone
/// unless the text names a place.
pub fn understand(core: &Core, text: &str) -> nlu::Parsed {
    let context = nlu::Context {
        now: core.clock.now(),
        tz: chrono_tz::Africa::Cairo,
    };
    nlu::parse(text, &context)
}

/// `raw` trimmed, or the field's error.
pub fn checked(field: &str, raw: Option<&str>) -> Result<String> {
    let text = raw.map(str::trim).unwrap_or_default();
    let issue = if text.is_empty() {
        Some(FieldIssue::Required)
    } else if text.contains('\0') {
        Some(FieldIssue::NulByte)
    } else if text.chars().count() > MAX_PROMPT {
        Some(FieldIssue::TooLong(MAX_PROMPT))
    } else {
        None
    };
    match issue {
        Some(issue) => Err(Error::Validation(FieldErrors::single(field, issue))),
        None => Ok(text.to_owned()),
    }
}
