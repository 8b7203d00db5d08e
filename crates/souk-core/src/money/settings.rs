//! Money settings staff change at runtime (`GET|PUT /api/admin/settings`):
//! commission, automatic approval, withdrawals, bonuses, the cash-debt limit,
//! the cancellation policy, tips and the currency. Stored as one JSON value;
//! read inside the transaction that uses them.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, EntityTrait, Set, sea_query::OnConflict};
use serde::{Deserialize, Serialize};
use souk_db::entities::platform_settings;
use uuid::Uuid;

use super::amount;
use crate::{
    Settings,
    ai::weights::AiWeights,
    error::{FieldErrors, FieldIssue, Result},
    marketplace::JobStatus,
    time,
};

const KEY: &str = "money";
/// Basis points in 100%.
pub const BPS: i32 = 10_000;

/// Signup bonus per role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct SignupBonus {
    pub client: i64,
    pub craftsman: i64,
}

/// Every money setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MoneySettings {
    /// Commission when the category sets none, in basis points (500 = 5%).
    pub commission_bps: i32,
    /// Days after work is submitted before Souk approves it itself.
    pub auto_approve_days: i64,
    /// Smallest withdrawal, minor units.
    pub withdrawal_minimum: i64,
    /// Withdrawal fee: a share (basis points) plus a fixed part.
    pub withdrawal_fee_bps: i32,
    pub withdrawal_fee_fixed: i64,
    /// Credit a new account receives, per role.
    pub signup_bonus: SignupBonus,
    /// Above this much unpaid commission a craftsman cannot quote.
    pub cash_debt_limit: i64,
    /// Days between reminders while commission is owed.
    pub fee_reminder_days: i64,
    /// Platform fee on tips, basis points.
    pub tip_fee_bps: i32,
    /// When the client cancels after hire: the craftsman's share of the
    /// escrow (basis points) by the job's status at cancellation; the rest
    /// goes back to the client. Statuses not listed refund in full.
    pub cancellation_share_bps: BTreeMap<String, i32>,
    /// ISO currency of every amount.
    pub currency: String,
    /// Days after completion during which each side may review the other
    /// (reviews stay blind until both are in or this window closes).
    pub review_window_days: i64,
    /// Hours the other party of a dispute has to respond.
    pub dispute_response_hours: i64,
    /// Hours a settlement proposal in a dispute stays open.
    pub settlement_proposal_hours: i64,
    /// Days after a verification's decision before its documents are deleted.
    pub verification_retention_days: i64,
    /// Only verified craftsmen may publish offerings.
    pub offerings_require_verification: bool,
    /// How far ahead an offering can be booked, in days.
    pub booking_horizon_days: i64,
    /// Hours a provider has to answer a booking request before it expires.
    pub booking_response_hours: i64,
    /// A booking cancelled by its client at least this many hours before
    /// its start is free; later, the provider gets `booking_late_share_bps`
    /// of the escrow. Fixed on each booking when it is made.
    pub booking_free_cancel_hours: i64,
    pub booking_late_share_bps: i32,
    /// The provider's share of the escrow when they mark the client absent.
    pub booking_no_show_share_bps: i32,
    /// Days after which a micro-task submission nobody decided is approved.
    pub task_auto_approve_days: i64,
    /// How much each recommendation factor counts.
    pub ai_weights: AiWeights,
    /// Days an AI call's prompt is kept in the AI log before it is blanked.
    pub ai_prompt_retention_days: i64,
}

impl MoneySettings {
    /// The defaults, from the start-up settings.
    pub fn defaults(settings: &Settings) -> Self {
        Self {
            commission_bps: settings.commission_bps,
            auto_approve_days: 7,
            withdrawal_minimum: 5_000,
            withdrawal_fee_bps: 0,
            withdrawal_fee_fixed: 0,
            signup_bonus: SignupBonus::default(),
            cash_debt_limit: 50_000,
            fee_reminder_days: 3,
            tip_fee_bps: 0,
            cancellation_share_bps: BTreeMap::from([
                (JobStatus::OnTheWay.as_str().to_owned(), 1_000),
                (JobStatus::InProgress.as_str().to_owned(), 3_000),
            ]),
            currency: settings.currency.clone(),
            review_window_days: 14,
            dispute_response_hours: 72,
            settlement_proposal_hours: 48,
            verification_retention_days: 30,
            offerings_require_verification: false,
            booking_horizon_days: 60,
            booking_response_hours: 24,
            booking_free_cancel_hours: 24,
            booking_late_share_bps: 5_000,
            booking_no_show_share_bps: 10_000,
            task_auto_approve_days: 3,
            ai_weights: AiWeights::default(),
            ai_prompt_retention_days: 30,
        }
    }

