//! [`Core`]: the handle every use-case hangs off — database, settings,
//! integrations and the outbox wake-up.

use std::sync::Arc;

use souk_db::Db;
use souk_integrations::{
    mail::Mailer,
    push::{LogPusher, Pusher},
    storage::FileStorage,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::{
    accounts::{AuthCache, JwtKeys, PasswordHasher},
    ai::runtime::AiRuntime,
    catalog::cache::CatalogCache,
    chat::limiter::SendLimiter,
    money::payments::gateways::Gateways,
    read_cache::ReadCache,
    realtime::RealtimeSlot,
    records::{JobRecord, Profile},
    settings::Settings,
    time::Clock,
};

/// Everything a use-case needs; cheap to clone.
#[derive(Clone)]
pub struct Core {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub mailer: Arc<dyn Mailer>,
    /// Push notifications (FCM when `FCM_CREDENTIALS` is set; else logged).
    pub pusher: Arc<dyn Pusher>,
    pub storage: Arc<dyn FileStorage>,
    pub passwords: PasswordHasher,
    pub jwt: JwtKeys,
    /// Poked after a commit that wrote outbox rows, so delivery starts at once.
    pub outbox_wakeup: Arc<Notify>,
    /// Session → user, valid until the next committed write.
    pub auth_cache: Arc<AuthCache>,
    /// The catalog, valid until the next committed write.
    pub catalog_cache: Arc<CatalogCache>,
    /// The configured payment gateways (the sandbox always).
    pub gateways: Arc<Gateways>,
    /// User id → profile (row, skills, portfolio), valid for one data
    /// generation (SQLite only; see `Db::data_generation`).
    pub profile_cache: Arc<ReadCache<Uuid, Arc<Profile>>>,
    /// Job id → job and contract, valid for one data generation.
    pub job_cache: Arc<ReadCache<Uuid, Arc<JobRecord>>>,
    /// Where realtime events go once the server installs its sockets.
    pub realtime: Arc<RealtimeSlot>,
    /// Each user's budget of chat messages.
    pub chat_limiter: Arc<SendLimiter>,
    /// What deadlines and due outbox rows are measured against.
    pub clock: Clock,
    /// The LLM when one is configured, and the AI sweep's clock.
    pub ai: Arc<AiRuntime>,
}

impl Core {
    /// Assembles the core from its parts.
    pub fn new(
        db: Db,
        settings: Settings,
        mailer: Arc<dyn Mailer>,
        storage: Arc<dyn FileStorage>,
        passwords: PasswordHasher,
    ) -> Self {
        let jwt = JwtKeys::new(&settings.jwt_secret);
        let gateways = Arc::new(Gateways::from_settings(&settings));
        let chat_limiter = Arc::new(SendLimiter::new(settings.chat_send_rate));
        Self {
            gateways,
            db,
            settings: Arc::new(settings),
            mailer,
            pusher: Arc::new(LogPusher),
            storage,
            passwords,
            jwt,
            outbox_wakeup: Arc::new(Notify::new()),
            auth_cache: Arc::new(AuthCache::default()),
            catalog_cache: Arc::new(CatalogCache::default()),
            profile_cache: Arc::new(ReadCache::default()),
            job_cache: Arc::new(ReadCache::default()),
            realtime: Arc::new(RealtimeSlot::default()),
            chat_limiter,
            clock: Clock::default(),
            ai: Arc::new(AiRuntime::default()),
        }
    }
}
