//! Builds the core from configuration: database, secret, mailer, storage.

use std::{path::Path, sync::Arc};

use anyhow::Context;
use rand::RngCore;
use souk_core::{
    Core, Settings,
    accounts::{PasswordHasher, Role, register},
    admin::users,
};
use souk_db::{Db, entities::users as user_rows};
use souk_integrations::{
    mail::{FileMailer, Mailer, SmtpMailer},
    storage::storage_from_url,
};

use crate::config::{Config, redact_url};

/// Connects to the configured database (creating the data dir for SQLite).
pub async fn connect_db(config: &Config) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create SOUK_DATA_DIR {}", config.data_dir.display()))?;
    Db::connect(&config.database_url, config.database_max_connections)
        .await
        .with_context(|| {
            format!(
                "cannot connect to DATABASE_URL {}",
                redact_url(&config.database_url)
            )
        })
}

/// The JWT secret: from the environment, else persisted under the data dir.
fn jwt_secret(config: &Config) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &config.jwt_secret {
        return Ok(secret.as_bytes().to_vec());
    }
    let path = config.data_dir.join("jwt_secret");
    if let Ok(existing) = std::fs::read_to_string(&path)
        && existing.trim().len() >= 32
    {
        return Ok(existing.trim().as_bytes().to_vec());
    }
    let mut bytes = [0u8; 48];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret)?;
    tracing::warn!(path = %path.display(), "JWT_SECRET is not set: generated one and saved it in the data directory; set JWT_SECRET in production");
    Ok(secret.into_bytes())
}

/// The data keys: `SOUK_DATA_KEY` (and `SOUK_DATA_KEYS_OLD`), else one
/// generated once and kept under the data directory.
pub fn data_keys(config: &Config) -> anyhow::Result<souk_core::sealed::DataKeys> {
    use souk_core::sealed::{DataKey, DataKeys};
    let current = match &config.data_key {
        Some(key) => key.clone(),
        None => {
            let path = config.data_dir.join("data_key");
            match std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| DataKey::from_base64(&text))
            {
                Some(key) => key,
                None => {
                    let key = DataKey::generate();
                    std::fs::create_dir_all(&config.data_dir)?;
                    write_private(&path, &key.to_base64())?;
                    tracing::warn!(path = %path.display(), "SOUK_DATA_KEY is not set: generated one and saved it in the data directory; set SOUK_DATA_KEY in production (identity documents cannot be read without it)");
                    key
                }
            }
        }
    };
    Ok(DataKeys {
        current,
        old: config.data_keys_old.clone(),
    })
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

/// The mailer: SMTP when configured, else `.eml` files under the data dir.
pub fn mailer(config: &Config) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match &config.smtp_url {
        Some(url) => Arc::new(SmtpMailer::from_url(url, &config.mail_from).context("SMTP_URL")?),
        None => Arc::new(FileMailer::new(
            config.data_dir.join("mail"),
            &config.mail_from,
        )),
    })
}

