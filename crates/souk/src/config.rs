//! Configuration from the environment (and an optional `.env`), typed once at
//! start. A malformed value stops start-up with a message naming the variable.
//! Secrets are never printed (see the `Debug` impl).

use std::{fmt, net::IpAddr, path::PathBuf, str::FromStr, time::Duration};

use souk_core::{Settings, settings::DEFAULT_MAX_AMOUNT};

use crate::cli::Cli;

/// Everything the binary reads from its environment.
pub struct Config {
    pub host: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub database_max_connections: u32,
    /// `None`: generate and persist one under the data dir.
    pub jwt_secret: Option<String>,
    pub admin: Option<(String, String)>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub support_email: String,
    pub public_url: String,
    pub cors_origins: Vec<String>,
    pub rate_limit_enabled: bool,
    pub rate_limit_per_minute: u32,
    pub rate_limit_auth_per_minute: u32,
    pub trust_proxy: bool,
    /// Proxies whose `X-Forwarded-For` entries are believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub request_timeout: Duration,
    pub body_limit: usize,
    pub storage_url: Option<String>,
    pub log_dir: PathBuf,
    /// Default commission, basis points (`COMMISSION_BPS`, 500 = 5%).
    pub commission_bps: i32,
    /// ISO currency (`CURRENCY`, EGP).
    pub currency: String,
    /// `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`, `STRIPE_API_BASE`.
    pub stripe: Option<souk_core::settings::StripeSettings>,
    /// `FAWRY_MERCHANT_CODE`, `FAWRY_SECURE_KEY`, `FAWRY_API_BASE`.
    pub fawry: Option<souk_core::settings::FawrySettings>,
    /// `PAYMENTS_SANDBOX`: the sandbox gateway is on (default: only while no
    /// real gateway is configured).
    pub payments_sandbox: bool,
    /// `MAX_AMOUNT`: the largest money amount accepted, minor units.
    pub max_amount: i64,
    /// `REDIS_URL`: Socket.IO events and disconnects cross nodes through
    /// Redis (unset: this process's sockets only).
    pub redis_url: Option<String>,
    /// `REDIS_PREFIX`: the Redis channel prefix of this deployment.
    pub redis_prefix: String,
    /// `SOCKET_READ_BUFFER_BYTES`: each websocket's read buffer (1024).
    pub ws_read_buffer: usize,
    /// `CHAT_MESSAGES_PER_WINDOW` messages per `CHAT_RATE_WINDOW_SECS`
    /// seconds per user (30 per 10).
    pub chat_send_rate: souk_core::settings::SendRate,
    /// `SOUK_DATA_KEY`: the key identity documents are sealed with.
    pub data_key: Option<souk_core::sealed::DataKey>,
    /// `SOUK_DATA_KEYS_OLD`: earlier keys, comma-separated, still opened
    /// until `souk keys rotate` has sealed everything again.
    pub data_keys_old: Vec<souk_core::sealed::DataKey>,
    /// `FCM_CREDENTIALS`: a Firebase service-account JSON (a path to it,
    /// or the JSON itself) that turns push on (unset: pushes are logged).
    pub fcm_credentials: Option<String>,
    /// `FCM_API_BASE`: where FCM's HTTP v1 API lives
    /// (`https://fcm.googleapis.com`).
    pub fcm_api_base: Option<String>,
    /// `EVENT_RETENTION_DAYS`, `MESSAGE_DIGEST_MINUTES`,
    /// `WEBHOOKS_ALLOW_LOOPBACK`.
    pub delivery: souk_core::settings::DeliverySettings,
    /// `LLM_BASE_URL`, `LLM_API_KEY`, `LLM_MODEL` (all three, or none),
    /// `LLM_EMBEDDINGS_MODEL`, `LLM_TIMEOUT_MS`: an OpenAI-compatible
    /// model for the AI features (unset: the built-in engine answers).
    pub llm: Option<souk_integrations::llm::LlmConfig>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("data_dir", &self.data_dir)
            .field("database", &redact_url(&self.database_url))
            .field(
                "jwt_secret",
                &self.jwt_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("admin_email", &self.admin.as_ref().map(|(e, _)| e))
            .field("smtp", &self.smtp_url.as_deref().map(redact_url))
            .field("public_url", &self.public_url)
            .field("storage_url", &self.storage_url.as_deref().map(redact_url))
            .field("currency", &self.currency)
            .field("stripe", &self.stripe.as_ref().map(|s| &s.api_base))
            .field("fawry", &self.fawry.as_ref().map(|f| &f.api_base))
            .field("payments_sandbox", &self.payments_sandbox)
            .field("max_amount", &self.max_amount)
            .field("redis", &self.redis_url.as_deref().map(redact_url))
            .field("redis_prefix", &self.redis_prefix)
            .field("ws_read_buffer", &self.ws_read_buffer)
            .field("chat_send_rate", &self.chat_send_rate)
            .field(
                "fcm",
                &self.fcm_credentials.as_ref().map(|_| "<configured>"),
            )
            .field("fcm_api_base", &self.fcm_api_base)
            .field("delivery", &self.delivery)
            .field("llm", &self.llm)
            .field("trust_proxy", &self.trust_proxy)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

/// A URL with any password replaced, for logs.
pub fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        Ok(url) => url.to_string(),
        Err(_) => "<unparseable>".into(),
    }
}

