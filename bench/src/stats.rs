//! Repeated measurements: min, median and max, never a single number.

use serde::Serialize;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
    pub runs: usize,
}

impl Spread {
    /// Of values in any unit.
    pub fn of(mut values: Vec<f64>) -> Spread {
        assert!(!values.is_empty(), "no measurements");
        values.sort_by(|a, b| a.total_cmp(b));
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Spread {
            min: values[0],
            median,
            max: values[n - 1],
            runs: n,
        }
    }

    /// Seconds, formatted `median (min–max)` with a sensible unit.
    pub fn seconds(&self) -> String {
        format!(
            "{} ({}–{})",
            duration(self.median),
            duration(self.min),
            duration(self.max)
        )
    }
}

pub fn duration(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.2} s")
    } else if seconds >= 1e-3 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.1} µs", seconds * 1e6)
    }
}

/// Runs `f` `runs` times and returns the wall time of each, in seconds.
pub fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<f64> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed().as_secs_f64()
        })
        .collect()
}

pub fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(Spread::of(vec![3.0, 1.0, 2.0]).median, 2.0);
        let s = Spread::of(vec![4.0, 1.0, 2.0, 3.0]);
        assert_eq!((s.min, s.median, s.max, s.runs), (1.0, 2.5, 4.0, 4));
    }
}
