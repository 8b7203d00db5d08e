//! The recommendation factors: what is known about one craftsman for one
//! need ([`Facts`]), each factor's value in 0..=1, and the weighted score
//! with every factor's share of it. Pure functions, so the evaluation and
//! the benchmark score exactly what the API does.

use crate::{ai::weights::AiWeights, reviews::rating};

/// A provider's reach when their profile names none, km.
pub const DEFAULT_REACH_KM: f64 = 25.0;
/// Free minutes on the day that count as fully available.
const FULL_DAY_MINUTES: f64 = 120.0;
/// Days over which recent activity halves, roughly (e-folding time).
const ACTIVITY_DAYS: f64 = 30.0;

/// What is known about one craftsman for one need.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Lists the need's category as a skill.
    pub has_skill: bool,
    /// Has an active offering in the need's category.
    pub offers_category: bool,
    /// Share (0..=1) of the need's words found in their profile.
    pub term_overlap: f64,
    /// Whether the need names a category at all.
    pub category_known: bool,
    /// Distance from the need's place, km (`None`: no place on one side).
    pub distance_km: Option<f64>,
    /// How far they travel, km.
    pub reach_km: f64,
    pub rating_sum: i64,
    pub rating_count: i32,
    /// Contracts completed and contracts that ended otherwise (cancelled).
    pub completed: i64,
    pub cancelled: i64,
    /// Typical minutes to answer (`None`: unknown).
    pub response_minutes: Option<i32>,
    /// Free minutes in the need's window by their schedule (`None`: no schedule).
    pub free_minutes: Option<i64>,
    /// Days since they last quoted, worked or updated their profile.
    pub idle_days: Option<f64>,
    pub verified: bool,
}

/// One factor's value and share of the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    pub name: &'static str,
    /// 0..=1.
    pub value: f64,
    pub weight: f64,
    /// This factor's part of the score (`weight × value / Σ weight`), 0..=1;
    /// the parts add up to the score.
    pub contribution: f64,
    /// This factor's share of the score (contributions / score), 0..=1.
    pub share: f64,
}

/// A scored craftsman.
#[derive(Debug, Clone)]
pub struct Scored {
    /// 0..=1 (rounded to four decimals).
    pub score: f64,
    pub factors: Vec<Factor>,
}

impl Facts {
    /// Whether the craftsman can serve the need's place at all.
    pub fn in_reach(&self) -> bool {
        self.distance_km.is_none_or(|d| d <= self.reach_km)
    }

    /// Skill match: the listed skill, an offering in the category, the
    /// need's words in their profile; the words alone without a category.
    pub fn skill(&self) -> f64 {
        if self.category_known {
            let listed = if self.has_skill { 0.6 } else { 0.0 };
            let offered = if self.offers_category { 0.25 } else { 0.0 };
            listed + offered + 0.15 * self.term_overlap.clamp(0.0, 1.0)
        } else {
            self.term_overlap.clamp(0.0, 1.0)
        }
    }

    /// Closeness: 1 on the spot, 0 at the edge of their reach; 0.5 unknown.
    pub fn distance(&self) -> f64 {
        match self.distance_km {
            Some(d) if self.reach_km > 0.0 => (1.0 - d / self.reach_km).clamp(0.0, 1.0),
            Some(_) => 0.0,
            None => 0.5,
        }
    }

    /// The Bayesian rating (the platform prior without reviews) on 1..5 → 0..1.
    pub fn rating(&self) -> f64 {
        ((rating::bayesian(self.rating_sum, self.rating_count) - 1.0) / 4.0).clamp(0.0, 1.0)
    }

    /// Completed out of finished contracts, smoothed towards 75% by two
    /// imaginary contracts (a newcomer is neither perfect nor failing).
    pub fn completion(&self) -> f64 {
        let done = approx(self.completed.max(0));
        let finished = done + approx(self.cancelled.max(0));
        ((done + 1.5) / (finished + 2.0)).clamp(0.0, 1.0)
    }

    /// Response time: 1 at once, ½ at an hour; 0.4 unknown.
    pub fn response(&self) -> f64 {
        match self.response_minutes {
            Some(m) => 1.0 / (1.0 + f64::from(m.max(0)) / 60.0),
            None => 0.4,
        }
    }

