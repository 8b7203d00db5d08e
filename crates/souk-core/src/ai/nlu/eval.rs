//! The evaluation set (`eval.jsonl`): hand-labelled English and Arabic
//! requests, parsed against a fixed clock and scored slot by slot. Run with
//! `cargo test -p souk-core nlu::eval -- --nocapture` to see the figures.

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;

use super::{Context, Parsed, parse};

const CASES: &str = include_str!("eval.jsonl");
/// A held-out set written by someone who had not read the parser, never
/// used to tune it: the honest figure for new phrasings.
const HOLDOUT: &str = include_str!("holdout.jsonl");

/// Every figure must reach this.
const BAR: f64 = 0.90;

/// One labelled request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Case {
    q: String,
    lang: String,
    intent: String,
    category: Option<String>,
    max_price: Option<i64>,
    cheap: bool,
    from: Option<String>,
    to: Option<String>,
    place: Option<String>,
    urgent: bool,
}

/// The slots scored, in report order.
const SLOTS: [&str; 7] = [
    "lang", "intent", "category", "price", "window", "place", "urgent",
];

fn instant(text: Option<&str>) -> Option<DateTime<Utc>> {
    text.map(|t| {
        DateTime::parse_from_rfc3339(t)
            .unwrap_or_else(|e| panic!("bad time {t}: {e}"))
            .with_timezone(&Utc)
    })
}

/// Whether each slot of `parsed` matches `case`, with what was found when not.
fn score(case: &Case, parsed: &Parsed) -> [(bool, String); 7] {
    let window = parsed.window.map(|w| (w.from, w.to));
    let expected_window = instant(case.from.as_deref()).zip(instant(case.to.as_deref()));
    let place = parsed.place.as_ref().map(|p| p.name_en.to_owned());
    [
        (
            parsed.lang.as_str() == case.lang,
            parsed.lang.as_str().to_owned(),
        ),
        (
            parsed.intent.as_str() == case.intent,
            parsed.intent.as_str().to_owned(),
        ),
        (
            parsed.category == case.category.as_deref(),
            format!("{:?}", parsed.category),
        ),
        (
            parsed.max_price == case.max_price && parsed.cheap == case.cheap,
            format!("max {:?} cheap {}", parsed.max_price, parsed.cheap),
        ),
        (window == expected_window, format!("{window:?}")),
        (place == case.place, format!("{place:?}")),
        (parsed.urgent == case.urgent, parsed.urgent.to_string()),
    ]
}

/// Parses every case of `text`, prints each slot's accuracy (all, en, ar)
/// and every miss, and answers the figures `[group][slot]`.
#[allow(
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::as_conversions
)]
fn evaluate(title: &str, text: &str) -> (usize, [[f64; 7]; 3]) {
    let ctx = Context {
        now: Utc.with_ymd_and_hms(2026, 12, 8, 9, 0, 0).unwrap(),
        tz: chrono_tz::Africa::Cairo,
    };
    let cases: Vec<Case> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad case {l}: {e}")))
        .collect();
    // [language][slot] = (right, total); language 0 = all, 1 = en, 2 = ar.
    let mut tally = [[(0usize, 0usize); 7]; 3];
    for case in &cases {
        let parsed = parse(&case.q, &ctx);
        let by_lang = if case.lang == "ar" { 2 } else { 1 };
        for (slot, (ok, found)) in score(case, &parsed).iter().enumerate() {
            for group in [0, by_lang] {
                tally[group][slot].1 += 1;
                tally[group][slot].0 += usize::from(*ok);
            }
            if !ok {
                println!("MISS {:<8} {:?} → {found}", SLOTS[slot], case.q);
            }
        }
    }
    let ratio = |(right, total): (usize, usize)| right as f64 / total.max(1) as f64;
    println!(
        "\n{title}: {} cases ({} en, {} ar)",
        tally[0][0].1, tally[1][0].1, tally[2][0].1
    );
    println!("{:<9} {:>7} {:>7} {:>7}", "slot", "all", "en", "ar");
    let mut figures = [[0.0; 7]; 3];
    for (slot, name) in SLOTS.iter().enumerate() {
        for group in 0..3 {
            figures[group][slot] = ratio(tally[group][slot]);
        }
        println!(
            "{name:<9} {:>7.3} {:>7.3} {:>7.3}",
            figures[0][slot], figures[1][slot], figures[2][slot]
        );
    }
    (cases.len(), figures)
}

fn assert_bar(figures: &[[f64; 7]; 3], bar: f64) {
    for (group, name) in ["all", "en", "ar"].iter().enumerate() {
        for (slot, slot_name) in SLOTS.iter().enumerate() {
            let figure = figures[group][slot];
            assert!(
                figure >= bar,
                "{slot_name} ({name}) accuracy {figure:.3} < {bar}"
            );
        }
    }
}

#[test]
fn evaluation_set_scores_at_least_ninety_percent_on_every_slot() {
    let (count, figures) = evaluate("evaluation set", CASES);
    assert!(count >= 220, "only {count} cases");
    assert_bar(&figures, BAR);
}

#[test]
fn the_held_out_set_scores_at_least_ninety_percent_on_every_slot() {
    let (count, figures) = evaluate("held-out set", HOLDOUT);
    assert!(count >= 40, "only {count} cases");
    assert_bar(&figures, BAR);
}
