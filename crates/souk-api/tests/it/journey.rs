//! Tests: journey (issue 3).
