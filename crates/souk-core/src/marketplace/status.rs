//! Job statuses, with the spellings of the source documents accepted on input.

use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Posted,
    Quoted,
    Hired,
    OnTheWay,
    InProgress,
    WorkSubmitted,
    Completed,
    Cancelled,
    Disputed,
}

impl JobStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [JobStatus; 9] = [
        JobStatus::Posted,
        JobStatus::Quoted,
        JobStatus::Hired,
        JobStatus::OnTheWay,
        JobStatus::InProgress,
        JobStatus::WorkSubmitted,
        JobStatus::Completed,
        JobStatus::Cancelled,
        JobStatus::Disputed,
    ];

    /// The snake_case word.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Posted => "posted",
            JobStatus::Quoted => "quoted",
            JobStatus::Hired => "hired",
            JobStatus::OnTheWay => "on_the_way",
            JobStatus::InProgress => "in_progress",
            JobStatus::WorkSubmitted => "work_submitted",
            JobStatus::Completed => "completed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Disputed => "disputed",
        }
    }

    /// Parses snake_case or the seeds' spellings ("On The Way", "InProgress",
    /// "Canceled"), case- and space-insensitively.
    pub fn parse(word: &str) -> Option<JobStatus> {
        let key: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match key.as_str() {
            "posted" | "open" => JobStatus::Posted,
            "quoted" => JobStatus::Quoted,
            "hired" | "accepted" => JobStatus::Hired,
            "ontheway" => JobStatus::OnTheWay,
            "inprogress" | "started" => JobStatus::InProgress,
            "worksubmitted" | "submitted" => JobStatus::WorkSubmitted,
            "completed" | "complete" | "done" => JobStatus::Completed,
            "cancelled" | "canceled" => JobStatus::Cancelled,
            "disputed" => JobStatus::Disputed,
            _ => return None,
        })
    }

    /// Open for quotes.
    pub fn is_open(self) -> bool {
        matches!(self, JobStatus::Posted | JobStatus::Quoted)
    }

    /// Hired and not finished.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            JobStatus::Hired
                | JobStatus::OnTheWay
                | JobStatus::InProgress
                | JobStatus::WorkSubmitted
        )
    }

    /// Reads a stored word (unknown words read as cancelled, never panic).
    pub fn from_db(word: &str) -> JobStatus {
        JobStatus::parse(word).unwrap_or(JobStatus::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_spellings_are_accepted() {
        assert_eq!(JobStatus::parse("On The Way"), Some(JobStatus::OnTheWay));
        assert_eq!(JobStatus::parse("on_the_way"), Some(JobStatus::OnTheWay));
        assert_eq!(JobStatus::parse("Accepted"), Some(JobStatus::Hired));
        assert_eq!(JobStatus::parse("IN PROGRESS"), Some(JobStatus::InProgress));
        assert_eq!(JobStatus::parse("Canceled"), Some(JobStatus::Cancelled));
        assert_eq!(JobStatus::parse("flying"), None);
        for status in JobStatus::ALL {
            assert_eq!(JobStatus::parse(status.as_str()), Some(status));
        }
    }
}
