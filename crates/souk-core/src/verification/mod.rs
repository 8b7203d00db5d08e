//! Craftsman verification (KYC), handled as Stripe handles identity
//! documents: a craftsman submits documents (national ID, certificates,
//! licences: PDF, JPEG or PNG, ≤ 10 MB, recognised from their bytes); each
//! is sealed with AES-256-GCM under the data key before it reaches storage
//! ([`crate::sealed`]), opened only for its owner and for staff (each staff
//! download in the activity log); staff approve or reject; the craftsman's
//! `verificationStatus` follows, and they are told either way. Some days
//! after the decision the documents are deleted; the decision stays.

pub mod decide;
pub mod documents;
pub mod keys;
pub mod lifecycle;
pub mod read;
pub mod submit;

/// The kinds of document.
pub const DOC_TYPES: [&str; 4] = ["national_id", "certificate", "license", "other"];
/// Most documents in one submission.
pub const MAX_DOCUMENTS: usize = 5;
/// Largest document, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
