//! Response types of money (camelCase JSON; amounts in minor units).

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::money::{escrow::EscrowView, fees::FeesDue, wallet};
use souk_db::{
    entities::{credit_packages, payments, withdrawals},
    enums::{EscrowStatus, PaymentStatus, WithdrawalStatus},
};
use utoipa::ToSchema;
use uuid::Uuid;

/// `GET /api/wallet/balance`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceResponse {
    /// Spendable now.
    pub available: i64,
    /// In escrow the user funded, or in withdrawals awaiting payout.
    pub held: i64,
    /// Commission owed from cash jobs.
    pub fee_debt: i64,
    pub currency: String,
}

impl From<wallet::Balance> for BalanceResponse {
    fn from(b: wallet::Balance) -> Self {
        Self {
            available: b.available,
            held: b.held,
            fee_debt: b.fee_debt,
            currency: b.currency,
        }
    }
}

/// What a statement line points at.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    pub contract_id: Option<Uuid>,
    pub payment_id: Option<Uuid>,
    pub withdrawal_id: Option<Uuid>,
}

/// One line of the wallet statement.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransactionResponse {
    pub id: i64,
    pub entry_id: Uuid,
    /// deposit | escrow_fund | escrow_release | fee | refund | tip | withdrawal | payout | bonus | adjustment
    #[serde(rename = "type")]
    pub kind: String,
    /// credit (money in) | debit (money out)
    pub direction: &'static str,
    /// Always positive.
    pub amount: i64,
    pub balance_after: i64,
    pub currency: String,
    pub reference: Reference,
    pub memo: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl TransactionResponse {
    pub fn new(line: wallet::Line, currency: &str) -> Self {
        Self {
            id: line.id,
            entry_id: line.entry_id,
            kind: line.kind,
            direction: if line.amount >= 0 { "credit" } else { "debit" },
            amount: line.amount.abs(),
            balance_after: line.balance_after,
            currency: currency.to_owned(),
            reference: Reference {
                contract_id: line.contract_id,
                payment_id: line.payment_id,
                withdrawal_id: line.withdrawal_id,
            },
            memo: line.memo,
            created_at: line.created_at,
        }
    }
}

/// A gateway payment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResponse {
    #[serde(rename = "paymentId")]
    pub id: Uuid,
    /// sandbox | stripe | fawry
    pub gateway: String,
    /// top_up | escrow | tip | fees
    pub purpose: String,
    pub status: PaymentStatus,
    /// What the payer pays.
    pub amount: i64,
    /// What the wallet receives (a package may add to it).
    pub credit: i64,
    pub currency: String,
    pub contract_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    /// Where the payer pays (sandbox, Stripe).
    pub checkout_url: Option<String>,
    /// The code to pay at a Fawry outlet.
    pub reference_code: Option<String>,
    pub failure_reason: Option<String>,
    /// Sent back to the card so far.
    pub refunded: i64,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl From<payments::Model> for PaymentResponse {
    fn from(p: payments::Model) -> Self {
        Self {
            id: p.id,
            gateway: p.gateway,
            purpose: p.purpose,
            status: p.status,
            amount: p.amount,
            credit: p.credit,
            currency: p.currency,
            contract_id: p.contract_id,
            package_id: p.package_id,
            checkout_url: p.checkout_url,
            reference_code: p.reference_code,
            failure_reason: p.failure_reason,
            refunded: p.refunded,
            created_at: p.created_at,
            completed_at: p.completed_at,
        }
    }
}

/// A credit package.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PackageResponse {
    pub id: Uuid,
    pub name_en: String,
    pub name_ar: String,
    /// In the request's language.
    pub name: String,
    /// What it costs.
    pub price: i64,
    /// What the wallet receives.
    pub credit: i64,
    pub currency: String,
    pub active: bool,
    pub sort_order: i32,
}

impl PackageResponse {
    pub fn new(p: credit_packages::Model, arabic: bool, currency: &str) -> Self {
        Self {
            id: p.id,
            name: if arabic {
                p.name_ar.clone()
            } else {
                p.name_en.clone()
            },
            name_en: p.name_en,
            name_ar: p.name_ar,
            price: p.price,
            credit: p.credit,
            currency: currency.to_owned(),
            active: p.active,
            sort_order: p.sort_order,
        }
    }
}

/// A withdrawal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawalResponse {
    pub id: Uuid,
    pub user_id: Uuid,
    /// Taken from the wallet.
    pub amount: i64,
    pub fee: i64,
    /// What the payee receives.
    pub net: i64,
    pub currency: String,
    /// bank_transfer | mobile_wallet | stripe | sandbox
    pub method: String,
    pub destination: String,
    pub status: WithdrawalStatus,
    pub reason: Option<String>,
    pub payout_reference: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<withdrawals::Model> for WithdrawalResponse {
    fn from(w: withdrawals::Model) -> Self {
        Self {
            id: w.id,
            user_id: w.user_id,
            net: w.amount - w.fee,
            amount: w.amount,
            fee: w.fee,
            currency: w.currency,
            method: w.method,
            destination: w.destination,
            status: w.status,
            reason: w.reason,
            payout_reference: w.payout_reference,
            reviewed_at: w.reviewed_at,
            created_at: w.created_at,
        }
    }
}

/// A contract's escrow.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EscrowResponse {
    pub contract_id: Uuid,
    pub job_id: Uuid,
    /// The agreed price (what funding puts in).
    pub amount: i64,
    /// The commission fixed at hire.
    pub fee: i64,
    pub fee_bps: i32,
    /// What the escrow holds now.
    pub held: i64,
    /// Paid to the craftsman so far (net of commission).
    pub released: i64,
    /// Returned to the client so far.
    pub refunded: i64,
    pub currency: String,
    /// escrow | cash | cash_protected
    pub payment_type: String,
    pub status: EscrowStatus,
    pub funded_at: Option<DateTime<Utc>>,
}

impl From<EscrowView> for EscrowResponse {
    fn from(v: EscrowView) -> Self {
        Self {
            contract_id: v.contract.id,
            job_id: v.contract.job_id,
            amount: v.contract.price,
            fee: v.contract.platform_fee,
            fee_bps: v.contract.fee_bps,
            held: v.held,
            released: v.released,
            refunded: v.refunded,
            currency: v.contract.currency,
            payment_type: v.contract.payment_type,
            status: v.contract.escrow_status,
            funded_at: v.contract.funded_at,
        }
    }
}

/// One commission from a cash job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeeLineResponse {
    pub contract_id: Option<Uuid>,
    pub amount: i64,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/wallet/fees-due`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeesDueResponse {
    /// Owed now.
    pub amount: i64,
    /// Above this, quoting is blocked.
    pub limit: i64,
    pub quoting_blocked: bool,
    pub currency: String,
    /// The latest commissions posted.
    pub recent: Vec<FeeLineResponse>,
}

impl From<FeesDue> for FeesDueResponse {
    fn from(f: FeesDue) -> Self {
        Self {
            amount: f.amount,
            limit: f.limit,
            quoting_blocked: f.quoting_blocked,
            currency: f.currency,
            recent: f
                .recent
                .into_iter()
                .map(|l| FeeLineResponse {
                    contract_id: l.contract_id,
                    amount: l.amount,
                    created_at: l.at,
                })
                .collect(),
        }
    }
}
