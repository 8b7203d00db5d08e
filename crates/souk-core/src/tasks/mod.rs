//! Micro-tasks (seed 003): a buyer posts a small task for many workers and
//! funds it up front (`required workers × payable amount` into the task's
//! own escrow account); workers submit proof once each while slots remain;
//! the buyer approves (the worker is paid from the task's escrow, less the
//! commission fixed at posting) or rejects with a reason (the slot
//! reopens); undecided submissions are approved automatically after
//! `taskAutoApproveDays`; a rejected worker may appeal once within 7 days.
//! Deleting or expiry refunds what is neither paid nor owed to a pending
//! submission. Both sides see the other's record (approval rates, decision
//! time, ratings of buyers).

pub mod decide;
pub mod due;
pub mod lifecycle;
pub mod money;
pub mod post;
pub mod read;
pub mod stats;
pub mod submit;