    /// The craftsman's share when the client cancels from `status`.
    pub fn cancellation_share(&self, status: JobStatus) -> i32 {
        self.cancellation_share_bps
            .get(status.as_str())
            .copied()
            .unwrap_or(0)
    }

    /// The fee on a withdrawal of `amount`.
    pub fn withdrawal_fee(&self, amount: i64) -> Result<i64> {
        amount::add(
            share(amount, self.withdrawal_fee_bps)?,
            self.withdrawal_fee_fixed,
        )
    }

    /// Field-by-field problems.
    /// Money amounts may not exceed `max_amount` (`MAX_AMOUNT`).
    pub fn validate(&self, max_amount: i64) -> Result<()> {
        let mut errors = FieldErrors::new();
        let bps = |errors: &mut FieldErrors, name: &str, value: i32| {
            if !(0..=BPS).contains(&value) {
                errors.add(
                    name,
                    FieldIssue::OutOfRange {
                        min: 0.0,
                        max: f64::from(BPS),
                    },
                );
            }
        };
        let amount = |errors: &mut FieldErrors, name: &str, value: i64, max: i64| {
            if !(0..=max).contains(&value) {
                errors.add(name, FieldIssue::out_of_range(0, max));
            }
        };
        let big = max_amount;
        bps(&mut errors, "commissionBps", self.commission_bps);
        bps(&mut errors, "withdrawalFeeBps", self.withdrawal_fee_bps);
        bps(&mut errors, "tipFeeBps", self.tip_fee_bps);
        amount(&mut errors, "autoApproveDays", self.auto_approve_days, 365);
        if self.auto_approve_days < 1 {
            errors.add(
                "autoApproveDays",
                FieldIssue::OutOfRange {
                    min: 1.0,
                    max: 365.0,
                },
            );
        }
        amount(&mut errors, "feeReminderDays", self.fee_reminder_days, 365);
        if self.fee_reminder_days < 1 {
            errors.add(
                "feeReminderDays",
                FieldIssue::OutOfRange {
                    min: 1.0,
                    max: 365.0,
                },
            );
        }
        amount(
            &mut errors,
            "withdrawalMinimum",
            self.withdrawal_minimum,
            big,
        );
        amount(
            &mut errors,
            "withdrawalFeeFixed",
            self.withdrawal_fee_fixed,
            big,
        );
        amount(&mut errors, "cashDebtLimit", self.cash_debt_limit, big);
        amount(
            &mut errors,
            "signupBonus.client",
            self.signup_bonus.client,
            big,
        );
        amount(
            &mut errors,
            "signupBonus.craftsman",
            self.signup_bonus.craftsman,
            big,
        );
        for (status, value) in &self.cancellation_share_bps {
            let field = format!("cancellationShareBps.{status}");
            match JobStatus::parse(status) {
                Some(s) if CANCELLABLE_AFTER_HIRE.contains(&s) => bps(&mut errors, &field, *value),
                _ => errors.add(
                    field,
                    FieldIssue::OneOf(CANCELLABLE_AFTER_HIRE.iter().map(|s| s.as_str()).collect()),
                ),
            }
        }
        let ranged = |errors: &mut FieldErrors, name: &str, value: i64, max: i64| {
            if !(1..=max).contains(&value) {
                errors.add(name, FieldIssue::out_of_range(1, max));
            }
        };
        ranged(&mut errors, "reviewWindowDays", self.review_window_days, 90);
        ranged(
            &mut errors,
            "disputeResponseHours",
            self.dispute_response_hours,
            720,
        );
        ranged(
            &mut errors,
            "bookingHorizonDays",
            self.booking_horizon_days,
            730,
        );
        ranged(
            &mut errors,
            "bookingResponseHours",
            self.booking_response_hours,
            168,
        );
        if !(0..=720).contains(&self.booking_free_cancel_hours) {
            errors.add("bookingFreeCancelHours", FieldIssue::out_of_range(0, 720));
        }
        bps(
            &mut errors,
            "bookingLateShareBps",
            self.booking_late_share_bps,
        );
        bps(
            &mut errors,
            "bookingNoShowShareBps",
            self.booking_no_show_share_bps,
        );
        ranged(
            &mut errors,
            "taskAutoApproveDays",
            self.task_auto_approve_days,
            30,
        );
        ranged(
            &mut errors,
            "verificationRetentionDays",
            self.verification_retention_days,
            3650,
        );
        ranged(
            &mut errors,
            "settlementProposalHours",
            self.settlement_proposal_hours,
            720,
        );
        ranged(
            &mut errors,
            "aiPromptRetentionDays",
            self.ai_prompt_retention_days,
            3650,
        );
        self.ai_weights.validate(&mut errors);
        let currency_ok =
            self.currency.len() == 3 && self.currency.chars().all(|c| c.is_ascii_uppercase());
        if !currency_ok {
            errors.add("currency", FieldIssue::Invalid);
        }
        errors.into_result()
    }
}

