//! The command line: `serve` (default), `migrate`, `admin create`, `seed --demo`.

use clap::{Parser, Subcommand};

use crate::{config::Config, serve, wiring};

const ENV_HELP: &str = "\
Configuration (environment variables, or a .env file in the working directory):
  PORT                      port to listen on (8080)
  HOST                      address to bind (0.0.0.0)
  SOUK_DATA_DIR             data directory (./data)
  DATABASE_URL              sqlite://<data>/souk.db?mode=rwc, or postgres://user@host/db
  DATABASE_MAX_CONNECTIONS  pool size (16)
  JWT_SECRET                signing key, ≥ 32 chars (unset: generated and kept in <data>/jwt_secret)
  SOUK_DATA_KEY             identity-document key, 32 bytes base64 (unset: generated, kept in <data>/data_key)
  SOUK_DATA_KEYS_OLD        earlier data keys (comma-separated), opened until `souk keys rotate`
  ADMIN_EMAIL, ADMIN_PASSWORD  bootstrap admin, created or updated at start
  SMTP_URL                  smtp://host:port, smtps://user:pass@host, ?tls=starttls (unset: mails go to <data>/mail/*.eml)
  MAIL_FROM                 sender address (Souk <no-reply@souk.local>)
  SUPPORT_EMAIL             where contact-form messages go (support@souk.local)
  PUBLIC_URL                base URL for links in mails and file URLs (http://localhost:<PORT>)
  CORS_ORIGINS              comma-separated origins, or * (*)
  RATE_LIMIT_ENABLED        true|false (true)
  RATE_LIMIT_PER_MINUTE     API requests per client IP per minute (600)
  RATE_LIMIT_AUTH_PER_MINUTE  login/register/password-recovery/contact per IP per minute (10)
  TRUST_PROXY               take the client IP from X-Forwarded-For: the right-most untrusted hop (false)
  TRUSTED_PROXIES           comma-separated CIDRs of the proxies in front (loopback and private ranges)
  REQUEST_TIMEOUT_SECS      per-request timeout (30)
  BODY_LIMIT_BYTES          largest JSON body, every route (1048576)
  MAX_AMOUNT                largest money amount accepted, minor units (100000000)
  CURRENCY, COMMISSION_BPS  currency (EGP) and default commission in basis points (500)
  STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE  the Stripe gateway
  FAWRY_MERCHANT_CODE, FAWRY_SECURE_KEY, FAWRY_API_BASE      the Fawry gateway
  PAYMENTS_SANDBOX          the sandbox gateway: true|false (on only while no real gateway is configured)
  STORAGE_URL               s3://bucket[/prefix] with AWS_* variables, or file:///path (unset: <data>/uploads)
  REDIS_URL                 redis://host:port: Socket.IO events and disconnects reach every node (unset: this node only)
  REDIS_PREFIX              Redis channel prefix shared by the nodes of one deployment (souk)
  LOG_DIR                   log directory (./logs)
  RUST_LOG                  log filter (info)";

/// Souk: an open services-marketplace backend.
#[derive(Debug, Parser)]
#[command(name = "souk", version, about, after_help = ENV_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage the data keys identity documents are sealed with.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Load demo data.
    Seed {
        /// A few demo users so a newcomer can click around.
        #[arg(long)]
        demo: bool,
    },
}

/// Staff account commands.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create (or update) an admin or moderator.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password: String,
        #[arg(long, default_value = "admin", value_parser = ["admin", "moderator"])]
        role: String,
    },
}

/// Data-key commands.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Seal every identity document again under `SOUK_DATA_KEY` (opening
    /// the older ones with `SOUK_DATA_KEYS_OLD`).
    Rotate,
    /// Print a fresh key (base64) for `SOUK_DATA_KEY`.
    Generate,
}

/// Runs the chosen command.
pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::serve(config).await,
        Command::Migrate => {
            let db = wiring::connect_db(&config).await?;
            db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    password,
                    role,
                },
        } => {
            let core = wiring::build_core(&config).await?;
            let user = wiring::create_staff(&core, &email, &password, &role).await?;
            println!("{role} {} ready ({})", user.email, user.id);
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let core = wiring::build_core(&config).await?;
            let rotated = souk_core::verification::keys::rotate(&core).await?;
            println!(
                "{rotated} document(s) sealed again under key {}",
                core.settings.data_keys.current.id()
            );
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Generate,
        } => {
            println!("{}", souk_core::sealed::DataKey::generate().to_base64());
            Ok(())
        }
        Command::Seed { demo } => {
            if !demo {
                anyhow::bail!("nothing to seed: pass --demo");
            }
            let core = wiring::build_core(&config).await?;
            wiring::seed_demo(&core).await
        }
    }
}
