//! The `souk` binary: parses the command line and configuration, then runs
//! the server or a maintenance command.

mod cli;
mod config;
mod logging;
mod serve;
mod wiring;

use clap::Parser;

/// The server allocates and frees many small buffers per request (rows,
/// SQL, JSON); with glibc's allocator that was about a sixth of its CPU time
/// under load (perf, search benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = cli::Cli::parse();
    let config = match config::Config::from_env(&cli) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("souk: configuration error: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    let _guards = match logging::init(&config) {
        Ok(guards) => guards,
        Err(err) => {
            eprintln!("souk: cannot set up logging: {err:#}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("souk: cannot start the runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli, config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = format!("{err:#}"), "souk stopped with an error");
            eprintln!("souk: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
