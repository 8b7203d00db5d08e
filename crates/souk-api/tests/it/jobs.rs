//! Tests: jobs (issue 3).
