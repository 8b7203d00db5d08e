//! Chat: a conversation per contract (opened at hire with both parties)
//! and direct conversations between members; messages numbered per
//! conversation (`seq` 1, 2, 3 … without gaps, assigned in the message's
//! transaction), attachments, read receipts, blocking, edits within 15
//! minutes, tombstones, reports to moderation, and each craftsman's
//! response time. The conversation log is the truth a client follows
//! (`after=<seq>`); realtime events only carry the news sooner, as outbox
//! rows written with each change. [`send`] is the one use-case behind the
//! REST route and the socket's `message:send`.

pub mod access;
pub mod attachments;
pub mod blocking;
pub mod by_job;
pub mod changes;
mod events;
pub mod history;
pub mod limiter;
pub mod list;
pub mod membership;
pub mod open;
pub mod presence;
pub mod receipts;
pub mod response_time;
pub mod send;
pub mod unread;
pub mod views;

pub use send::{NewAttachment, SendMessage, Sent, send};