/// The statuses a client may cancel from once hired.
const CANCELLABLE_AFTER_HIRE: &[JobStatus] =
    &[JobStatus::Hired, JobStatus::OnTheWay, JobStatus::InProgress];

/// `amount` × `bps` / 10 000, rounded half up.
///
/// In i128 the product cannot overflow, and for the 0 ..= 10 000 basis
/// points that every stored rate is validated to be, the share is at most
/// `amount`; outside them, an internal error rather than a truncated value.
pub fn share(amount: i64, bps: i32) -> Result<i64> {
    i128::from(amount)
        .checked_mul(i128::from(bps))
        .and_then(|product| product.checked_add(5_000))
        .map(|rounded| rounded.div_euclid(10_000))
        .and_then(|share| i64::try_from(share).ok())
        .ok_or_else(|| amount::overflow("share in basis points"))
}

/// The current settings (defaults where never saved).
pub async fn load(conn: &impl ConnectionTrait, settings: &Settings) -> Result<MoneySettings> {
    let row = platform_settings::Entity::find_by_id(KEY.to_owned())
        .one(conn)
        .await?;
    from_stored(row.map(|r| r.value).as_deref(), settings)
}

/// The key of the settings row in `platform_settings`, for statements that
/// read it along with other things.
pub const ROW_KEY: &str = KEY;

/// The settings from the stored JSON (`None`: never saved, the defaults).
pub fn from_stored(stored: Option<&str>, settings: &Settings) -> Result<MoneySettings> {
    let defaults = MoneySettings::defaults(settings);
    Ok(match stored {
        Some(stored) => {
            // Missing fields take their defaults (settings saved by an older version).
            let mut value = serde_json::to_value(&defaults).map_err(anyhow::Error::from)?;
            let saved: serde_json::Value =
                serde_json::from_str(stored).map_err(anyhow::Error::from)?;
            if let (Some(base), Some(saved)) = (value.as_object_mut(), saved.as_object()) {
                for (k, v) in saved {
                    base.insert(k.clone(), v.clone());
                }
            }
            serde_json::from_value(value).map_err(anyhow::Error::from)?
        }
        None => defaults,
    })
}

/// Saves the settings (already validated).
pub async fn save(conn: &impl ConnectionTrait, value: &MoneySettings, by: Uuid) -> Result<()> {
    let json = serde_json::to_string(value).map_err(anyhow::Error::from)?;
    platform_settings::Entity::insert(platform_settings::ActiveModel {
        key: Set(KEY.to_owned()),
        value: Set(json),
        updated_by: Set(Some(by)),
        updated_at: Set(time::now()),
    })
    .on_conflict(
        OnConflict::column(platform_settings::Column::Key)
            .update_columns([
                platform_settings::Column::Value,
                platform_settings::Column::UpdatedBy,
                platform_settings::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The settings with the per-category commissions.
#[derive(Debug, Clone)]
pub struct SettingsView {
    pub money: MoneySettings,
    /// Category slug → commission override (basis points).
    pub category_commission_bps: BTreeMap<String, i32>,
}

async fn category_overrides(conn: &impl ConnectionTrait) -> Result<BTreeMap<String, i32>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(souk_db::entities::services::Entity::find()
        .filter(souk_db::entities::services::Column::CommissionBps.is_not_null())
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.slug, s.commission_bps?)))
        .collect())
}