/// A configuration problem, naming the variable.
#[derive(Debug)]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.problem)
    }
}

impl std::error::Error for ConfigError {}

fn var(name: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var(name) {
        Ok(value) if value.trim().is_empty() => Ok(None),
        Ok(value) => Ok(Some(value.trim().to_owned())),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError {
            variable: name,
            problem: "is not valid UTF-8".into(),
        }),
    }
}

fn parsed<T: FromStr>(name: &'static str, default: T, what: &str) -> Result<T, ConfigError> {
    match var(name)? {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|_| ConfigError {
            variable: name,
            problem: format!("expected {what}, got {raw:?}"),
        }),
    }
}

fn flag(name: &'static str, default: bool) -> Result<bool, ConfigError> {
    Ok(optional_flag(name)?.unwrap_or(default))
}

fn optional_flag(name: &'static str) -> Result<Option<bool>, ConfigError> {
    match var(name)?.map(|v| v.to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(Some(true)),
        Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(Some(false)),
        Some(v) => Err(ConfigError {
            variable: name,
            problem: format!("expected true or false, got {v:?}"),
        }),
    }
}

/// A comma-separated list of CIDRs (a bare address is a /32 or /128);
/// unset: loopback and the private ranges.
fn cidrs(name: &'static str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let raw = var(name)?;
    let Some(raw) = raw else {
        return Ok(souk_api::state::default_trusted_proxies());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError {
                    variable: name,
                    problem: format!("expected CIDRs such as 10.0.0.0/8, got {item:?}"),
                })
        })
        .collect()
}

