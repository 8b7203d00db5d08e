//! Tests: lifecycle (issue 3).
