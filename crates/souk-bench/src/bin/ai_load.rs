//! AI benchmark (recommendations and the built-in concierge), on the
//! database `DATABASE_URL` names, each figure beside an anchor measured in
//! the same run:
//!
//! 1. Set-up (not timed): the app migrates the database and seeds its
//!    catalog; then, straight through SQL (multi-row INSERTs, many per
//!    transaction), C craftsmen (default 100,000) around Cairo, Giza,
//!    Alexandria, Mansoura, Beirut, Tyre and Tripoli — 1–3 catalog skills
//!    each, a service radius of 10–40 km, ratings, records, response times,
//!    a few verified, most available — a weekly schedule for a fifth of
//!    them, and a few thousand finished contracts (job, accepted quote,
//!    contract) for craftsmen of Cairo and Giza. `ANALYZE` after. A
//!    database already seeded with the same number by an earlier run is
//!    reused as it is.
//! 2. The router as `souk serve` runs it, served on a loopback port in this
//!    process; a client registers and posts a `plumbing` job at Cairo for
//!    tomorrow through it, as an app would.
//! 3. Timed, one client, keep-alive HTTP/1.1 on loopback, one request at a
//!    time: N rounds (default 300, after 20 of warm-up) of the anchor
//!    `GET /api/health` (HTTP + one database round trip),
//!    `GET /api/users/recommendations?jobId=` and `POST /api/ai/chat`
//!    (English and Arabic messages, the built-in engine: no LLM; every
//!    other turn continues the previous conversation), interleaved so
//!    machine noise falls on all three alike. p50/p95/p99/max each.
//! 4. Where a recommendation's time goes, in-process: the candidate
//!    statement, the contract records, the free time of the best 50, and
//!    `recommend::rank` whole; then, for 25 needs (five cities × the
//!    popular trades), how deep in the nearest-first candidate list the
//!    final top 10 reach (would reading fewer, nearest first, do?).
//!
//! Usage: DATABASE_URL=… ai_load [craftsmen=100000] [requests=300]
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing,
    reason = "a benchmark run by hand: small known counts, and a panic is a failed run"
)]

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ConnectionTrait, EntityTrait, Set, Statement};
use serde_json::{Value, json};
use souk_api::{ApiConfig, AppState, RateLimitConfig, build_router};
use souk_core::{
    Core, Settings,
    accounts::PasswordHasher,
    ai::{
        recommend::{self, RERANK, candidates},
        weights::AiWeights,
    },
    search,
};
use souk_db::{
    Db, DbBackendKind,
    entities::{contracts, jobs, provider_schedules, quotes, services, user_skills, users},
    enums::{ContractStatus, EscrowStatus, JobStatus, QuoteStatus, VerificationStatus},
};
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};
use uuid::Uuid;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// City, centre, share of craftsmen, spread (σ, km), time zone.
const CITIES: &[(&str, f64, f64, f64, f64, &str)] = &[
    ("Cairo", 30.04, 31.24, 0.30, 10.0, "Africa/Cairo"),
    ("Giza", 30.01, 31.21, 0.12, 7.0, "Africa/Cairo"),
    ("Alexandria", 31.20, 29.92, 0.16, 8.0, "Africa/Cairo"),
    ("Mansoura", 31.04, 31.38, 0.08, 5.0, "Africa/Cairo"),
    ("Beirut", 33.89, 35.50, 0.18, 6.0, "Asia/Beirut"),
    ("Tyre", 33.27, 35.20, 0.07, 4.0, "Asia/Beirut"),
    ("Tripoli", 34.44, 35.83, 0.09, 5.0, "Asia/Beirut"),
];
const FIRST_NAMES: &[&str] = &[
    "Ahmed",
    "Mohamed",
    "Mahmoud",
    "Mostafa",
    "Omar",
    "Youssef",
    "Karim",
    "Hassan",
    "Ali",
    "Tarek",
    "Rami",
    "Fadi",
    "Georges",
    "Elie",
    "Walid",
    "Nadia",
    "Mona",
    "Rana",
    "Layla",
    "Hoda",
    "أحمد",
    "محمد",
    "محمود",
    "مصطفى",
    "عمر",
    "يوسف",
    "كريم",
    "حسن",
    "علي",
    "طارق",
];
const LAST_NAMES: &[&str] = &[
    "Hassan",
    "Ibrahim",
    "Saleh",
    "Farouk",
    "Nasser",
    "Khoury",
    "Haddad",
    "Aoun",
    "Mansour",
    "Sabry",
    "Fathy",
    "Gamal",
    "Younes",
    "Azar",
    "Saad",
    "عبد الله",
    "إبراهيم",
    "منصور",
    "سعد",
];
/// Catalog slugs that are most in demand get more craftsmen.
const POPULAR: &[&str] = &[
    "plumbing",
    "electrical",
    "carpentry",
    "painting",
    "cleaning",
];

