//! Tests: catalog (issue 3).