impl Config {
    /// Reads `.env` (if present) and the environment.
    pub fn from_env(_cli: &Cli) -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        let port: u16 = parsed("PORT", 8080, "a port number")?;
        let host: IpAddr = parsed("HOST", IpAddr::from([0, 0, 0, 0]), "an IP address")?;
        let data_dir = PathBuf::from(var("SOUK_DATA_DIR")?.unwrap_or_else(|| "./data".into()));
        let database_url = match var("DATABASE_URL")? {
            Some(url) => {
                if !(url.starts_with("sqlite:")
                    || url.starts_with("postgres:")
                    || url.starts_with("postgresql:"))
                {
                    return Err(ConfigError {
                        variable: "DATABASE_URL",
                        problem: "must start with sqlite: or postgres:".into(),
                    });
                }
                url
            }
            None => format!("sqlite://{}/souk.db?mode=rwc", data_dir.display()),
        };
        let jwt_secret = var("JWT_SECRET")?;
        if let Some(secret) = &jwt_secret
            && secret.len() < 32
        {
            return Err(ConfigError {
                variable: "JWT_SECRET",
                problem: "must be at least 32 characters".into(),
            });
        }
        let admin = match (var("ADMIN_EMAIL")?, var("ADMIN_PASSWORD")?) {
            (Some(email), Some(password)) => Some((email, password)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(ConfigError {
                    variable: "ADMIN_PASSWORD",
                    problem: "must be set together with ADMIN_EMAIL".into(),
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    variable: "ADMIN_EMAIL",
                    problem: "must be set together with ADMIN_PASSWORD".into(),
                });
            }
        };
        let smtp_url = var("SMTP_URL")?;
        if let Some(url) = &smtp_url
            && url::Url::parse(url)
                .map(|u| !matches!(u.scheme(), "smtp" | "smtps"))
                .unwrap_or(true)
        {
            return Err(ConfigError {
                variable: "SMTP_URL",
                problem: "expected smtp://host:port or smtps://host:port".into(),
            });
        }
        let public_url = var("PUBLIC_URL")?.unwrap_or_else(|| format!("http://localhost:{port}"));
        if url::Url::parse(&public_url).is_err() {
            return Err(ConfigError {
                variable: "PUBLIC_URL",
                problem: "expected an absolute URL".into(),
            });
        }
        let cors_origins = var("CORS_ORIGINS")?
            .unwrap_or_else(|| "*".into())
            .split(',')
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        let stripe = match (var("STRIPE_SECRET_KEY")?, var("STRIPE_WEBHOOK_SECRET")?) {
            (Some(secret_key), Some(webhook_secret)) => Some(souk_core::settings::StripeSettings {
                secret_key,
                webhook_secret,
                api_base: var("STRIPE_API_BASE")?
                    .unwrap_or_else(|| "https://api.stripe.com".into()),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(ConfigError {
                    variable: "STRIPE_WEBHOOK_SECRET",
                    problem: "must be set together with STRIPE_SECRET_KEY".into(),
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    variable: "STRIPE_SECRET_KEY",
                    problem: "must be set together with STRIPE_WEBHOOK_SECRET".into(),
                });
            }
        };
        let fawry = match (var("FAWRY_MERCHANT_CODE")?, var("FAWRY_SECURE_KEY")?) {
            (Some(merchant_code), Some(secure_key)) => Some(souk_core::settings::FawrySettings {
                merchant_code,
                secure_key,
                api_base: var("FAWRY_API_BASE")?
                    .unwrap_or_else(|| "https://atfawry.fawrystaging.com".into()),
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(ConfigError {
                    variable: "FAWRY_SECURE_KEY",
                    problem: "must be set together with FAWRY_MERCHANT_CODE".into(),
                });
            }
            (None, Some(_)) => {
                return Err(ConfigError {
                    variable: "FAWRY_MERCHANT_CODE",
                    problem: "must be set together with FAWRY_SECURE_KEY".into(),
                });
            }
        };
        let currency = var("CURRENCY")?.unwrap_or_else(|| "EGP".into());
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(ConfigError {
                variable: "CURRENCY",
                problem: "expected a three-letter ISO code such as EGP".into(),
            });
        }
        let commission_bps: i32 = parsed("COMMISSION_BPS", 500, "basis points (0-10000)")?;
        if !(0..=10_000).contains(&commission_bps) {
            return Err(ConfigError {
                variable: "COMMISSION_BPS",
                problem: "expected basis points between 0 and 10000".into(),
            });
        }
        let max_amount: i64 = parsed("MAX_AMOUNT", DEFAULT_MAX_AMOUNT, "a number of minor units")?;
        if !(1..=1_000_000_000_000).contains(&max_amount) {
            return Err(ConfigError {
                variable: "MAX_AMOUNT",
                problem: "expected minor units between 1 and 10^12".into(),
            });
        }
        let redis_url = var("REDIS_URL")?;
        if let Some(url) = &redis_url
            && url::Url::parse(url)
                .map(|u| u.scheme() != "redis")
                .unwrap_or(true)
        {
            return Err(ConfigError {
                variable: "REDIS_URL",
                problem: "expected redis://[user:password@]host[:port][/db]".into(),
            });
        }
        let chat_defaults = souk_core::settings::SendRate::default();
        let chat_messages: u32 = parsed(
            "CHAT_MESSAGES_PER_WINDOW",
            chat_defaults.messages,
            "a positive number",
        )?;
        let chat_window: u64 = parsed(
            "CHAT_RATE_WINDOW_SECS",
            chat_defaults.window.as_secs(),
            "seconds",
        )?;
        if chat_messages == 0 || chat_window == 0 {
            return Err(ConfigError {
                variable: if chat_messages == 0 {
                    "CHAT_MESSAGES_PER_WINDOW"
                } else {
                    "CHAT_RATE_WINDOW_SECS"
                },
                problem: "must be at least 1".into(),
            });
        }
        let chat_send_rate = souk_core::settings::SendRate {
            messages: chat_messages,
            window: Duration::from_secs(chat_window),
        };
        let data_key = match var("SOUK_DATA_KEY")? {
            None => None,
            Some(text) => Some(souk_core::sealed::DataKey::from_base64(&text).ok_or(
                ConfigError {
                    variable: "SOUK_DATA_KEY",
                    problem: "must be 32 bytes in standard base64".into(),
                },
            )?),
        };
        let mut data_keys_old = Vec::new();
        for text in var("SOUK_DATA_KEYS_OLD")?
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            data_keys_old.push(souk_core::sealed::DataKey::from_base64(text).ok_or(
                ConfigError {
                    variable: "SOUK_DATA_KEYS_OLD",
                    problem: "each key must be 32 bytes in standard base64".into(),
                },
            )?);
        }
        let delivery_defaults = souk_core::settings::DeliverySettings::default();
        let retention_days: u64 = parsed(
            "EVENT_RETENTION_DAYS",
            delivery_defaults.event_retention.as_secs() / 86_400,
            "a number of days",
        )?;
        let digest_minutes: u64 = parsed(
            "MESSAGE_DIGEST_MINUTES",
            delivery_defaults.message_digest_delay.as_secs() / 60,
            "a number of minutes",
        )?;
        if retention_days == 0 || retention_days > 3_650 {
            return Err(ConfigError {
                variable: "EVENT_RETENTION_DAYS",
                problem: "must be between 1 and 3650".into(),
            });
        }
        let delivery = souk_core::settings::DeliverySettings {
            event_retention: Duration::from_secs(retention_days * 86_400),
            message_digest_delay: Duration::from_secs(digest_minutes.min(10_080) * 60),
            webhooks_allow_loopback: optional_flag("WEBHOOKS_ALLOW_LOOPBACK")?.unwrap_or(false),
            ..delivery_defaults
        };
        let llm = match (var("LLM_BASE_URL")?, var("LLM_API_KEY")?, var("LLM_MODEL")?) {
            (None, None, None) => None,
            (Some(base_url), api_key, Some(model)) => Some(souk_integrations::llm::LlmConfig {
                base_url,
                // Ollama needs no key; `LLM_API_KEY` may be empty or unset there.
                api_key: api_key.unwrap_or_default(),
                model,
                embeddings_model: var("LLM_EMBEDDINGS_MODEL")?,
                timeout: Duration::from_millis(parsed(
                    "LLM_TIMEOUT_MS",
                    20_000,
                    "a number of milliseconds",
                )?),
            }),
            _ => {
                return Err(ConfigError {
                    variable: "LLM_BASE_URL",
                    problem: "set LLM_BASE_URL and LLM_MODEL together (and LLM_API_KEY unless the server needs none)".into(),
                });
            }
        };
        let payments_sandbox = Settings::sandbox_default(
            optional_flag("PAYMENTS_SANDBOX")?,
            stripe.is_some() || fawry.is_some(),
        );
        Ok(Self {
            redis_url,
            redis_prefix: var("REDIS_PREFIX")?.unwrap_or_else(|| "souk".into()),
            ws_read_buffer: parsed(
                "SOCKET_READ_BUFFER_BYTES",
                souk_api::DEFAULT_WS_READ_BUFFER,
                "a number of bytes",
            )?,
            payments_sandbox,
            max_amount,
            chat_send_rate,
            fcm_credentials: var("FCM_CREDENTIALS")?,
            fcm_api_base: var("FCM_API_BASE")?,
            delivery,
            llm,
            data_key,
            data_keys_old,
            trusted_proxies: cidrs("TRUSTED_PROXIES")?,
            commission_bps,
            currency,
            stripe,
            fawry,
            host,
            port,
            database_url,
            database_max_connections: parsed("DATABASE_MAX_CONNECTIONS", 16, "a positive number")?,
            jwt_secret,
            admin,
            smtp_url,
            mail_from: var("MAIL_FROM")?.unwrap_or_else(|| "Souk <no-reply@souk.local>".into()),
            support_email: var("SUPPORT_EMAIL")?.unwrap_or_else(|| "support@souk.local".into()),
            public_url,
            cors_origins,
            rate_limit_enabled: flag("RATE_LIMIT_ENABLED", true)?,
            rate_limit_per_minute: parsed("RATE_LIMIT_PER_MINUTE", 600, "a positive number")?,
            rate_limit_auth_per_minute: parsed(
                "RATE_LIMIT_AUTH_PER_MINUTE",
                10,
                "a positive number",
            )?,
            trust_proxy: flag("TRUST_PROXY", false)?,
            request_timeout: Duration::from_secs(parsed("REQUEST_TIMEOUT_SECS", 30, "seconds")?),
            body_limit: parsed("BODY_LIMIT_BYTES", 1024 * 1024, "a number of bytes")?,
            storage_url: var("STORAGE_URL")?,
            log_dir: PathBuf::from(var("LOG_DIR")?.unwrap_or_else(|| "./logs".into())),
            data_dir,
        })
    }
}
