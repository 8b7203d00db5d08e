//! Tests: craftsmen (issue 3).