/// Craftsmen rows per INSERT (30 columns: below SQLite's 32,766 parameters).
const USERS_PER_INSERT: usize = 500;
/// INSERTs per write transaction.
const INSERTS_PER_TXN: usize = 20;
/// Finished contracts seeded.
const CONTRACTS: usize = 4_000;
/// Requests of each kind before the timed rounds.
const WARM_UP: usize = 20;
/// In-process repetitions of each recommendation step.
const STEP_RUNS: usize = 100;

/// The chat messages, cycled; every other one continues the conversation.
const MESSAGES: &[&str] = &[
    "I need a cheap plumber in Maadi tomorrow",
    "something in the evening please",
    "عايز كهربائي في مدينة نصر بكرة",
    "ضروري النهارده",
    "looking for an electrician in Heliopolis this weekend",
    "under 500 pounds",
    "محتاج سباك في المعادي",
    "بكرة الصبح",
    "can someone paint two rooms in Zamalek next week",
    "thanks",
    "أريد نجار في الجيزة يوم السبت",
    "cheaper please",
];

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `label  p50 … p95 … p99 … max …` of `took` (ms), sorting it.
fn report(label: &str, took: &mut [f64], note: &str) {
    took.sort_by(f64::total_cmp);
    println!(
        "{label:<48} p50 {:7.2}  p95 {:7.2}  p99 {:7.2}  max {:7.2} ms  {note}",
        percentile(took, 0.5),
        percentile(took, 0.95),
        percentile(took, 0.99),
        took[took.len() - 1],
    );
}

