//! Prints how many argon2id verifications per second this machine does with
//! Souk's own hasher and parameters, using every core: the login anchor.
#![allow(
    clippy::as_conversions,
    reason = "a benchmark: rates are printed as floats"
)]

use std::time::{Duration, Instant};

use souk_core::accounts::PasswordHasher;

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let hasher = PasswordHasher::new();
    let Ok(hash) = hasher.hash("benchmark-password-1").await else {
        eprintln!("hashing failed");
        std::process::exit(1);
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..cores * 2 {
        let (hasher, hash) = (hasher.clone(), hash.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                if hasher
                    .verify("benchmark-password-1", &hash)
                    .await
                    .unwrap_or(false)
                {
                    done += 1;
                }
            }
            done
        }));
    }
    let started = Instant::now();
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap_or(0);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let per_second = total as f64 / elapsed;
    println!(
        "{{\"cores\":{cores},\"verifications\":{total},\"seconds\":{elapsed:.2},\"perSecond\":{per_second:.1},\"msPerHashPerCore\":{:.2}}}",
        1000.0 * cores as f64 / per_second
    );
}
