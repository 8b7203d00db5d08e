//! A craftsman's response time: the median minutes from a client's first
//! message to the craftsman's first reply, over the contract conversations
//! whose first reply came in the last 90 days. Public profiles show it
//! (`responseTimeMinutes`) without computing it per read: it is kept on the
//! user row and refreshed in the transaction of each first reply. (A
//! figure with no reply for 90 days stays until the next one.)

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access::{Access, Viewer};
use crate::error::Result;

/// A contract conversation's clock, as its locked row holds it when a
/// message is numbered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    pub client_first_message_at: Option<DateTime<Utc>>,
    pub craftsman_first_reply_at: Option<DateTime<Utc>>,
}

/// How far back first replies count.
const WINDOW_DAYS: i64 = 90;

/// Keeps a contract conversation's clock as a message is written: the
/// client's first message starts it, the craftsman's first message after
/// that stops it and refreshes their figure. True when the craftsman's
/// user row changed.
pub async fn on_message(
    conn: &impl ConnectionTrait,
    access: &Access,
    clock: Clock,
    now: DateTime<Utc>,
) -> Result<bool> {
    let Some(job) = &access.conversation.job else {
        return Ok(false);
    };
    if access.viewer != Viewer::Participant {
        return Ok(false);
    }
    let me = access.caller;
    let id = access.id();
    if me == job.client_id && clock.client_first_message_at.is_none() {
        execute(
            conn,
            "UPDATE conversations SET client_first_message_at = $1 \
             WHERE id = $2 AND client_first_message_at IS NULL",
            vec![now.into(), id.into()],
        )
        .await?;
        return Ok(false);
    }
    if job.craftsman_id == Some(me)
        && clock.client_first_message_at.is_some()
        && clock.craftsman_first_reply_at.is_none()
    {
        execute(
            conn,
            "UPDATE conversations SET craftsman_first_reply_at = $1 \
             WHERE id = $2 AND craftsman_first_reply_at IS NULL",
            vec![now.into(), id.into()],
        )
        .await?;
        refresh(conn, me, now).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Recomputes and stores `craftsman`'s figure.
pub async fn refresh(
    conn: &impl ConnectionTrait,
    craftsman: Uuid,
    now: DateTime<Utc>,
) -> Result<Option<i32>> {
    let since = now
        .checked_sub_signed(chrono::Duration::days(WINDOW_DAYS))
        .unwrap_or(now);
    let rows = conn
        .query_all_raw(souk_db::sql_text::statement(
            conn,
            "SELECT c.client_first_message_at AS asked, c.craftsman_first_reply_at AS answered \
             FROM conversations c JOIN jobs j ON j.id = c.job_id \
             WHERE j.craftsman_id = $1 AND c.craftsman_first_reply_at >= $2 \
             AND c.client_first_message_at IS NOT NULL",
            [craftsman.into(), since.into()],
        ))
        .await?;
    let mut waits = Vec::with_capacity(rows.len());
    for row in rows {
        let asked: DateTime<Utc> = row.try_get("", "asked")?;
        let answered: DateTime<Utc> = row.try_get("", "answered")?;
        waits.push(answered.signed_duration_since(asked).num_seconds().max(0));
    }
    let minutes = median_minutes(waits);
    execute(
        conn,
        "UPDATE users SET response_time_minutes = $1 WHERE id = $2",
        vec![minutes.into(), craftsman.into()],
    )
    .await?;
    Ok(minutes)
}

/// The median of waits in seconds, in whole minutes (rounded); `None`
/// without any.
pub fn median_minutes(mut seconds: Vec<i64>) -> Option<i32> {
    seconds.sort_unstable();
    let middle = seconds.len() / 2;
    let upper = *seconds.get(middle)?;
    let median = if seconds.len() % 2 == 1 {
        upper
    } else {
        let lower = *seconds.get(middle.checked_sub(1)?)?;
        lower.checked_add(upper)? / 2
    };
    let minutes = median.checked_add(30)? / 60;
    Some(i32::try_from(minutes).unwrap_or(i32::MAX))
}

async fn execute(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<()> {
    conn.execute_raw(souk_db::sql_text::statement(conn, sql, values))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::median_minutes;

    #[test]
    fn the_median_is_the_middle_wait_or_the_mean_of_the_two_middle_ones() {
        assert_eq!(median_minutes(vec![]), None);
        assert_eq!(median_minutes(vec![600]), Some(10));
        assert_eq!(median_minutes(vec![3000, 600, 1800]), Some(30));
        assert_eq!(median_minutes(vec![600, 1800]), Some(20));
        assert_eq!(median_minutes(vec![89]), Some(1));
        assert_eq!(median_minutes(vec![29]), Some(0));
    }
}
