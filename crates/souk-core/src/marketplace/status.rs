//! Job statuses: the type lives with the column (`souk_db::enums::JobStatus`,
//! with the seeds' spellings accepted on input by `JobStatus::parse`).

pub use souk_db::enums::JobStatus;

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
