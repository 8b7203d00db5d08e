//! Offerings and bookings: the provider's time kept as local wall time in
//! an IANA zone and expanded per local date ([`availability`], the schedule
//! in [`schedule`]), priced services ([`offerings`]) and their free slots
//! ([`slots`]), searched near a point or by a free date ([`finder`]), and bookings — made ([`book`]), moved through their
//! lifecycle ([`lifecycle`], [`moves`]), rescheduled ([`reschedule`]),
//! expired and reminded ([`due`]), read ([`read`]) and fed to calendars
//! ([`calendar`]). An accepted booking is a hired job with a contract, so
//! escrow, tips, chat, reviews and disputes work for it as for any job.

pub mod availability;
pub mod book;
pub mod calendar;
pub mod due;
pub mod finder;
pub mod lifecycle;
pub mod moves;
pub mod offerings;
pub mod open_slots;
pub mod read;
pub mod reschedule;
pub mod schedule;
pub mod slots;
pub mod tell;
