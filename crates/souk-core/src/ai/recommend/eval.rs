//! NDCG@10 of the recommendation ranking on a generated marketplace with
//! known ground truth, against ranking by distance alone and by rating alone.
//!
//! Each craftsman has latent truths — how well they really do the job's
//! trade, their real quality and reliability, whether they are really free
//! on the job's day, how far they are really willing to travel, how engaged
//! they are — and the observable [`Facts`] the platform would hold, derived
//! from the latents with the noise real data has: skills listed by people
//! who barely have them, a bio that mentions the job's words or not, a few
//! reviews for newcomers (each review itself noisy), contract records that
//! are short for newcomers, a stated service radius that is a round number
//! near (not at) their real willingness, schedules kept by some only and
//! silent about work found off the platform, response times measured with
//! noise or unknown. The candidate pool is what `candidates::read` returns
//! (those who list or offer the category, nearest first), and every ranking
//! sees only the candidates [`Facts::in_reach`] keeps, as `rank` does.
//!
//! Relevance (0–3) is computed from the latents only, never from a score:
//! a craftsman who cannot do the trade or will not travel that far is
//! irrelevant; otherwise a blend of real skill, quality, reliability,
//! availability on the day, closeness within their real range and
//! engagement, graded; one not free on the day is at most marginally
//! relevant. Distance and rating are informative (closer craftsmen are more
//! often really within range and arrive sooner; rating follows quality)
//! but incomplete, which is the point of combining factors.
//!
//! Run: `cargo test -p souk-core --lib ndcg -- --nocapture`.

use std::cmp::Ordering;

use super::{
    RERANK,
    factors::{DEFAULT_REACH_KM, Facts},
};
use crate::ai::weights::AiWeights;

/// Jobs in the generated marketplace.
const JOBS: usize = 40;
/// Candidates (listing or offering the job's category) per job.
const CANDIDATES: usize = 300;
/// The cut-off of NDCG.
const K: usize = 10;
/// The seed of the marketplace.
const SEED: u64 = 0x500C_2026_0A1E;

/// splitmix64: small, seedable, good enough for a generator.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1): 52 random mantissa bits under exponent 0.
    fn unit(&mut self) -> f64 {
        f64::from_bits(0x3FF0_0000_0000_0000 | (self.next_u64() >> 12)) - 1.0
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A whole number in `0..n`.
    fn below(&mut self, n: i64) -> i64 {
        crate::num::floor_saturating(self.unit() * crate::num::approx_f64(n)).clamp(0, n - 1)
    }
}

/// What is really true of one craftsman for one job (never observed).
#[derive(Debug, Clone)]
struct Latent {
    /// How well they really do this job's trade, 0..=1.
    skill_fit: f64,
    /// Real workmanship, 0..=1.
    quality: f64,
    /// Probability a contract of theirs completes.
    reliability: f64,
    /// Real free minutes on the job's day (off-platform work included).
    free_minutes: f64,
    /// The farthest they really travel, km.
    willing_km: f64,
    /// Real distance to the job, km.
    distance_km: f64,
    /// How likely they are to pick up work now, 0..=1.
    engagement: f64,
}

impl Latent {
    /// Graded relevance 0..=3 from the truths alone.
    fn relevance(&self) -> u32 {
        if self.skill_fit < 0.3 || self.distance_km > self.willing_km {
            return 0;
        }
        let available = (self.free_minutes / 120.0).clamp(0.0, 1.0);
        let closeness = 1.0 - self.distance_km / self.willing_km;
        let fit = 0.30 * self.skill_fit
            + 0.25 * self.quality
            + 0.15 * self.reliability
            + 0.12 * available
            + 0.10 * closeness
            + 0.08 * self.engagement;
        let grade = if fit >= 0.78 {
            3
        } else if fit >= 0.68 {
            2
        } else if fit >= 0.58 {
            1
        } else {
            0
        };
        if self.free_minutes < 60.0 {
            grade.min(1)
        } else {
            grade
        }
    }
}

/// One candidate: the truths and what the platform sees.
#[derive(Debug, Clone)]
struct Generated {
    latent: Latent,
    facts: Facts,
    /// Observed free minutes (schedule), read only for the best [`RERANK`].
    schedule_free: Option<i64>,
}

/// Rounds a stated radius to what people type: 5, 10, 15 … km.
fn stated_radius(km: f64) -> f64 {
    ((km / 5.0).round() * 5.0).max(5.0)
}

fn count(rng: &mut Rng, n: i64, p: f64) -> i64 {
    (0..n).map(|_| i64::from(rng.chance(p))).sum()
}

