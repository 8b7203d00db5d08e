//! Outside-world integrations for Souk: outgoing mail, push notifications, file storage,
//! image processing, payment gateways' HTTP APIs and outbound webhooks,
//! each behind a small trait or plain functions so the rest of the code base stays testable.

pub mod images;
pub mod llm;
pub mod mail;
pub mod payments;
pub mod push;
pub mod storage;
pub mod webhook_http;

pub use images::{
    ImageError, ImageKind, ProcessedImage, fit_within, sniff_image, square_thumbnail,
};
pub use mail::{FileMailer, Mailer, OutgoingMail, SmtpMailer};
pub use push::{FcmPusher, LogPusher, PushMessage, PushOutcome, Pusher};
pub use storage::{FileStorage, StoredFile, storage_from_url};
