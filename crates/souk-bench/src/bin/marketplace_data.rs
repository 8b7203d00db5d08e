//! Fills a database with a marketplace-sized data set for `bench/marketplace.sh`:
//! N jobs (default 1,000,000) around Egyptian cities, in every catalog
//! category, with English and Arabic titles indexed by Souk's own search
//! terms; M craftsmen (default 100,000) and clients. Then writes, for the load
//! generator, signed-in craftsmen and fresh (craftsman, open job) pairs.
//!
//! Usage: DATABASE_URL=… JWT_SECRET=… marketplace_data <jobs> <craftsmen> <out-dir>
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::indexing_slicing,
    reason = "a data generator run by hand: small known counts, and a panic is a failed run"
)]

use std::{io::Write, sync::Arc, time::Instant};

use chrono::Utc;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use souk_core::{
    Core, Settings,
    accounts::{PasswordHasher, sessions},
    search,
};
use souk_db::{
    Db, DbBackendKind,
    entities::{job_terms, jobs, services, users},
    enums::{JobStatus, VerificationStatus},
};
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use uuid::Uuid;

const CITIES: &[(&str, f64, f64, f64)] = &[
    ("Cairo", 30.0444, 31.2357, 0.30),
    ("Giza", 30.0131, 31.2089, 0.12),
    ("Alexandria", 31.2001, 29.9187, 0.15),
    ("Mansoura", 31.0409, 31.3785, 0.05),
    ("Tanta", 30.7865, 31.0004, 0.05),
    ("Assiut", 27.1809, 31.1837, 0.05),
    ("Zagazig", 30.5877, 31.5020, 0.05),
    ("Ismailia", 30.5965, 32.2715, 0.04),
    ("Port Said", 31.2653, 32.3019, 0.04),
    ("Luxor", 25.6872, 32.6396, 0.04),
    ("Aswan", 24.0889, 32.8998, 0.03),
    ("Hurghada", 27.2579, 33.8116, 0.03),
    ("Suez", 29.9668, 32.5498, 0.05),
];

const EN_TASKS: &[&str] = &[
    "fix a leaking pipe",
    "install a water heater",
    "repair the kitchen sink",
    "paint two bedrooms",
    "rewire the living room",
    "replace a broken socket",
    "assemble a wardrobe",
    "repair a wooden door",
    "deep cleaning of an apartment",
    "service the air conditioner",
    "repair the washing machine",
    "fix the fridge",
    "move furniture to a new flat",
    "trim the garden",
    "pest control for cockroaches",
    "build a small wall",
    "lay ceramic tiles in the bathroom",
    "change the door lock",
    "install CCTV cameras",
    "weld a metal gate",
    "replace a window glass",
    "mount a satellite dish",
    "fix the roof leak",
];
const AR_TASKS: &[&str] = &[
    "إصلاح تسريب مواسير",
    "تركيب سخان مياه",
    "تصليح حوض المطبخ",
    "دهان غرفتين",
    "تمديد كهرباء الصالة",
    "تغيير بريزة مكسورة",
    "تركيب دولاب",
    "تصليح باب خشب",
    "تنظيف شقة بالكامل",
    "صيانة التكييف",
    "تصليح الغسالة",
    "تصليح الثلاجة",
    "نقل عفش لشقة جديدة",
    "تقليم الحديقة",
    "رش مبيدات للصراصير",
    "بناء حائط صغير",
    "تركيب سيراميك الحمام",
    "تغيير كالون الباب",
    "تركيب كاميرات مراقبة",
    "لحام بوابة حديد",
    "تغيير زجاج الشباك",
    "تركيب دش",
    "إصلاح تسريب السطح",
];
const DETAILS: &[&str] = &[
    "as soon as possible",
    "this weekend",
    "in the evening",
    "bring your own tools",
    "urgent please",
    "في أقرب وقت",
    "يوم الجمعة",
    "بعد الساعة الخامسة",
    "مع إحضار العدة",
    "ضروري",
];