/// One craftsman who lists or offers the job's category (others are never
/// candidates), at a distance from the job's place.
fn craftsman(rng: &mut Rng) -> Generated {
    loop {
        let kind = rng.unit();
        // Specialists, related trades / generalists, opportunists who list
        // every category.
        let (skill_fit, p_listed, p_offers) = if kind < 0.35 {
            (rng.range(0.65, 1.0), 0.95, 0.45)
        } else if kind < 0.75 {
            (rng.range(0.3, 0.7), 0.85, 0.15)
        } else {
            (rng.range(0.0, 0.3), 0.7, 0.04)
        };
        let has_skill = rng.chance(p_listed);
        let offers_category = rng.chance(p_offers);
        if !(has_skill || offers_category) {
            continue;
        }
        // The job's four words in their bio.
        let found = count(rng, 4, 0.1 + 0.45 * skill_fit);
        let term_overlap = crate::num::approx_f64(found) / 4.0;

        // Nearest first inside the city, a tail from the next towns.
        let distance_km = if rng.chance(0.85) {
            30.0 * rng.unit().sqrt()
        } else {
            rng.range(30.0, 80.0)
        };
        let willing_km = rng.range(4.0, 40.0);
        let reach_km = if rng.chance(0.15) {
            DEFAULT_REACH_KM
        } else {
            stated_radius(willing_km * (0.3 * rng.normal()).exp())
        };

        let quality = (0.55 + 0.1 * skill_fit + 0.2 * rng.normal()).clamp(0.0, 1.0);
        let reliability = (0.82 + 0.1 * (quality - 0.6) + 0.1 * rng.normal()).clamp(0.3, 1.0);
        // Newcomers have a short record or none.
        let jobs_done = if rng.chance(0.3) {
            rng.below(4)
        } else {
            crate::num::floor_saturating(3.0 * 40.0_f64.powf(rng.unit()))
        };
        let completed = count(rng, jobs_done, reliability);
        let cancelled = jobs_done - completed;
        let reviewed = count(rng, completed, 0.6);
        let mut rating_sum = 0_i64;
        for _ in 0..reviewed {
            let stars = (1.4 + 3.6 * quality + 0.9 * rng.normal())
                .round()
                .clamp(1.0, 5.0);
            rating_sum += crate::num::floor_saturating(stars);
        }
        let rating_count = i32::try_from(reviewed).unwrap_or(i32::MAX);

        let true_response = 5.0 * 120.0_f64.powf(rng.unit());
        let response_minutes = rng.chance(0.75).then(|| {
            i32::try_from(crate::num::floor_saturating(
                true_response * (0.35 * rng.normal()).exp(),
            ))
            .unwrap_or(i32::MAX)
        });

        let free_minutes = if rng.chance(0.3) {
            0.0
        } else {
            rng.range(60.0, 480.0)
        };
        // Some keep a schedule; it does not know work found elsewhere.
        let schedule_free = rng.chance(0.4).then(|| {
            let off_platform = if rng.chance(0.2) {
                0.0
            } else {
                rng.range(60.0, 300.0)
            };
            let shown = if free_minutes > 0.0 || rng.chance(0.5) {
                (free_minutes + off_platform).min(480.0)
            } else {
                0.0
            };
            crate::num::floor_saturating(shown)
        });

        let idle_days = -25.0 * rng.unit().max(1e-9).ln();
        let engagement = ((-idle_days / 30.0).exp() * 0.7
            + 0.3 * (1.0 - true_response.ln() / 600.0_f64.ln()))
        .clamp(0.0, 1.0);
        let verified = rng.chance(0.2 + 0.25 * quality);

        return Generated {
            latent: Latent {
                skill_fit,
                quality,
                reliability,
                free_minutes,
                willing_km,
                distance_km,
                engagement,
            },
            facts: Facts {
                has_skill,
                offers_category,
                term_overlap,
                category_known: true,
                distance_km: Some(distance_km),
                reach_km,
                rating_sum,
                rating_count,
                completed,
                cancelled,
                response_minutes,
                free_minutes: None,
                idle_days: Some(idle_days * (0.2 * rng.normal()).exp()),
                verified,
            },
            schedule_free,
        };
    }
}

fn job(rng: &mut Rng) -> Vec<Generated> {
    let mut pool: Vec<Generated> = (0..CANDIDATES).map(|_| craftsman(rng)).collect();
    pool.sort_by(|a, b| a.latent.distance_km.total_cmp(&b.latent.distance_km));
    pool
}

/// Discounted cumulative gain of the first [`K`] relevances.
fn dcg(relevances: impl Iterator<Item = u32>) -> f64 {
    relevances
        .take(K)
        .zip(1_i32..)
        .map(|(rel, i)| {
            (2.0_f64.powi(i32::try_from(rel).unwrap_or(0)) - 1.0) / f64::from(i + 1).log2()
        })
        .sum()
}

/// NDCG@K of `order` (indexes into `pool`), the ideal being the best of the
/// whole pool (so candidates wrongly filtered out cost every ranking alike).
fn ndcg(pool: &[Generated], order: &[usize]) -> Option<f64> {
    let mut ideal: Vec<u32> = pool.iter().map(|g| g.latent.relevance()).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter());
    (best > 0.0).then(|| dcg(order.iter().map(|&i| pool[i].latent.relevance())) / best)
}

