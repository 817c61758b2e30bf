//! Retries: which failures are retried, how long to wait, and why a retry never repeats a side
//! effect silently.
//!
//! Many Authlete calls are POSTs with effects (issuing a token, creating a client). A failure is
//! retried by default only when the request cannot have been processed, or when the method is
//! idempotent:
//!
//! | failure | GET, PUT, DELETE | POST (default) |
//! |---|---|---|
//! | connection not established (refused, DNS, TLS handshake): nothing was sent | retried | retried |
//! | HTTP/2 `REFUSED_STREAM` or graceful `GOAWAY`: the server refused the stream unprocessed | retried | retried |
//! | 429 Too Many Requests, 503 Service Unavailable: the server refused the request | retried | retried |
//! | 502 Bad Gateway, 504 Gateway Timeout: a proxy failed; the API server may have processed it | retried | not retried |
//! | timeout, connection reset after the request was sent | retried | not retried |
//! | any other status (400, 401, 403, 404, 500, ...) | not retried | not retried |
//!
//! [`RetryPolicy::statuses`] decides which statuses are retried at all; the rule of the table
//! still applies to each: a listed status other than 408, 429 and 503 (which say the request was
//! not processed) is retried for a POST only with [`RetryPolicy::retry_non_idempotent`], which
//! retries the ambiguous POST failures too, for callers that know their operation is safe to
//! repeat. `Retry-After` (seconds or an HTTP-date) is
//! honored; a wait longer than the policy's maximum delay ends the retries instead.

use super::error::{Error, RetrySafety};
use std::time::{Duration, SystemTime};

/// How a failed call is retried. The default: 3 attempts, exponential backoff from 200 ms with
/// jitter, at most 10 s between attempts, statuses 429, 502, 503 and 504, connection errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: bool,
    statuses: Vec<u16>,
    connection_errors: bool,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            jitter: true,
            statuses: vec![429, 502, 503, 504],
            connection_errors: true,
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles for each further one.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts. A `Retry-After` asking for longer ends the retries.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Randomize each wait between half and all of it (on by default), so clients that failed
    /// together do not retry together.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The HTTP statuses that are retried (default 429, 502, 503, 504), replacing the list: any
    /// status can be listed, for example 500 or 408. For a POST, a status other than 408, 429
    /// and 503 is retried only with [`retry_non_idempotent`](Self::retry_non_idempotent).
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.statuses = statuses.into_iter().collect();
        self
    }

    /// Whether connection errors (nothing was sent) are retried.
    pub fn connection_errors(mut self, retry: bool) -> Self {
        self.connection_errors = retry;
        self
    }

    /// Also retry failures after which a POST may have been processed (502, 504, timeouts,
    /// resets). Only for operations that are safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// The attempts in all, the first included.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempt + 1`, or `None` when `error` after attempt `attempt` is
    /// not to be retried.
    pub(crate) fn delay(&self, attempt: u32, error: &Error, idempotent: bool) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let safety = match error {
            Error::Api(_) | Error::UnexpectedResponse(_) => {
                let status = error.status()?;
                if !self.statuses.contains(&status) {
                    return None;
                }
                // A listed status is retried; whether a POST may be repeated after it still
                // depends on whether the server can have processed the request.
                match error.retry_safety() {
                    RetrySafety::Safe => RetrySafety::Safe,
                    _ => RetrySafety::IfIdempotent,
                }
            }
            Error::Transport(t) if t.is_connect() && !self.connection_errors => return None,
            Error::Transport(_) => error.retry_safety(),
            _ => return None,
        };
        match safety {
            RetrySafety::Safe => {}
            RetrySafety::IfIdempotent if idempotent || self.non_idempotent => {}
            _ => return None,
        }
        if let Some(wait) = error.retry_after() {
            return (wait <= self.max_backoff).then_some(wait);
        }
        let exponent = (attempt - 1).min(20);
        let backoff = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        Some(if self.jitter {
            jittered(backoff)
        } else {
            backoff
        })
    }
}

/// Between half and all of `backoff`.
fn jittered(backoff: Duration) -> Duration {
    let half = backoff / 2;
    half + Duration::from_nanos(fastrand::u64(
        0..=half.as_nanos().min(u64::MAX as u128) as u64,
    ))
}

/// `Retry-After`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(parse_retry_after(&earlier, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::default()
            .jitter(false)
            .max_attempts(10)
            .max_backoff(Duration::from_secs(1));
        let error = Error::test_status(503, None);
        let delays: Vec<_> = (1..6)
            .map(|a| policy.delay(a, &error, false).unwrap().as_millis())
            .collect();
        assert_eq!(delays, vec![200, 400, 800, 1000, 1000]);
    }

    #[test]
    fn jitter_stays_between_half_and_all() {
        for _ in 0..100 {
            let d = jittered(Duration::from_millis(400));
            assert!(
                d >= Duration::from_millis(200) && d <= Duration::from_millis(400),
                "{d:?}"
            );
        }
    }

    #[test]
    fn post_is_not_retried_after_an_ambiguous_failure() {
        let policy = RetryPolicy::default();
        assert!(policy
            .delay(1, &Error::test_status(502, None), false)
            .is_none());
        assert!(policy
            .delay(1, &Error::test_status(502, None), true)
            .is_some());
        assert!(policy
            .delay(1, &Error::test_status(503, None), false)
            .is_some());
        assert!(policy
            .retry_non_idempotent(true)
            .delay(1, &Error::test_status(504, None), false)
            .is_some());
    }

    #[test]
    fn attempts_and_statuses_limit_retries() {
        let policy = RetryPolicy::default();
        assert!(policy
            .delay(3, &Error::test_status(503, None), true)
            .is_none());
        assert!(policy
            .delay(1, &Error::test_status(400, None), true)
            .is_none());
        assert!(policy
            .delay(1, &Error::test_status(500, None), true)
            .is_none());
        assert!(RetryPolicy::none()
            .delay(1, &Error::test_status(503, None), true)
            .is_none());
    }

    #[test]
    fn listed_statuses_are_authoritative() {
        let policy = RetryPolicy::default().statuses([500, 408]);
        assert!(
            policy
                .delay(1, &Error::test_status(500, None), true)
                .is_some(),
            "500 listed: a GET is retried"
        );
        assert!(
            policy
                .delay(1, &Error::test_status(500, None), false)
                .is_none(),
            "a POST may have been processed"
        );
        assert!(policy
            .clone()
            .retry_non_idempotent(true)
            .delay(1, &Error::test_status(500, None), false)
            .is_some());
        assert!(
            policy
                .delay(1, &Error::test_status(408, None), false)
                .is_some(),
            "408: not processed"
        );
        assert!(
            policy
                .delay(1, &Error::test_status(503, None), true)
                .is_none(),
            "503 is no longer listed"
        );
    }

    #[test]
    fn retry_after_longer_than_the_maximum_ends_retries() {
        let policy = RetryPolicy::default().max_backoff(Duration::from_secs(5));
        assert_eq!(
            policy.delay(1, &Error::test_status(429, Some("2")), false),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay(1, &Error::test_status(429, Some("60")), false),
            None
        );
    }
}
