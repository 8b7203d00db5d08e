//! Tests: notifications (issue 3).
