//! Logs as JSON lines to stdout and `logs/combined.log`; errors also to
//! `logs/error.log`.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{
    EnvFilter, Layer, filter::LevelFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt,
};

use crate::config::Config;

/// Installs the subscriber; keep the guards alive until exit so logs flush.
pub fn init(config: &Config) -> anyhow::Result<Vec<WorkerGuard>> {
    std::fs::create_dir_all(&config.log_dir)?;
    let (combined, combined_guard) = tracing_appender::non_blocking(
        tracing_appender::rolling::never(&config.log_dir, "combined.log"),
    );
    let (errors, errors_guard) = tracing_appender::non_blocking(tracing_appender::rolling::never(
        &config.log_dir,
        "error.log",
    ));
    let (stdout, stdout_guard) = tracing_appender::non_blocking(std::io::stdout());
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::registry()
        .with(
            fmt::layer()
                .json()
                .with_writer(stdout)
                .with_filter(filter()),
        )
        .with(
            fmt::layer()
                .json()
                .with_ansi(false)
                .with_writer(combined)
                .with_filter(filter()),
        )
        .with(
            fmt::layer()
                .json()
                .with_ansi(false)
                .with_writer(errors)
                .with_filter(LevelFilter::ERROR),
        )
        .try_init()?;
    Ok(vec![combined_guard, errors_guard, stdout_guard])
}