/// The candidates every ranking sees: those in reach by their profile.
fn in_reach(pool: &[Generated]) -> Vec<usize> {
    (0..pool.len())
        .filter(|&i| pool[i].facts.in_reach())
        .collect()
}

fn distance(g: &Generated) -> f64 {
    g.facts.distance_km.unwrap_or(f64::MAX)
}

/// As `rank` orders: score, then nearer, then (here) generation order; the
/// best [`RERANK`] get their free time and are ordered again.
fn by_score(pool: &[Generated], weights: &AiWeights) -> Vec<usize> {
    let mut facts: Vec<Facts> = pool.iter().map(|g| g.facts.clone()).collect();
    let order = |facts: &[Facts], ids: &mut Vec<usize>| {
        let scores: Vec<f64> = facts.iter().map(|f| f.score(weights).score).collect();
        ids.sort_by(|&a, &b| {
            scores[b]
                .total_cmp(&scores[a])
                .then(distance(&pool[a]).total_cmp(&distance(&pool[b])))
                .then(a.cmp(&b))
        });
    };
    let mut ids = in_reach(pool);
    order(&facts, &mut ids);
    ids.truncate(RERANK.max(K));
    for &i in &ids {
        facts[i].free_minutes = pool[i].schedule_free;
    }
    order(&facts, &mut ids);
    ids
}

fn by_distance(pool: &[Generated]) -> Vec<usize> {
    let mut ids = in_reach(pool);
    ids.sort_by(|&a, &b| {
        distance(&pool[a])
            .total_cmp(&distance(&pool[b]))
            .then(a.cmp(&b))
    });
    ids
}

fn by_rating(pool: &[Generated]) -> Vec<usize> {
    let mut ids = in_reach(pool);
    ids.sort_by(|&a, &b| {
        pool[b]
            .facts
            .rating()
            .partial_cmp(&pool[a].facts.rating())
            .unwrap_or(Ordering::Equal)
            .then(a.cmp(&b))
    });
    ids
}

/// A fair shuffle of the in-reach candidates (the floor every ranking
/// should clear; its own generator, so the marketplace stays the same).
fn shuffled(pool: &[Generated], rng: &mut Rng) -> Vec<usize> {
    let mut ids = in_reach(pool);
    for i in (1..ids.len()).rev() {
        let j = rng.below(i64::try_from(i + 1).unwrap_or(1));
        ids.swap(i, usize::try_from(j).unwrap_or(0));
    }
    ids
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / crate::num::approx_f64(i64::try_from(values.len()).unwrap_or(1))
}

#[test]
fn recommendation_ranking_beats_distance_only_and_rating_only_on_ndcg_at_10() {
    let mut rng = Rng(SEED);
    let weights = AiWeights::default();
    let mut shuffler = Rng(SEED ^ 0xFFFF);
    let (mut ours, mut nearest, mut rated, mut random) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut grades = [0_usize; 4];
    let mut kept = 0;
    for _ in 0..JOBS {
        let pool = job(&mut rng);
        for g in &pool {
            grades[usize::try_from(g.latent.relevance()).unwrap_or(0)] += 1;
        }
        kept += in_reach(&pool).len();
        let (Some(a), Some(b), Some(c), Some(d)) = (
            ndcg(&pool, &by_score(&pool, &weights)),
            ndcg(&pool, &by_distance(&pool)),
            ndcg(&pool, &by_rating(&pool)),
            ndcg(&pool, &shuffled(&pool, &mut shuffler)),
        ) else {
            continue;
        };
        ours.push(a);
        nearest.push(b);
        rated.push(c);
        random.push(d);
    }
    let (ours, nearest, rated, random) = (mean(&ours), mean(&nearest), mean(&rated), mean(&random));
    println!(
        "NDCG@{K} over {JOBS} jobs × {CANDIDATES} candidates ({kept} in reach by profile; \
         relevance 0/1/2/3: {}/{}/{}/{}):",
        grades[0], grades[1], grades[2], grades[3]
    );
    println!("  recommendation score (default weights) {ours:.4}");
    println!("  distance only (nearest first)          {nearest:.4}");
    println!("  rating only (Bayesian, best first)     {rated:.4}");
    println!("  random order (floor)                   {random:.4}");
    // The baselines carry real signal (the generator does not make them useless)…
    assert!(
        nearest > random + 0.03 && rated > random + 0.03,
        "baselines {nearest:.4}, {rated:.4} vs random {random:.4}"
    );
    // …and combining the factors beats each by a clear margin.
    assert!(
        ours >= nearest + 0.05 && ours >= rated + 0.05,
        "ours {ours:.4} vs distance {nearest:.4}, rating {rated:.4}"
    );
}