fn gaussian(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random_range(1e-9..1.0);
    let u2: f64 = rng.random_range(0.0..1.0);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A city (index) by share, and a point around its centre.
fn place(rng: &mut StdRng) -> (usize, f64, f64) {
    let pick: f64 = rng.random_range(0.0..1.0);
    let total: f64 = CITIES.iter().map(|c| c.3).sum();
    let mut acc = 0.0;
    let mut city = CITIES.len() - 1;
    for (i, c) in CITIES.iter().enumerate() {
        acc += c.3 / total;
        if pick <= acc {
            city = i;
            break;
        }
    }
    let (_, lat, lng, _, sigma, _) = CITIES[city];
    let km_lat = gaussian(rng) * sigma;
    let km_lng = gaussian(rng) * sigma;
    (
        city,
        lat + km_lat / 111.0,
        lng + km_lng / (111.0 * lat.to_radians().cos()),
    )
}

/// Opens a weekly schedule: a work week, hours, the city's zone.
fn schedule_body(rng: &mut StdRng, tz: &str) -> String {
    let days: &[&str] = if rng.random_bool(0.6) {
        &["sun", "mon", "tue", "wed", "thu"]
    } else {
        &["mon", "tue", "wed", "thu", "fri", "sat"]
    };
    let start = ["08:00", "09:00", "10:00"][rng.random_range(0..3)];
    let end = ["16:00", "17:00", "18:00", "20:00"][rng.random_range(0..4)];
    let weekly: Vec<Value> = days
        .iter()
        .map(|d| json!({"day": d, "start": start, "end": end}))
        .collect();
    json!({"timeZone": tz, "weekly": weekly, "overrides": [], "timeOff": []}).to_string()
}

/// A seeded craftsman and where they are.
struct Seeded {
    id: Uuid,
    city: usize,
    skills: Vec<Uuid>,
}

/// Inserts `count` craftsmen with skills and schedules, and the finished
/// contracts; returns how many rows of each.
async fn seed(db: &Db, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let existing = db
        .conn()
        .query_one_raw(Statement::from_string(
            db.backend(),
            "SELECT COUNT(*) AS n FROM users WHERE email LIKE 'ai-craftsman-%'",
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    if existing == count as i64 {
        eprintln!("set-up: reusing the {count} craftsmen of an earlier run");
        return Ok(());
    }
    let catalog = services::Entity::find().all(db.conn()).await?;
    // Skill draws: popular trades twice as likely.
    let mut weighted: Vec<&services::Model> = Vec::new();
    for s in &catalog {
        weighted.push(s);
        if POPULAR.contains(&s.slug.as_str()) {
            weighted.push(s);
        }
    }
    let mut rng = StdRng::seed_from_u64(20_261_219);
    let now = Utc::now();
    let mut seeded: Vec<Seeded> = Vec::with_capacity(count);
    let mut schedules = 0;

    let mut users_batch: Vec<users::ActiveModel> = Vec::with_capacity(USERS_PER_INSERT);
    let mut skills_batch: Vec<user_skills::ActiveModel> = Vec::new();
    let mut schedule_batch: Vec<provider_schedules::ActiveModel> = Vec::new();
    let mut pending: Vec<(
        Vec<users::ActiveModel>,
        Vec<user_skills::ActiveModel>,
        Vec<provider_schedules::ActiveModel>,
    )> = Vec::new();
    for i in 0..count {
        let id = Uuid::now_v7();
        let (city, lat, lng) = place(&mut rng);
        let (city_name, .., tz) = CITIES[city];
        let n_skills = rng.random_range(1..=3);
        let mut skills: Vec<&services::Model> = Vec::with_capacity(n_skills);
        while skills.len() < n_skills {
            let s = weighted[rng.random_range(0..weighted.len())];
            if !skills.iter().any(|k| k.id == s.id) {
                skills.push(s);
            }
        }
        let years = rng.random_range(1..30);
        let bio = if rng.random_bool(0.5) {
            format!(
                "{} — {years} years of experience in {city_name}. Clean work, fair prices.",
                skills
                    .iter()
                    .map(|s| s.name_en.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "{} — خبرة {years} سنة. شغل نظيف وأسعار مناسبة.",
                skills
                    .iter()
                    .map(|s| s.name_ar.as_str())
                    .collect::<Vec<_>>()
                    .join("، ")
            )
        };
        // Newcomers have few or no reviews; others up to ~150.
        let rating_count: i32 = if rng.random_bool(0.3) {
            rng.random_range(0..3)
        } else {
            rng.random_range(3..150)
        };
        let mean: f64 = (3.2 + 1.6 * rng.random_range(0.0..1.0_f64)).min(5.0);
        let rating_sum = (mean * f64::from(rating_count)).round() as i64;
        let completed_jobs = rating_count + rng.random_range(0..20);
        let updated_at = now - chrono::Duration::minutes(rng.random_range(0..(120 * 24 * 60)));
        let created_at = updated_at - chrono::Duration::days(rng.random_range(0..720));
        let email = format!("ai-craftsman-{i}@bench.souk.test");
        let banned = rng.random_bool(0.005);
        users_batch.push(users::ActiveModel {
            id: Set(id),
            email_skeleton: Set(Some(souk_db::confusable::email_skeleton(&email))),
            email: Set(email),
            phone: Set(None),
            password_hash: Set("$seeded$not-a-login".into()),
            role: Set("craftsman".into()),
            first_name: Set(FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())].into()),
            last_name: Set(LAST_NAMES[rng.random_range(0..LAST_NAMES.len())].into()),
            language: Set(if city >= 4 || rng.random_bool(0.5) {
                "ar"
            } else {
                "en"
            }
            .into()),
            profile_picture: Set(None),
            bio: Set(Some(bio)),
            city: Set(Some(city_name.into())),
            latitude: Set(Some(lat)),
            longitude: Set(Some(lng)),
            skills: Set(serde_json::to_string(
                &skills
                    .iter()
                    .map(|s| s.name_en.as_str())
                    .collect::<Vec<_>>(),
            )?),
            email_verified_at: Set(Some(created_at)),
            banned_at: Set(banned.then_some(updated_at)),
            ban_reason: Set(banned.then(|| "bench".to_owned())),
            deactivated_at: Set(rng.random_bool(0.005).then_some(updated_at)),
            deleted_at: Set(None),
            service_radius_km: Set(Some(f64::from(rng.random_range(2..=8_u32) * 5))),
            available: Set(rng.random_bool(0.9)),
            verification_status: Set(match rng.random_range(0..100) {
                0..=14 => VerificationStatus::Verified,
                15..=19 => VerificationStatus::Pending,
                _ => VerificationStatus::Unverified,
            }),
            rating_sum: Set(rating_sum),
            rating_count: Set(rating_count),
            completed_jobs: Set(completed_jobs),
            response_time_minutes: Set(rng.random_bool(0.7).then(|| rng.random_range(2..600))),
            created_at: Set(created_at),
            updated_at: Set(updated_at),
        });
        for s in &skills {
            skills_batch.push(user_skills::ActiveModel {
                user_id: Set(id),
                service_id: Set(s.id),
            });
        }
        if rng.random_bool(0.2) {
            schedules += 1;
            schedule_batch.push(provider_schedules::ActiveModel {
                user_id: Set(id),
                time_zone: Set(tz.into()),
                body: Set(schedule_body(&mut rng, tz)),
                updated_at: Set(updated_at),
            });
        }
        seeded.push(Seeded {
            id,
            city,
            skills: skills.iter().map(|s| s.id).collect(),
        });
        if users_batch.len() == USERS_PER_INSERT || i + 1 == count {
            pending.push((
                std::mem::take(&mut users_batch),
                std::mem::take(&mut skills_batch),
                std::mem::take(&mut schedule_batch),
            ));
        }
        if pending.len() == INSERTS_PER_TXN || (i + 1 == count && !pending.is_empty()) {
            let txn = db.begin_write().await?;
            for (u, s, p) in pending.drain(..) {
                users::Entity::insert_many(u)
                    .exec_without_returning(&*txn)
                    .await?;
                // Two columns a row: well under either engine's limit.
                for chunk in s.chunks(2_000) {
                    user_skills::Entity::insert_many(chunk.to_vec())
                        .exec_without_returning(&*txn)
                        .await?;
                }
                if !p.is_empty() {
                    provider_schedules::Entity::insert_many(p)
                        .exec_without_returning(&*txn)
                        .await?;
                }
            }
            txn.commit().await?;
        }
    }
    eprintln!(
        "set-up: {count} craftsmen ({schedules} with a schedule) in {:.1}s",
        t0.elapsed().as_secs_f64()
    );

    // Finished contracts, for craftsmen of Cairo and Giza: a past client,
    // a job in one of the craftsman's skills, the accepted quote, the contract.
    let history_client = Uuid::now_v7();
    let email = "ai-history-client@bench.souk.test".to_owned();
    users::Entity::insert(users::ActiveModel {
        id: Set(history_client),
        email_skeleton: Set(Some(souk_db::confusable::email_skeleton(&email))),
        email: Set(email),
        phone: Set(None),
        password_hash: Set("$seeded$not-a-login".into()),
        role: Set("client".into()),
        first_name: Set("History".into()),
        last_name: Set("Client".into()),
        language: Set("en".into()),
        profile_picture: Set(None),
        bio: Set(None),
        city: Set(Some("Cairo".into())),
        latitude: Set(Some(30.04)),
        longitude: Set(Some(31.24)),
        skills: Set("[]".into()),
        email_verified_at: Set(Some(now)),
        banned_at: Set(None),
        ban_reason: Set(None),
        deactivated_at: Set(None),
        deleted_at: Set(None),
        service_radius_km: Set(None),
        available: Set(true),
        verification_status: Set(VerificationStatus::Unverified),
        rating_sum: Set(0),
        rating_count: Set(0),
        completed_jobs: Set(0),
        response_time_minutes: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(db.conn())
    .await?;
    let cairo: Vec<&Seeded> = seeded.iter().filter(|s| s.city <= 1).collect();
    let t1 = Instant::now();
    let (mut job_rows, mut quote_rows, mut contract_rows) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..CONTRACTS {
        let who = cairo[rng.random_range(0..cairo.len())];
        let category = who.skills[rng.random_range(0..who.skills.len())];
        let completed = rng.random_bool(0.85);
        let at = now - chrono::Duration::hours(rng.random_range(1..(365 * 24)));
        let (job, quote) = (Uuid::now_v7(), Uuid::now_v7());
        let (lat, lng) = (
            30.04 + gaussian(&mut rng) * 0.08,
            31.24 + gaussian(&mut rng) * 0.08,
        );
        let price = rng.random_range(200..5_000) * 100;
        job_rows.push(jobs::ActiveModel {
            id: Set(job),
            client_id: Set(history_client),
            craftsman_id: Set(Some(who.id)),
            category_id: Set(category),
            title: Set(format!("Past job {n}")),
            description: Set("Seeded history for the AI benchmark.".into()),
            photos: Set("[]".into()),
            address: Set(None),
            latitude: Set(Some(lat)),
            longitude: Set(Some(lng)),
            geo_cell: Set(Some(search::geo_cell(lat, lng))),
            budget_min: Set(Some(price)),
            budget_max: Set(Some(price * 2)),
            currency: Set("EGP".into()),
            payment_type: Set("cash".into()),
            desired_date: Set(None),
            status: Set(if completed {
                JobStatus::Completed
            } else {
                JobStatus::Cancelled
            }),
            listed: Set(false),
            status_reason: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            hired_at: Set(Some(at)),
            completed_at: Set(completed.then_some(at)),
            submitted_at: Set(None),
            booking_id: Set(None),
        });
        quote_rows.push(quotes::ActiveModel {
            id: Set(quote),
            job_id: Set(job),
            craftsman_id: Set(who.id),
            price: Set(price),
            notes: Set(None),
            estimated_duration: Set(None),
            status: Set(QuoteStatus::Accepted),
            created_at: Set(at),
            updated_at: Set(at),
        });
        contract_rows.push(contracts::ActiveModel {
            id: Set(Uuid::now_v7()),
            job_id: Set(job),
            quote_id: Set(quote),
            client_id: Set(history_client),
            craftsman_id: Set(who.id),
            price: Set(price),
            fee_bps: Set(1000),
            platform_fee: Set(price / 10),
            currency: Set("EGP".into()),
            payment_type: Set("cash".into()),
            status: Set(if completed {
                ContractStatus::Completed
            } else {
                ContractStatus::Cancelled
            }),
            escrow_status: Set(EscrowStatus::None),
            funded_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
        });
        if job_rows.len() == 500 || n + 1 == CONTRACTS {
            let txn = db.begin_write().await?;
            jobs::Entity::insert_many(std::mem::take(&mut job_rows))
                .exec_without_returning(&*txn)
                .await?;
            quotes::Entity::insert_many(std::mem::take(&mut quote_rows))
                .exec_without_returning(&*txn)
                .await?;
            contracts::Entity::insert_many(std::mem::take(&mut contract_rows))
                .exec_without_returning(&*txn)
                .await?;
            txn.commit().await?;
        }
    }
    let statistics = match db.kind() {
        DbBackendKind::Postgres => "VACUUM ANALYZE",
        DbBackendKind::Sqlite => "ANALYZE",
    };
    db.conn().execute_unprepared(statistics).await?;
    eprintln!(
        "set-up: {CONTRACTS} contracts for {} Cairo/Giza craftsmen, then {statistics}, in {:.1}s",
        cairo.len(),
        t1.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A keep-alive HTTP/1.1 client for one loopback connection: enough of the
/// protocol for JSON requests and answers (length-delimited or chunked).
struct Client {
    stream: BufReader<TcpStream>,
}

impl Client {
    async fn connect(addr: SocketAddr) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(stream),
        })
    }

    /// Sends one request, returns the status and the body.
    async fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<(u16, Vec<u8>), Box<dyn std::error::Error>> {
        let mut head =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n");
        if let Some(token) = token {
            head.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        let payload = body.map(serde_json::to_vec).transpose()?;
        if let Some(payload) = &payload {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                payload.len()
            ));
        }
        head.push_str("\r\n");
        let mut request = head.into_bytes();
        if let Some(payload) = payload {
            request.extend_from_slice(&payload);
        }
        self.stream.get_mut().write_all(&request).await?;

        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            self.stream.read_line(&mut line).await?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse::<usize>().ok();
                } else if name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = value.eq_ignore_ascii_case("chunked");
                }
            }
        }
        let mut answer = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
                let mut chunk = vec![0; size + 2];
                self.stream.read_exact(&mut chunk).await?;
                if size == 0 {
                    break;
                }
                answer.extend_from_slice(&chunk[..size]);
            }
        } else {
            answer.resize(length.unwrap_or(0), 0);
            self.stream.read_exact(&mut answer).await?;
        }
        Ok((status, answer))
    }

    /// Sends one request, insists on `expect`, returns the JSON answer.
    async fn json(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        expect: u16,
    ) -> Result<Value, Box<dyn std::error::Error>> {
        let (status, answer) = self.call(method, path, token, body).await?;
        if status != expect {
            return Err(format!(
                "{method} {path}: {status} {}",
                String::from_utf8_lossy(&answer)
            )
            .into());
        }
        Ok(serde_json::from_slice(&answer)?)
    }
}