/// Connects, migrates, seeds the starter catalog (first start only) and
/// assembles the core.
pub async fn build_core(config: &Config) -> anyhow::Result<Core> {
    let db = connect_db(config).await?;
    db.migrate().await.context("database migration failed")?;
    let seeded = souk_core::catalog::seed_default_services(&db)
        .await
        .context("seeding the service catalog failed")?;
    if seeded > 0 {
        tracing::info!(services = seeded, "starter service catalog written");
    }
    let mut settings = Settings::new(
        jwt_secret(config)?,
        config.public_url.clone(),
        config.data_dir.clone(),
    );
    settings.commission_bps = config.commission_bps;
    settings.currency = config.currency.clone();
    settings.stripe = config.stripe.clone();
    settings.fawry = config.fawry.clone();
    settings.payments_sandbox = config.payments_sandbox;
    settings.max_amount = config.max_amount;
    settings.chat_send_rate = config.chat_send_rate;
    settings.data_keys = data_keys(config)?;
    settings.delivery = config.delivery.clone();
    if config.payments_sandbox {
        let real = config.stripe.is_some() || config.fawry.is_some();
        tracing::warn!(
            real_gateway_configured = real,
            "the sandbox payment gateway is on: any signed-in user can credit their own wallet; \
             set PAYMENTS_SANDBOX=false in production"
        );
    }
    let storage = storage_from_url(
        config.storage_url.as_deref(),
        &config.data_dir.join("uploads"),
    )
    .context("STORAGE_URL")?;
    let mut core = Core::new(
        db,
        settings,
        mailer(config)?,
        storage,
        PasswordHasher::new(),
    );
    if let Some(credentials) = &config.fcm_credentials {
        let pusher = souk_integrations::push::FcmPusher::from_credentials(
            credentials,
            config.fcm_api_base.as_deref(),
        )
        .context("FCM_CREDENTIALS")?;
        tracing::info!(
            project = pusher.project_id(),
            "push notifications through FCM"
        );
        core.pusher = Arc::new(pusher);
    }
    if let Some(llm) = &config.llm {
        let model = souk_integrations::llm::OpenAiCompatible::new(llm.clone())
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("LLM_BASE_URL")?;
        tracing::info!(model = %llm.model, embeddings = ?llm.embeddings_model, "AI answers through an LLM");
        core.ai = Arc::new(souk_core::ai::runtime::AiRuntime::with_llm(Arc::new(model)));
    }
    Ok(core)
}

/// Creates or updates a staff account.
pub async fn create_staff(
    core: &Core,
    email: &str,
    password: &str,
    role: &str,
) -> anyhow::Result<user_rows::Model> {
    let role = Role::parse(role)
        .filter(|r| r.is_staff())
        .context("role must be admin or moderator")?;
    users::ensure_staff_account(core, email, password, role)
        .await
        .map_err(|err| anyhow::anyhow!("cannot create the {}: {}", role.as_str(), describe(&err)))
}

/// A domain error in plain English, for the command line.
fn describe(err: &souk_core::Error) -> String {
    use souk_core::{Error, Lang, i18n};
    match err {
        Error::Validation(fields) => fields
            .0
            .iter()
            .map(|(name, issue)| format!("{name} {}", i18n::field_message(issue, Lang::En)))
            .collect::<Vec<_>>()
            .join("; "),
        Error::Coded { code, .. } => i18n::error_message(*code, Lang::En).to_owned(),
        Error::Internal(source) => format!("{source:#}"),
    }
}

/// Demo users for a first look around.
pub async fn seed_demo(core: &Core) -> anyhow::Result<()> {
    const PASSWORD: &str = "Souk-demo-2026";
    let people = [
        (
            "client@demo.souk.local",
            "client",
            "Mona",
            "Hassan",
            "+201000000001",
            "en",
        ),
        (
            "craftsman@demo.souk.local",
            "craftsman",
            "Karim",
            "Adel",
            "+201000000002",
            "ar",
        ),
        (
            "plumber@demo.souk.local",
            "craftsman",
            "Youssef",
            "Samir",
            "+201000000003",
            "ar",
        ),
    ];
    for (email, role, first, last, phone, lang) in people {
        let input = register::RegisterInput {
            email: Some(email.into()),
            phone: Some(phone.into()),
            password: Some(PASSWORD.into()),
            role: Some(role.into()),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            language: Some(lang.into()),
        };
        let account = register::parse_registration(input, souk_core::Lang::En)
            .map_err(|e| anyhow::anyhow!(describe(&e)))?;
        if register::ensure_unique(
            core.db.conn(),
            &account.email,
            account.phone.as_deref(),
            None,
        )
        .await
        .is_err()
        {
            println!("{email} already exists");
            continue;
        }
        let hash = core
            .passwords
            .hash(PASSWORD)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let txn = core.db.begin_write().await?;
        register::create_user(&*txn, &account, hash)
            .await
            .map_err(|e| anyhow::anyhow!(describe(&e)))?;
        txn.commit().await?;
        println!("{role:10} {email}  password: {PASSWORD}");
    }
    let moderator = create_staff(core, "moderator@demo.souk.local", PASSWORD, "moderator").await?;
    println!("moderator  {}  password: {PASSWORD}", moderator.email);
    Ok(())
}