fn arg(n: usize, default: u64) -> u64 {
    std::env::args()
        .nth(n)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn gaussian(rng: &mut StdRng) -> f64 {
    // Box–Muller.
    let u1: f64 = rng.random_range(1e-9..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn place(rng: &mut StdRng) -> (f64, f64) {
    let pick: f64 = rng.random_range(0.0..1.0);
    let mut acc = 0.0;
    let total: f64 = CITIES.iter().map(|c| c.3).sum();
    for (_, lat, lng, weight) in CITIES {
        acc += weight / total;
        if pick <= acc {
            // ~12 km spread around the centre.
            return (lat + gaussian(rng) * 0.11, lng + gaussian(rng) * 0.12);
        }
    }
    (CITIES[0].1, CITIES[0].2)
}

fn user(id: Uuid, role: &str, i: u64, hash: &str, rng: &mut StdRng) -> users::ActiveModel {
    let now = Utc::now();
    let (lat, lng) = place(rng);
    users::ActiveModel {
        id: Set(id),
        email: Set(format!("{role}{i}@bench.souk.test")),
        email_skeleton: Set(Some(souk_db::confusable::email_skeleton(&format!(
            "{role}{i}@bench.souk.test"
        )))),
        phone: Set(None),
        password_hash: Set(hash.to_owned()),
        role: Set(role.to_owned()),
        first_name: Set(format!("{role}{i}")),
        last_name: Set("Bench".into()),
        language: Set(if i.is_multiple_of(2) { "ar" } else { "en" }.into()),
        profile_picture: Set(None),
        bio: Set(None),
        city: Set(None),
        latitude: Set(Some(lat)),
        longitude: Set(Some(lng)),
        skills: Set("[]".into()),
        email_verified_at: Set(Some(now)),
        banned_at: Set(None),
        ban_reason: Set(None),
        deactivated_at: Set(None),
        deleted_at: Set(None),
        service_radius_km: Set(Some(15.0)),
        available: Set(true),
        verification_status: Set(VerificationStatus::Unverified),
        rating_sum: Set(0),
        rating_count: Set(0),
        completed_jobs: Set(0),
        response_time_minutes: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let job_count = arg(1, 1_000_000);
    let craftsman_count = arg(2, 100_000);
    let out_dir = std::path::PathBuf::from(std::env::args().nth(3).unwrap_or_else(|| ".".into()));
    let url = std::env::var("DATABASE_URL")?;
    let secret = std::env::var("JWT_SECRET")?;
    let db = Db::connect(&url, 8).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    let categories = services::Entity::find().all(db.conn()).await?;
    let hash = PasswordHasher::with_params(256, 1)
        .hash("Bench-only-pass-1")
        .await?;
    let mut rng = StdRng::seed_from_u64(2026);
    let started = Instant::now();

    // People.
    let client_count = (craftsman_count / 10).max(100);
    let mut craftsmen = Vec::with_capacity(craftsman_count as usize);
    let mut clients = Vec::with_capacity(client_count as usize);
    for (role, count, ids) in [
        ("craftsman", craftsman_count, &mut craftsmen),
        ("client", client_count, &mut clients),
    ] {
        let mut batch = Vec::new();
        for i in 0..count {
            let id = Uuid::now_v7();
            ids.push(id);
            batch.push(user(id, role, i, &hash, &mut rng));
            if batch.len() == 500 || i + 1 == count {
                let txn = db.begin_write().await?;
                users::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&*txn)
                    .await?;
                txn.commit().await?;
            }
        }
    }
    eprintln!(
        "{craftsman_count} craftsmen and {client_count} clients in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // Jobs and their search terms.
    let mut job_rows = Vec::new();
    let mut term_rows = Vec::new();
    let mut open_jobs = Vec::new();
    for i in 0..job_count {
        let id = Uuid::now_v7();
        let category = &categories[rng.random_range(0..categories.len())];
        let task = rng.random_range(0..EN_TASKS.len());
        let arabic = rng.random_bool(0.5);
        let title = if arabic {
            AR_TASKS[task]
        } else {
            EN_TASKS[task]
        }
        .to_owned();
        let description = format!("{title}, {}.", DETAILS[rng.random_range(0..DETAILS.len())]);
        let (lat, lng) = place(&mut rng);
        let cell = search::geo_cell(lat, lng);
        let status = match rng.random_range(0..10) {
            0..=5 => JobStatus::Posted,
            6 | 7 => JobStatus::Quoted,
            8 => JobStatus::Completed,
            _ => JobStatus::Cancelled,
        };
        if status == JobStatus::Posted && open_jobs.len() < 50_000 {
            open_jobs.push(id);
        }
        let budget_min = rng.random_range(50..2000) * 100;
        let now = Utc::now();
        for term in search::terms(&format!(
            "{title} {description} {} {}",
            category.name_en, category.name_ar
        )) {
            term_rows.push(job_terms::ActiveModel {
                term: Set(term),
                category_id: Set(category.id),
                geo_cell: Set(cell),
                job_id: Set(id),
                listed: Set(status.is_open()),
                latitude: Set(Some(lat)),
                longitude: Set(Some(lng)),
                budget_min: Set(Some(budget_min)),
                budget_max: Set(Some(budget_min * 2)),
                created_at: Set(now),
            });
        }
        job_rows.push(jobs::ActiveModel {
            id: Set(id),
            client_id: Set(clients[rng.random_range(0..clients.len())]),
            craftsman_id: Set(None),
            category_id: Set(category.id),
            title: Set(title),
            description: Set(description),
            photos: Set("[]".into()),
            address: Set(None),
            latitude: Set(Some(lat)),
            longitude: Set(Some(lng)),
            geo_cell: Set(Some(cell)),
            budget_min: Set(Some(budget_min)),
            budget_max: Set(Some(budget_min * 2)),
            currency: Set("EGP".into()),
            payment_type: Set("escrow".into()),
            desired_date: Set(None),
            status: Set(status),
            listed: Set(status.is_open()),
            status_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            hired_at: Set(None),
            completed_at: Set(None),
            submitted_at: Set(None),
            booking_id: Set(None),
        });
        if job_rows.len() == 1000 || i + 1 == job_count {
            let txn = db.begin_write().await?;
            jobs::Entity::insert_many(std::mem::take(&mut job_rows))
                .exec(&*txn)
                .await?;
            // 10 columns a row; SQLite takes at most 32,766 parameters a statement.
            for chunk in std::mem::take(&mut term_rows).chunks(3000) {
                job_terms::Entity::insert_many(chunk.to_vec())
                    .exec(&*txn)
                    .await?;
            }
            txn.commit().await?;
        }
        if (i + 1).is_multiple_of(100_000) {
            eprintln!(
                "{} jobs after {:.1}s",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    eprintln!(
        "{job_count} jobs in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // Fresh planner statistics (and, on PostgreSQL, a visibility map that
    // lets index-only scans skip the heap), as a running server would have
    // after autovacuum caught up with the bulk load.
    let statistics = match db.kind() {
        DbBackendKind::Postgres => "VACUUM ANALYZE",
        DbBackendKind::Sqlite => "ANALYZE",
    };
    db.conn().execute_unprepared(statistics).await?;
    eprintln!(
        "{statistics} done after {:.1}s",
        started.elapsed().as_secs_f64()
    );

    // Signed-in craftsmen and distinct (craftsman, open job) pairs for quoting.
    let settings = Settings::new(
        secret.into_bytes(),
        "http://127.0.0.1".into(),
        out_dir.clone(),
    );
    let storage = storage_from_url(None, &out_dir.join("uploads"))?;
    let core = Core::new(
        db.clone(),
        settings,
        Arc::new(FileMailer::new(out_dir.join("mail"), "bench@souk.test")),
        storage,
        PasswordHasher::with_params(256, 1),
    );
    let quoters = 1000.min(craftsmen.len());
    let mut tokens = Vec::with_capacity(quoters);
    for id in craftsmen.iter().take(quoters) {
        let user = users::Entity::find_by_id(*id)
            .one(db.conn())
            .await?
            .ok_or("craftsman vanished")?;
        let txn = db.begin_write().await?;
        let issued = sessions::start_session(&core, &*txn, &user, &Default::default()).await?;
        txn.commit().await?;
        tokens.push(issued.access_token);
    }
    let mut pairs = std::fs::File::create(out_dir.join("quote_pairs.txt"))?;
    let per_craftsman = (open_jobs.len() / quoters).clamp(1, 60);
    for (k, token) in tokens.iter().enumerate() {
        for j in 0..per_craftsman {
            let job = open_jobs[(k * per_craftsman + j) % open_jobs.len()];
            writeln!(pairs, "{token} {job}")?;
        }
    }
    std::fs::write(out_dir.join("search_token.txt"), &tokens[0])?;
    eprintln!("ready in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}
