//! HTTP-level tests of the whole application, driven the way clients drive it.
//! Every test runs on SQLite, or on PostgreSQL when `SOUK_TEST_DATABASE_URL`
//! points at a server (a fresh database per test).
#![allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "tests: a panic is a failed test, and casts are of small known values"
)]

mod support;

mod admin;
mod ai;
mod auth;
mod bookings;
mod budgets;
mod catalog;
mod chat;
mod craftsmen;
mod delivery;
mod disputes;
mod edge;
mod events;
mod gateways;
mod hardening;
mod integrators;
mod jobs;
mod journey;
mod ledger;
mod lifecycle;
mod moderation;
mod money;
mod notifications;
mod offerings;
mod openapi;
mod realtime;
mod recovery;
mod reviews;
mod schedule;
mod search;
mod tasks;
mod users;
mod verification;
