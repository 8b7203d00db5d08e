//! Stored notifications, written with the change that causes them.
