//! The one period detector: does a sequence repeat, and with what smallest period? A bifurcation
//! run's recorded samples, the tail of a basin-map run, the tail of a trajectory being classified
//! and an orbit from Newton's method all ask it, each with its own distance and tolerance.
//!
//! A sequence x₀, x₁, … has period p when each of its first `span(p)` points returns, p steps on,
//! to within the tolerance of where it was: d(xᵢ, xᵢ₊ₚ) ≤ tol(xᵢ) for i < span(p). The caller
//! chooses the distance d (|a − b| for scalar samples, the Euclidean norm for points), the
//! tolerance (absolute or relative to xᵢ), which periods to try and how much of the sequence must
//! repeat (all of it for samples, the last p points of a run, one return of an orbit's start).

/// A distance and the tolerance on it that count two points of a sequence as the same.
pub struct Repeat<D, T> {
    /// d(xᵢ, xᵢ₊ₚ).
    pub distance: D,
    /// The largest distance from xᵢ that counts as a return to it.
    pub tolerance: T,
}

impl<D, T> Repeat<D, T> {
    /// The smallest p of `periods` (tried in order) for which x(i + p) is within the tolerance of
    /// x(i) for every i < `span(p)`; `None` when no candidate repeats.
    pub fn smallest_period<P>(
        &self,
        periods: impl IntoIterator<Item = usize>,
        span: impl Fn(usize) -> usize,
        x: impl Fn(usize) -> P,
    ) -> Option<usize>
    where
        D: Fn(&P, &P) -> f64,
        T: Fn(&P) -> f64,
    {
        periods.into_iter().find(|&p| {
            (0..span(p)).all(|i| {
                let (a, b) = (x(i), x(i + p));
                (self.distance)(&a, &b) <= (self.tolerance)(&a)
            })
        })
    }
}

/// ‖a − b‖, the Euclidean distance of two points.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

/// ‖x‖.
pub fn norm(x: &[f64]) -> f64 {
    x.iter().map(|v| v * v).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relative(tol: f64) -> Repeat<impl Fn(&f64, &f64) -> f64, impl Fn(&f64) -> f64> {
        Repeat { distance: |a: &f64, b: &f64| (b - a).abs(), tolerance: move |a: &f64| tol * (1.0 + a.abs()) }
    }

    #[test]
    fn the_smallest_repeating_period_over_the_span_is_found() {
        // 1, 2, 3, 1, 2, 3, …: period 3 (6 and 9 repeat too, but later).
        let s: Vec<f64> = (0..12).map(|i| (i % 3 + 1) as f64).collect();
        let whole = |p: usize| s.len() - p;
        assert_eq!(relative(1e-9).smallest_period(1..=6, whole, |i| s[i]), Some(3));
        // A drift of 10⁻⁶ per step breaks it at 10⁻⁹ but not at 10⁻³.
        let drift: Vec<f64> = s.iter().enumerate().map(|(i, v)| v + 1e-6 * i as f64).collect();
        assert_eq!(relative(1e-9).smallest_period(1..=6, whole, |i| drift[i]), None);
        assert_eq!(relative(1e-3).smallest_period(1..=6, whole, |i| drift[i]), Some(3));
        // Only the first span(p) points must return: the last two alone repeat with period 1.
        let tail = [5.0, 4.0, 3.0, 3.0];
        assert_eq!(relative(1e-9).smallest_period(1..=2, |_| 1, |i| tail[3 - i]), Some(1));
        assert_eq!(relative(1e-9).smallest_period(1..=2, |p| p + 1, |i| tail[3 - i]), None);
    }

    #[test]
    fn points_repeat_under_the_euclidean_distance() {
        // A 2-cycle of the plane, the second point 3-4-5 away from the first.
        let orbit = [vec![0.0, 0.0], vec![3.0, 4.0], vec![0.0, 0.0], vec![3.0, 4.0]];
        assert_eq!(distance(&orbit[0], &orbit[1]), 5.0);
        assert_eq!(norm(&orbit[1]), 5.0);
        let exact = Repeat { distance: |a: &&[f64], b: &&[f64]| distance(a, b), tolerance: |_: &&[f64]| 0.0 };
        assert_eq!(exact.smallest_period(1..=2, |_| 2, |i| orbit[i].as_slice()), Some(2));
        let loose = Repeat { distance: |a: &&[f64], b: &&[f64]| distance(a, b), tolerance: |_: &&[f64]| 5.0 };
        assert_eq!(loose.smallest_period(1..=2, |_| 2, |i| orbit[i].as_slice()), Some(1));
    }
}
