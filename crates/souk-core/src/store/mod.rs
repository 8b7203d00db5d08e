//! The store seam: every operation whose SQL differs by engine is one
//! function here, with its PostgreSQL and SQLite implementations side by
//! side; use-cases call only that function and never ask which engine they
//! run on (docs/ARCHITECTURE.md, "The store seam").

pub mod contracts;
