//! Outside-world integrations for Souk: outgoing mail, file storage, image processing and
//! payment gateways' HTTP APIs,
//! each behind a small trait or plain functions so the rest of the code base stays testable.

pub mod images;
pub mod mail;
pub mod payments;
pub mod storage;

pub use images::{
    ImageError, ImageKind, ProcessedImage, fit_within, sniff_image, square_thumbnail,
};
pub use mail::{FileMailer, Mailer, OutgoingMail, SmtpMailer};
pub use storage::{FileStorage, StoredFile, storage_from_url};
