//! The booking events people hear about, with their texts in English and
//! Arabic. Times are shown in the provider's zone, as the booking's local
//! times are. Moves after acceptance are the booked job's moves and are
//! told as such (`job_status`).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Lang;

/// What happened to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingWhat {
    /// A client asked for a booking (to the provider).
    Requested,
    /// Booked instantly: accepted without the provider's answer (to the provider).
    Booked,
    /// The provider accepted (to the client).
    Accepted,
    Declined,
    /// Nobody answered in time (to both).
    Expired,
    /// Cancelled before the provider answered (to the provider).
    Withdrawn,
    /// The provider marked the client absent (to the client).
    NoShow,
    /// A new time was proposed (to the other side).
    RescheduleProposed,
    /// The new time was accepted (to the side that proposed).
    Rescheduled,
    /// The new time was declined (to the side that proposed).
    RescheduleDeclined,
    /// It starts in a day.
    ReminderDay,
    /// It starts in an hour.
    ReminderHour,
}

/// A booking event for one person.
#[derive(Debug, Clone)]
pub struct BookingEvent {
    pub what: BookingWhat,
    pub booking: Uuid,
    pub title: String,
    /// The start as the provider's local time (`2027-03-15 09:00`) and zone.
    pub local_start: String,
    pub time_zone: String,
}

impl BookingEvent {
    /// The notification's `kind`.
    pub fn kind(&self) -> &'static str {
        match self.what {
            BookingWhat::Requested => "booking_requested",
            BookingWhat::Booked => "booking_booked",
            BookingWhat::Accepted => "booking_accepted",
            BookingWhat::Declined => "booking_declined",
            BookingWhat::Expired => "booking_expired",
            BookingWhat::Withdrawn => "booking_withdrawn",
            BookingWhat::NoShow => "booking_no_show",
            BookingWhat::RescheduleProposed => "booking_reschedule_proposed",
            BookingWhat::Rescheduled => "booking_rescheduled",
            BookingWhat::RescheduleDeclined => "booking_reschedule_declined",
            BookingWhat::ReminderDay | BookingWhat::ReminderHour => "booking_reminder",
        }
    }

    /// The structured payload clients use to navigate.
    pub fn data(&self) -> Value {
        let lead = match self.what {
            BookingWhat::ReminderDay => Some(24),
            BookingWhat::ReminderHour => Some(1),
            _ => None,
        };
        json!({ "bookingId": self.booking, "startsInHours": lead })
    }

    /// Title and body in a language.
    pub fn render(&self, lang: Lang) -> (String, String) {
        let BookingEvent {
            what,
            title,
            local_start,
            time_zone,
            ..
        } = self;
        let when = format!("{local_start} ({time_zone})");
        let (en_title, en_body, ar_title, ar_body) = match what {
            BookingWhat::Requested => (
                "New booking request",
                format!("“{title}” was requested for {when}. Accept or decline it."),
                "طلب حجز جديد",
                format!("طُلب «{title}» في {when}. اقبله أو ارفضه."),
            ),
            BookingWhat::Booked => (
                "New booking",
                format!("“{title}” was booked for {when}."),
                "حجز جديد",
                format!("تم حجز «{title}» في {when}."),
            ),
            BookingWhat::Accepted => (
                "Booking confirmed",
                format!("Your booking of “{title}” for {when} is confirmed."),
                "تم تأكيد الحجز",
                format!("تم تأكيد حجزك لـ«{title}» في {when}."),
            ),
            BookingWhat::Declined => (
                "Booking declined",
                format!("Your booking of “{title}” for {when} was declined."),
                "تم رفض الحجز",
                format!("تم رفض حجزك لـ«{title}» في {when}."),
            ),
            BookingWhat::Expired => (
                "Booking request expired",
                format!("The request for “{title}” at {when} was not answered in time."),
                "انتهت صلاحية طلب الحجز",
                format!("لم يتم الرد على طلب «{title}» في {when} في الوقت المحدد."),
            ),
            BookingWhat::Withdrawn => (
                "Booking request withdrawn",
                format!("The client withdrew the request for “{title}” at {when}."),
                "تم سحب طلب الحجز",
                format!("سحب العميل طلب «{title}» في {when}."),
            ),
            BookingWhat::NoShow => (
                "Marked as a no-show",
                format!("The provider marked you absent for “{title}” at {when}."),
                "تم تسجيل عدم الحضور",
                format!("سجّل مقدم الخدمة عدم حضورك لـ«{title}» في {when}."),
            ),
            BookingWhat::RescheduleProposed => (
                "New time proposed",
                format!("A new time was proposed for “{title}”: {when}."),
                "تم اقتراح موعد جديد",
                format!("تم اقتراح موعد جديد لـ«{title}»: {when}."),
            ),
            BookingWhat::Rescheduled => (
                "Booking rescheduled",
                format!("“{title}” now starts at {when}."),
                "تم تغيير موعد الحجز",
                format!("أصبح موعد «{title}» في {when}."),
            ),
            BookingWhat::RescheduleDeclined => (
                "New time declined",
                format!("The new time for “{title}” was declined; it stays at {when}."),
                "تم رفض الموعد الجديد",
                format!("تم رفض الموعد الجديد لـ«{title}»؛ يبقى الموعد {when}."),
            ),
            BookingWhat::ReminderDay => (
                "Booking tomorrow",
                format!("“{title}” starts in 24 hours, at {when}."),
                "حجز غدًا",
                format!("يبدأ «{title}» بعد 24 ساعة، في {when}."),
            ),
            BookingWhat::ReminderHour => (
                "Booking in an hour",
                format!("“{title}” starts in an hour, at {when}."),
                "حجز بعد ساعة",
                format!("يبدأ «{title}» بعد ساعة، في {when}."),
            ),
        };
        if lang == Lang::Ar {
            (ar_title.to_owned(), ar_body)
        } else {
            (en_title.to_owned(), en_body)
        }
    }
}
