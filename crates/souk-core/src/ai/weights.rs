//! The recommendation weights admins tune (`aiWeights` in
//! `GET|PUT /api/admin/settings`): how much each factor counts.

use serde::{Deserialize, Serialize};

use crate::error::{FieldErrors, FieldIssue};

/// One weight per recommendation factor; only their ratios matter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AiWeights {
    /// Has the job's category as a skill, offers it, and the job's words in their profile.
    pub skill: f64,
    /// Closeness within the craftsman's service area.
    pub distance: f64,
    /// Bayesian average rating.
    pub rating: f64,
    /// Completed contracts out of finished ones (smoothed).
    pub completion: f64,
    /// Typical time to answer.
    pub response: f64,
    /// Free time on the job's desired date (or the coming week).
    pub availability: f64,
    /// How recently they quoted, worked or updated their profile.
    pub activity: f64,
    /// Identity verified.
    pub verification: f64,
}

impl Default for AiWeights {
    fn default() -> Self {
        Self {
            skill: 0.25,
            distance: 0.20,
            rating: 0.15,
            completion: 0.10,
            response: 0.07,
            availability: 0.10,
            activity: 0.05,
            verification: 0.08,
        }
    }
}

/// The largest single weight.
pub const MAX_WEIGHT: f64 = 100.0;

impl AiWeights {
    /// The weights by factor name, in the order factors are reported.
    pub fn named(&self) -> [(&'static str, f64); 8] {
        [
            ("skill", self.skill),
            ("distance", self.distance),
            ("rating", self.rating),
            ("completion", self.completion),
            ("response", self.response),
            ("availability", self.availability),
            ("activity", self.activity),
            ("verification", self.verification),
        ]
    }

    /// Each weight finite in 0..=100, and not all zero.
    pub fn validate(&self, errors: &mut FieldErrors) {
        let mut total = 0.0;
        for (name, weight) in self.named() {
            if !(weight.is_finite() && (0.0..=MAX_WEIGHT).contains(&weight)) {
                errors.add(
                    format!("aiWeights.{name}"),
                    FieldIssue::OutOfRange {
                        min: 0.0,
                        max: MAX_WEIGHT,
                    },
                );
            } else {
                total += weight;
            }
        }
        if total <= 0.0 {
            errors.add("aiWeights", FieldIssue::Invalid);
        }
    }
}