/// `GET /api/admin/settings`.
pub async fn view(
    core: &crate::Core,
    caller: &crate::accounts::Authenticated,
) -> Result<SettingsView> {
    caller.require_admin()?;
    let conn = core.db.conn();
    Ok(SettingsView {
        money: load(conn, &core.settings).await?,
        category_commission_bps: category_overrides(conn).await?,
    })
}

/// `PUT /api/admin/settings`: any subset of the fields, plus
/// `categoryCommissionBps: {slug-or-id: bps | null}`.
pub async fn update(
    core: &crate::Core,
    caller: &crate::accounts::Authenticated,
    patch: serde_json::Value,
) -> Result<SettingsView> {
    use sea_orm::{ActiveModelTrait, PaginatorTrait};
    caller.require_admin()?;
    let serde_json::Value::Object(mut patch) = patch else {
        return Err(crate::error::ErrorCode::InvalidJson.into());
    };
    let categories = patch.remove("categoryCommissionBps");
    let txn = core.db.begin_write().await?.without_account_changes();
    let current = load(&*txn, &core.settings).await?;
    let mut merged = serde_json::to_value(&current).map_err(anyhow::Error::from)?;
    let mut errors = FieldErrors::new();
    if let Some(base) = merged.as_object_mut() {
        for (key, value) in patch {
            if base.contains_key(&key) {
                base.insert(key, value);
            } else {
                errors.add(key, FieldIssue::NotAllowed);
            }
        }
    }
    errors.into_result()?;
    let next: MoneySettings = serde_json::from_value(merged).map_err(|err| {
        crate::error::Error::Validation(FieldErrors::single(
            "settings",
            FieldIssue::InvalidType(err.to_string()),
        ))
    })?;
    next.validate(core.settings.max_amount)?;
    if next.currency != current.currency {
        let moved = souk_db::entities::ledger_entries::Entity::find()
            .count(&*txn)
            .await?;
        if moved > 0 {
            return Err(crate::error::ErrorCode::CurrencyLocked.into());
        }
    }
    let mut changed_categories = BTreeMap::new();
    let mut errors = FieldErrors::new();
    if let Some(categories) = categories {
        let serde_json::Value::Object(categories) = categories else {
            return Err(crate::error::Error::Validation(FieldErrors::single(
                "categoryCommissionBps",
                FieldIssue::Invalid,
            )));
        };
        for (key, value) in categories {
            let field = format!("categoryCommissionBps.{key}");
            let bps = match value {
                serde_json::Value::Null => None,
                serde_json::Value::Number(n) => {
                    match n.as_i64().and_then(|v| i32::try_from(v).ok()) {
                        Some(v) if (0..=BPS).contains(&v) => Some(v),
                        _ => {
                            errors.add(
                                field,
                                FieldIssue::OutOfRange {
                                    min: 0.0,
                                    max: f64::from(BPS),
                                },
                            );
                            continue;
                        }
                    }
                }
                _ => {
                    errors.add(field, FieldIssue::InvalidType("number or null".into()));
                    continue;
                }
            };
            let found = match crate::catalog::services::ServiceRef::parse(&key) {
                Some(reference) => crate::catalog::services::find(&*txn, &reference).await?,
                None => None,
            };
            match found {
                Some(service) => {
                    changed_categories.insert(service.slug.clone(), bps);
                    let mut active: souk_db::entities::services::ActiveModel = service.into();
                    active.commission_bps = Set(bps);
                    active.updated_at = Set(time::now());
                    active.update(&*txn).await?;
                }
                None => errors.add(field, FieldIssue::Invalid),
            }
        }
        errors.into_result()?;
    }
    save(&*txn, &next, caller.user.id).await?;
    crate::admin::activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.update_settings",
        "settings",
        Some(KEY.to_owned()),
        serde_json::json!({ "settings": next, "categoryCommissionBps": changed_categories }),
    )
    .await?;
    let view = SettingsView {
        money: next,
        category_commission_bps: category_overrides(&*txn).await?,
    };
    txn.commit().await?;
    Ok(view)
}
