//! The data range of a panel with several curves, robust to a run that diverged: such a run
//! (a heavy-ball run past its threshold, a pinned run at a larger η) would otherwise set the axis
//! and flatten every other curve into a line. The range comes from the finite values of the runs
//! that did not diverge, widened to take in a diverged run only up to one decade (log axis) or
//! half the span (linear axis) beyond; where a diverged run leaves the axis it is marked.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::{err, label, DrawResult, PlotRect};
use crate::Style;

/// One curve of a panel, for its range.
#[derive(Debug, Clone, Copy)]
pub struct Curve<'a> {
    /// Its points (x, y).
    pub points: &'a [(f64, f64)],
    /// Whether its run diverged.
    pub diverged: bool,
}

/// The [lo, hi] of the values a set of values spans, if any.
fn span(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    (lo <= hi).then_some((lo, hi))
}

/// The vertical range of `curves`: of their finite values (positive ones on a log axis), from the
/// runs that did not diverge when there are any, widened to take in the diverged runs' values
/// within one decade (`log`) or half the span beyond. `None` when no value can be shown.
pub fn robust_range(curves: &[Curve], log: bool) -> Option<(f64, f64)> {
    let shown = |c: &&Curve| c.points.iter().map(|p| p.1).filter(move |v| v.is_finite() && (!log || *v > 0.0)).collect::<Vec<f64>>();
    let settled: Vec<f64> = curves.iter().filter(|c| !c.diverged).flat_map(|c| shown(&c)).collect();
    let diverged: Vec<f64> = curves.iter().filter(|c| c.diverged).flat_map(|c| shown(&c)).collect();
    let Some((lo, hi)) = span(settled.iter().copied()) else {
        return span(diverged.into_iter());
    };
    let (floor, ceiling) = if log { (lo / 10.0, hi * 10.0) } else { (lo - 0.5 * (hi - lo), hi + 0.5 * (hi - lo)) };
    let within = diverged.into_iter().filter(|v| (floor..=ceiling).contains(v));
    span(within.chain([lo, hi]))
}

/// Marks each diverged curve where it first leaves the plot's vertical range: a small triangle on
/// the edge it leaves by, labelled "diverged".
pub fn diverged_marks<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, r: &PlotRect, curves: &[Curve], s: Style) -> DrawResult<()> {
    for c in curves.iter().filter(|c| c.diverged) {
        let Some(&(x, y)) = c.points.iter().find(|p| !(p.1 >= r.y_min && p.1 <= r.y_max)) else {
            continue;
        };
        let px = r.pixel(x, r.y_min).0.round() as i32;
        if px < r.left || px > r.right {
            continue;
        }
        let up = y >= r.y_min || y.is_nan();
        let (edge, tip) = if up { (r.top + s.px(8.0) as i32, r.top) } else { (r.bottom - s.px(8.0) as i32, r.bottom) };
        let half = s.px(5.0) as i32;
        let colour = s.fg();
        area.draw(&Polygon::new(vec![(px - half, edge), (px + half, edge), (px, tip)], colour.filled())).map_err(err)?;
        let text_at = if up { (px - half - s.px(2.0) as i32, r.top) } else { (px - half - s.px(2.0) as i32, r.bottom) };
        label(area, "diverged", text_at, (HPos::Right, if up { VPos::Top } else { VPos::Bottom }), false, s)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diverged_run_does_not_set_the_range() {
        let settled = [(0.0, 1.0), (1.0, 0.01), (2.0, 1e-6)];
        let blowing_up = [(0.0, 1.0), (1.0, 5.0), (2.0, 1e3), (3.0, 1e120)];
        let curves = [Curve { points: &settled, diverged: false }, Curve { points: &blowing_up, diverged: true }];
        // Log: from 1e-6 up to the diverged run's 5 (within a decade of 1); 1e3 and 1e120 are off.
        assert_eq!(robust_range(&curves, true), Some((1e-6, 5.0)));
        // Linear: the span [1e-6, 1] widened by half: 1e3 is beyond, so the top stays at 1.
        assert_eq!(robust_range(&curves, false), Some((1e-6, 1.0)));
        // A lone diverged run keeps its whole range; NaN and ∞ never count.
        let lone = [Curve { points: &blowing_up, diverged: true }];
        assert_eq!(robust_range(&lone, true), Some((1.0, 1e120)));
        let odd = [(0.0, f64::NAN), (1.0, f64::INFINITY), (2.0, 3.0), (3.0, -1.0)];
        assert_eq!(robust_range(&[Curve { points: &odd, diverged: false }], true), Some((3.0, 3.0)));
        assert_eq!(robust_range(&[Curve { points: &odd, diverged: false }], false), Some((-1.0, 3.0)));
        assert_eq!(robust_range(&[], true), None);
    }
}
