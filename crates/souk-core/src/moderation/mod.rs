//! The moderation queue: what members reported (reviews, messages, job
//! posts), grouped by what was reported, oldest first, and staff's answer
//! to each — hide it (a review leaves the rating, a message becomes a
//! tombstone, a job is taken down with its escrow refunded), dismiss the
//! reports, or ban the author and hide it. Admins and moderators both work
//! it; every answer is in the activity log.

pub mod queue;
pub mod report_job;
pub mod resolve;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Review,
    Message,
    Job,
}

impl ReportKind {
    /// Every kind.
    pub const ALL: [ReportKind; 3] = [ReportKind::Review, ReportKind::Message, ReportKind::Job];

    /// The word sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Review => "review",
            ReportKind::Message => "message",
            ReportKind::Job => "job",
        }
    }

    /// The word as a kind.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == word)
    }
}