/// The timed rounds over HTTP.
async fn http_benchmark(
    addr: SocketAddr,
    rounds: usize,
) -> Result<Uuid, Box<dyn std::error::Error>> {
    let mut client = Client::connect(addr).await?;
    let registered = client
        .json(
            "POST",
            "/api/auth/register",
            None,
            Some(&json!({
                "email": format!("ai-client-{}@bench.souk.test", Uuid::now_v7().simple()),
                "password": "Bench-only-pass-1",
                "role": "client",
                "firstName": "Bench",
                "lastName": "Client",
            })),
            201,
        )
        .await?;
    let token = registered["accessToken"]
        .as_str()
        .ok_or("no accessToken")?
        .to_owned();
    let tomorrow = (Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let job = client
        .json(
            "POST",
            "/api/jobs",
            Some(&token),
            Some(&json!({
                "title": "Fix a leaking kitchen pipe",
                "description": "The pipe under the kitchen sink leaks; the plumber should bring a new trap.",
                "category": "plumbing",
                "location": {"lat": 30.0444, "lng": 31.2357},
                "budgetMin": 30_000,
                "budgetMax": 80_000,
                "paymentType": "cash",
                "desiredDate": tomorrow,
            })),
            201,
        )
        .await?;
    let job_id: Uuid = job["id"].as_str().ok_or("no job id")?.parse()?;
    let recommendations = format!("/api/users/recommendations?jobId={job_id}");

    let first = client
        .json("GET", &recommendations, Some(&token), None, 200)
        .await?;
    let items = first["items"].as_array().map_or(0, Vec::len);
    let top = &first["items"][0];
    eprintln!(
        "recommendations: {items} items; top score {} at {} km — {}",
        top["score"], top["distanceKm"], top["why"]
    );

    let (mut anchor, mut recs, mut chats) = (Vec::new(), Vec::new(), Vec::new());
    // Chat turns that answered matches, and those that did not search.
    let (mut searched, mut talked) = (Vec::new(), Vec::new());
    let mut conversation: Option<String> = None;
    let mut intents: HashMap<String, usize> = HashMap::new();
    let mut matched: HashMap<String, usize> = HashMap::new();
    for i in 0..rounds + WARM_UP {
        let t = Instant::now();
        client.json("GET", "/api/health", None, None, 200).await?;
        let took_anchor = ms(t.elapsed());

        let t = Instant::now();
        let answer = client
            .json("GET", &recommendations, Some(&token), None, 200)
            .await?;
        let took_rec = ms(t.elapsed());
        assert_eq!(answer["items"].as_array().map_or(0, Vec::len), items);

        let message = MESSAGES[i % MESSAGES.len()];
        let mut body = json!({ "message": message });
        if i % 2 == 1
            && let Some(id) = &conversation
        {
            body["conversationId"] = json!(id);
        }
        let t = Instant::now();
        let turn = client
            .json("POST", "/api/ai/chat", Some(&token), Some(&body), 200)
            .await?;
        let took_chat = ms(t.elapsed());
        conversation = turn["conversationId"].as_str().map(str::to_owned);

        if i >= WARM_UP {
            anchor.push(took_anchor);
            recs.push(took_rec);
            chats.push(took_chat);
            if turn["matches"].as_array().is_some_and(|m| !m.is_empty()) {
                searched.push(took_chat);
            } else {
                talked.push(took_chat);
            }
            *intents
                .entry(turn["intent"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
            for m in turn["matches"].as_array().into_iter().flatten() {
                *matched
                    .entry(m["type"].as_str().unwrap_or("?").to_owned())
                    .or_default() += 1;
            }
        }
    }
    report(
        "anchor: GET /api/health (HTTP + 1 DB round trip)",
        &mut anchor,
        &format!("({rounds})"),
    );
    report(
        "GET /api/users/recommendations?jobId=",
        &mut recs,
        &format!("({rounds}, {items} items)"),
    );
    let mut intents: Vec<_> = intents.into_iter().collect();
    intents.sort();
    let mut matched: Vec<_> = matched.into_iter().collect();
    matched.sort();
    report(
        "POST /api/ai/chat (built-in engine)",
        &mut chats,
        &format!("({rounds}; intents {intents:?}; matches {matched:?})"),
    );
    for (label, took) in [
        ("  of which turns answering matches", &mut searched),
        ("  of which turns without a search", &mut talked),
    ] {
        if !took.is_empty() {
            let n = took.len();
            report(label, took, &format!("({n})"));
        }
    }
    Ok(job_id)
}

/// Where one recommendation's time goes, in-process.
async fn steps(core: &Core, job_id: Uuid) -> Result<(), Box<dyn std::error::Error>> {
    let job = jobs::Entity::find_by_id(job_id)
        .one(core.db.conn())
        .await?
        .ok_or("job vanished")?;
    let need = recommend::need_of_job(core, &job).await?;
    let scope = candidates::Scope {
        category: need.category,
        point: need.point,
    };
    let conn = core.db.conn();
    let window: (DateTime<Utc>, DateTime<Utc>) = need.window.ok_or("no window")?;
    let weights = AiWeights::default();
    let (mut read, mut records, mut free, mut rank) = (vec![], vec![], vec![], vec![]);
    let (mut found, mut scheduled) = (0, 0);
    for i in 0..STEP_RUNS + 5 {
        let t = Instant::now();
        let all = candidates::read(conn, scope).await?;
        let took_read = ms(t.elapsed());
        let ids: Vec<Uuid> = all.iter().map(|c| c.id).collect();
        let t = Instant::now();
        let rec = candidates::records(conn, &ids).await?;
        let took_records = ms(t.elapsed());
        let best: Vec<Uuid> = ids.iter().take(RERANK).copied().collect();
        let t = Instant::now();
        let minutes = candidates::free_minutes(conn, &best, window).await?;
        let took_free = ms(t.elapsed());
        let t = Instant::now();
        let ranked = recommend::rank(core, &need, &weights, 10).await?;
        let took_rank = ms(t.elapsed());
        assert!(!ranked.is_empty());
        if i >= 5 {
            read.push(took_read);
            records.push(took_records);
            free.push(took_free);
            rank.push(took_rank);
        }
        found = all.len();
        scheduled = minutes.len();
        let _ = rec;
    }
    report(
        "  step: candidates::read (1 statement)",
        &mut read,
        &format!("({found} candidates)"),
    );
    report(
        "  step: candidates::records (1 statement)",
        &mut records,
        "",
    );
    report(
        &format!("  step: candidates::free_minutes ({RERANK})"),
        &mut free,
        &format!("({scheduled} with a schedule)"),
    );
    report("  step: recommend::rank whole, in-process", &mut rank, "");
    Ok(())
}

/// How deep in the nearest-first candidate list the final top 10 reach:
/// for needs in five cities × the popular trades, the position (0-based,
/// nearest first) of the farthest-listed of the top 10 among the up to
/// `MAX_CANDIDATES` read. Reading only the nearest K > that position would
/// give the same top 10 (the free-time re-ranking of the best 50 aside).
async fn depth(core: &Core) -> Result<(), Box<dyn std::error::Error>> {
    let catalog = services::Entity::find().all(core.db.conn()).await?;
    let weights = AiWeights::default();
    let tomorrow = Utc::now() + chrono::Duration::days(1);
    let window = (
        tomorrow - chrono::Duration::hours(12),
        tomorrow + chrono::Duration::hours(12),
    );
    let (mut deepest, mut read_counts) = (Vec::new(), Vec::new());
    for (name, lat, lng, ..) in CITIES.iter().filter(|c| c.0 != "Mansoura" && c.0 != "Tyre") {
        for slug in POPULAR {
            let Some(category) = catalog.iter().find(|s| s.slug == *slug) else {
                continue;
            };
            let need = recommend::Need {
                category: Some(category.id),
                point: Some((*lat, *lng)),
                window: Some(window),
                terms: search::terms(&format!("{} repair needed in {name}", category.name_en)),
                exclude: Default::default(),
            };
            let order: HashMap<Uuid, usize> = candidates::read(
                core.db.conn(),
                candidates::Scope {
                    category: need.category,
                    point: need.point,
                },
            )
            .await?
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, i))
            .collect();
            let ranked = recommend::rank(core, &need, &weights, 10).await?;
            let deep = ranked
                .iter()
                .filter_map(|r| order.get(&r.candidate.id))
                .max()
                .copied()
                .unwrap_or(0);
            deepest.push(deep as f64);
            read_counts.push(order.len() as f64);
        }
    }
    deepest.sort_by(f64::total_cmp);
    read_counts.sort_by(f64::total_cmp);
    println!(
        "  depth: top 10 reach position p50 {:.0}, p90 {:.0}, max {:.0} of the nearest-first \
         candidates ({} needs; {:.0}–{:.0} candidates read)",
        percentile(&deepest, 0.5),
        percentile(&deepest, 0.9),
        deepest[deepest.len() - 1],
        deepest.len(),
        read_counts[0],
        read_counts[read_counts.len() - 1],
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let craftsmen = arg(1, 100_000);
    let rounds = arg(2, 300);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-ai-bench-{}", std::process::id()));
    let db = Db::connect(&url, 16).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    seed(&db, craftsmen).await?;
    let core = Core::new(
        db.clone(),
        Settings::new(
            b"ai-benchmark-secret-ai-benchmark-secret-0".to_vec(),
            "http://127.0.0.1".into(),
            dir.clone(),
        ),
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );
    let config = ApiConfig {
        rate_limits: RateLimitConfig {
            enabled: false,
            ..RateLimitConfig::default()
        },
        support_email: "bench@souk.test".into(),
        ..ApiConfig::default()
    };
    let (router, _) = build_router(AppState::new(core.clone(), config)).await?;
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let addr = listener.local_addr()?;
    tokio::spawn(souk_api::serve::serve(
        listener,
        router,
        std::future::pending(),
    ));

    // Whether the pool talks TLS to PostgreSQL (sqlx's default `sslmode=prefer`
    // does when the server offers it): statements whose parameters exceed one
    // TLS record (16 KB) then wait out a delayed ACK (sqlx sets no TCP_NODELAY).
    let engine = match db.kind() {
        DbBackendKind::Postgres => {
            let tls = db
                .conn()
                .query_one_raw(Statement::from_string(
                    db.backend(),
                    "SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS tls",
                ))
                .await?
                .map(|row| row.try_get::<bool>("", "tls"))
                .transpose()?
                .unwrap_or(false);
            format!(
                "PostgreSQL (TLS to the database: {})",
                if tls { "yes" } else { "no" }
            )
        }
        DbBackendKind::Sqlite => "SQLite".to_owned(),
    };
    println!("== {engine} — {craftsmen} craftsmen, one client, keep-alive HTTP on loopback");
    let job = http_benchmark(addr, rounds).await?;
    steps(&core, job).await?;
    depth(&core).await?;

    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
