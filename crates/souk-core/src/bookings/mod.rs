//! Offerings and bookings (issue 17), starting with the provider's time:
//! availability kept as local wall time in an IANA zone and expanded per
//! local date ([`availability`]), and the schedule craftsmen keep
//! (`GET|PUT /api/users/me/schedule`, [`schedule`]). Offerings, slots and
//! bookings build on these.

pub mod availability;
pub mod offerings;
pub mod schedule;
pub mod slots;