    /// Free time in the need's window: 1 from two free hours; 0.5 without a schedule.
    pub fn availability(&self) -> f64 {
        match self.free_minutes {
            Some(m) => (approx(m.max(0)) / FULL_DAY_MINUTES).clamp(0.0, 1.0),
            None => 0.5,
        }
    }

    /// Recent activity: 1 today, fading over about a month; 0 unknown.
    pub fn activity(&self) -> f64 {
        self.idle_days
            .map_or(0.0, |d| (-d.max(0.0) / ACTIVITY_DAYS).exp())
    }

    /// Identity verified.
    pub fn verification(&self) -> f64 {
        if self.verified { 1.0 } else { 0.0 }
    }

    /// Every factor's value, in the order of [`AiWeights::named`].
    pub fn values(&self) -> [f64; 8] {
        [
            self.skill(),
            self.distance(),
            self.rating(),
            self.completion(),
            self.response(),
            self.availability(),
            self.activity(),
            self.verification(),
        ]
    }

    /// The weighted score and each factor's part of it.
    pub fn score(&self, weights: &AiWeights) -> Scored {
        let named = weights.named();
        let total: f64 = named.iter().map(|(_, w)| w.max(0.0)).sum();
        let total = if total > 0.0 { total } else { 1.0 };
        let mut factors: Vec<Factor> = named
            .iter()
            .zip(self.values())
            .map(|(&(name, weight), value)| Factor {
                name,
                value: round4(value),
                weight,
                contribution: weight.max(0.0) * value / total,
                share: 0.0,
            })
            .collect();
        let score: f64 = factors.iter().map(|f| f.contribution).sum();
        for factor in &mut factors {
            factor.share = if score > 0.0 {
                round4(factor.contribution / score)
            } else {
                0.0
            };
            factor.contribution = round4(factor.contribution);
        }
        Scored {
            score: round4(score),
            factors,
        }
    }
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// An integer count as a float (exact below 2^53, which counts never reach).
fn approx(v: i64) -> f64 {
    crate::num::approx_f64(v)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_shares_of_the_factors_add_up_to_one_and_the_parts_to_the_score() {
        let facts = Facts {
            has_skill: true,
            category_known: true,
            distance_km: Some(5.0),
            reach_km: 20.0,
            rating_sum: 45,
            rating_count: 10,
            completed: 8,
            cancelled: 1,
            response_minutes: Some(30),
            free_minutes: Some(60),
            idle_days: Some(2.0),
            verified: true,
            ..Facts::default()
        };
        let scored = facts.score(&AiWeights::default());
        let shares: f64 = scored.factors.iter().map(|f| f.share).sum();
        let parts: f64 = scored.factors.iter().map(|f| f.contribution).sum();
        assert!((shares - 1.0).abs() < 0.001, "{shares}");
        assert!(
            (parts - scored.score).abs() < 0.001,
            "{parts} vs {}",
            scored.score
        );
        assert!(scored.score > 0.5 && scored.score < 1.0);
    }

    #[test]
    fn a_closer_better_rated_craftsman_scores_higher_all_else_equal() {
        let base = Facts {
            has_skill: true,
            category_known: true,
            distance_km: Some(15.0),
            reach_km: 20.0,
            ..Facts::default()
        };
        let closer = Facts {
            distance_km: Some(2.0),
            ..base.clone()
        };
        let rated = Facts {
            rating_sum: 50,
            rating_count: 10,
            ..base.clone()
        };
        let w = AiWeights::default();
        assert!(closer.score(&w).score > base.score(&w).score);
        assert!(rated.score(&w).score > base.score(&w).score);
    }

    #[test]
    fn zero_weights_but_one_rank_by_that_factor_alone() {
        let w = AiWeights {
            skill: 0.0,
            distance: 1.0,
            rating: 0.0,
            completion: 0.0,
            response: 0.0,
            availability: 0.0,
            activity: 0.0,
            verification: 0.0,
        };
        let near = Facts {
            distance_km: Some(1.0),
            reach_km: 10.0,
            ..Facts::default()
        };
        let scored = near.score(&w);
        assert!((scored.score - 0.9).abs() < 1e-9);
        let distance = scored
            .factors
            .iter()
            .find(|f| f.name == "distance")
            .unwrap();
        assert!((distance.share - 1.0).abs() < 1e-9);
    }
}
