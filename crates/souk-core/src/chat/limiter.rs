//! The per-user budget of chat messages (GCRA through `governor`): a burst
//! of `SendRate::messages`, refilled evenly over its window. In memory, per
//! node: a user spread over several nodes gets a budget on each, which is
//! enough to stop a flood from one client. Kept on `Core` so the REST route
//! and the socket event share it.

use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use uuid::Uuid;

use crate::settings::SendRate;

/// The limiter of message sends, keyed by sender.
pub struct SendLimiter {
    limiter: DefaultKeyedRateLimiter<Uuid>,
    clock: DefaultClock,
    calls: AtomicU64,
}

impl SendLimiter {
    /// A limiter allowing `rate`.
    pub fn new(rate: SendRate) -> Self {
        let burst = NonZeroU32::new(rate.messages).unwrap_or(NonZeroU32::MIN);
        let period = rate
            .window
            .checked_div(burst.get())
            .filter(|p| !p.is_zero())
            .unwrap_or(Duration::from_millis(1));
        let quota = Quota::with_period(period)
            .unwrap_or(Quota::per_second(burst))
            .allow_burst(burst);
        Self {
            limiter: RateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            calls: AtomicU64::new(0),
        }
    }

    /// Takes one message from `user`'s budget, or says how many whole
    /// seconds to wait (at least one) when it is spent.
    pub fn check(&self, user: Uuid) -> Result<(), u64> {
        if self.calls.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            // Forget users whose budget is full again (bounded memory).
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&user).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            let whole = wait.as_secs();
            if wait.subsec_nanos() > 0 || whole == 0 {
                whole.saturating_add(1)
            } else {
                whole
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_sender_waits() {
        let limiter = SendLimiter::new(SendRate {
            messages: 3,
            window: Duration::from_secs(30),
        });
        let user = Uuid::now_v7();
        for _ in 0..3 {
            assert_eq!(limiter.check(user), Ok(()));
        }
        let wait = limiter.check(user).err().unwrap_or_default();
        assert!((1..=10).contains(&wait), "{wait}");
        assert_eq!(limiter.check(Uuid::now_v7()), Ok(()));
    }
}
