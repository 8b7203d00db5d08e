//! Seed 000's job chat (`/api/jobs/{jobId}/messages`): the conversation of
//! a job's contract, for its two parties, and for staff only while the job
//! is disputed. A contract hired before chat existed (or by a node on older
//! code) gets its conversation on first access.

use uuid::Uuid;

use super::{
    access::{Access, Key, Viewer, load},
    open,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, Result},
    marketplace::jobs,
};
use souk_db::enums::JobStatus;

/// The conversation of job `job_id`'s contract (seed 000's job chat): its
/// two parties; staff only while the job is disputed. A job without a
/// contract has none yet (409 `no_contract`); one hired before chat
/// existed gets its conversation now.
pub async fn conversation(core: &Core, caller: &Authenticated, job_id: Uuid) -> Result<Access> {
    let record = jobs::record(core, job_id).await?;
    let job = &record.job;
    let me = caller.user.id;
    let party = job.client_id == me || job.craftsman_id == Some(me);
    let viewer = if party {
        Viewer::Participant
    } else if caller.role.is_staff() && job.status == JobStatus::Disputed {
        Viewer::Staff
    } else {
        return Err(ErrorCode::NotAParty.into());
    };
    let Some(contract) = &record.contract else {
        return Err(ErrorCode::NoContract.into());
    };
    let conversation = match load(core.db.conn(), Key::Job(job_id)).await? {
        Some(found) => found,
        None => {
            let txn = core.db.begin_write().await?.without_account_changes();
            open::open_for_contract(&*txn, open::ContractParties::of(contract)).await?;
            let found = load(&*txn, Key::Job(job_id)).await?;
            txn.commit().await?;
            found
                .ok_or_else(|| Error::Internal(anyhow::anyhow!("contract conversation missing")))?
        }
    };
    Ok(Access {
        conversation,
        viewer,
        caller: me,
    })
}
