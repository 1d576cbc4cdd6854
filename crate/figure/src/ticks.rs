//! Tick positions and labels: as many as fit without their labels touching, at round values
//! (1, 2 or 5 times a power of ten; whole decades on a log axis), every label of an axis in one
//! format, and a log axis' range widened to whole decades so that its labels enclose the data.

/// A tick: its value and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Where it is, in data units.
    pub value: f64,
    /// What it reads.
    pub label: String,
}

/// A log axis' range: from the decade at or below `lo` to the decade at or above `hi` (both
/// positive), so that the first and last labels enclose the data. With `stride` k > 1 (labels on
/// every k-th decade) the ends are multiples of k decades.
pub fn decade_range(lo: f64, hi: f64, stride: i32) -> (f64, f64) {
    let k = stride.max(1) as f64;
    let below = (lo.log10() / k).floor() * k;
    let mut above = (hi.log10() / k).ceil() * k;
    if above <= below {
        above = below + k;
    }
    // A stride of many decades (a tiny plot) could put an end at 10⁻¹⁰⁰⁰ = 0 or 10¹⁰⁰⁰ = ∞.
    (10f64.powf(below.max(-MAX_DECADE)), 10f64.powf(above.min(MAX_DECADE)))
}

/// The largest decade exponent a log axis' end may have, so that 10^±e is a positive finite f64.
const MAX_DECADE: f64 = 300.0;

/// The decade exponent of a positive value, rounded to the nearest integer.
fn exponent(v: f64) -> i32 {
    v.log10().round() as i32
}

/// Ticks of a log axis over `range` (whole decades at its ends), one every `stride` decades.
/// Exponents are clamped to ±[`MAX_DECADE`], so an end at 0 or ∞ cannot make the loop run over
/// every i32.
pub fn log_ticks(range: (f64, f64), stride: i32) -> Vec<Tick> {
    let clamp = |e: i32| e.clamp(-(MAX_DECADE as i32), MAX_DECADE as i32);
    let (a, b) = (clamp(exponent(range.0)), clamp(exponent(range.1)));
    (a..=b).filter(|e| e.rem_euclid(stride.max(1)) == 0).map(|e| Tick { value: 10f64.powi(e), label: format!("1e{e}") }).collect()
}

/// The decade stride of a log axis over `decades` decades drawn `pixels` long whose labels need
/// `room` pixels each: the smallest of 1, 2, 3, 5, 10, 20, 50, … that gives every label its room.
pub fn log_stride(decades: f64, pixels: f64, room: f64) -> i32 {
    let per_decade = pixels / decades.max(1.0);
    let mut candidates = [1, 2, 3, 5].into_iter().chain((1..).flat_map(|p| [1, 2, 5].map(|m| m * 10i32.pow(p))));
    candidates.find(|&k| k as f64 * per_decade >= room || k >= 1000).unwrap_or(1000)
}

/// Round steps near `span / count`: 1, 2 and 5 times powers of ten, smallest first.
fn steps(span: f64, count: f64) -> impl Iterator<Item = f64> {
    let base = (span / count.max(1.0)).log10().floor() as i32 - 1;
    (base..base + 5).flat_map(|p| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(p)))
}

/// The multiples of `step` in [lo, hi].
fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let (first, last) = ((lo / step - 1e-9).ceil() as i64, (hi / step + 1e-9).floor() as i64);
    (first..=last).map(|k| if k == 0 { 0.0 } else { k as f64 * step }).collect()
}

/// Labels for linear ticks `values` a `step` apart, all in one format: fixed with the decimals
/// the step needs, or, when the largest magnitude is ≥ 10⁵ or < 10⁻³, mantissa and exponent of the
/// largest magnitude (`2.5e-7`), with the digits the step needs. Zero reads "0" in both.
pub fn linear_labels(values: &[f64], step: f64) -> Vec<String> {
    let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let step_exponent = (step.log10() + 1e-9).floor() as i32;
    if largest >= 1e5 || (largest > 0.0 && largest < 1e-3) {
        let e = (largest.log10() + 1e-9).floor() as i32;
        let digits = (e - step_exponent).max(0) as usize;
        let scale = 10f64.powi(e);
        return values.iter().map(|&v| if v == 0.0 { "0".into() } else { format!("{:.digits$}e{e}", v / scale) }).collect();
    }
    let decimals = (-step_exponent).max(0) as usize;
    values.iter().map(|&v| if v == 0.0 { "0".into() } else { format!("{v:.decimals$}") }).collect()
}

/// Ticks of a linear axis over `range` drawn `pixels` long: the densest round step whose labels,
/// of extent `extent(label)` pixels along the axis plus `gap`, do not touch, with at most
/// `max_count` ticks. At least the coarsest round step is returned, however little room.
pub fn linear_ticks(range: (f64, f64), pixels: f64, max_count: usize, gap: f64, extent: impl Fn(&str) -> f64) -> Vec<Tick> {
    let (lo, hi) = (range.0.min(range.1), range.0.max(range.1));
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let mut last = Vec::new();
    for step in steps(span, max_count as f64) {
        let values = multiples(lo, hi, step);
        if values.is_empty() {
            continue;
        }
        let labels = linear_labels(&values, step);
        let room = labels.iter().map(|l| extent(l)).fold(0.0, f64::max) + gap;
        let ticks: Vec<Tick> = values.into_iter().zip(labels).map(|(value, label)| Tick { value, label }).collect();
        if ticks.len() <= max_count && step / span * pixels >= room {
            return ticks;
        }
        last = ticks;
        if last.len() <= 2 {
            break;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tiny_log_axis_ends_in_finite_decades_and_few_ticks() {
        // A 60-pixel loss panel asked for a stride of 1000 decades: its range ends were 0 and ∞,
        // and the tick loop ran over every i32 (the page froze).
        let (lo, hi) = decade_range(1e-3, 1e2, 1000);
        assert!(lo > 0.0 && hi.is_finite(), "({lo}, {hi})");
        let ticks = log_ticks((lo, hi), 1000);
        assert!(ticks.len() <= 2, "{ticks:?}");
        assert_eq!(log_ticks((0.0, f64::INFINITY), 1000).len(), 1);
    }

    use super::*;

    fn labels(t: &[Tick]) -> Vec<&str> {
        t.iter().map(|t| t.label.as_str()).collect()
    }

    /// Seven pixels per character.
    fn chars(s: &str) -> f64 {
        7.0 * s.chars().count() as f64
    }

    #[test]
    fn a_log_axis_spans_whole_decades_around_the_data() {
        // The zoo's loss from 0.3 down to 4.9e-32: the labels run from 1e-32 to 1e0.
        let (lo, hi) = decade_range(4.9e-32, 0.3, 1);
        assert_eq!((exponent(lo), exponent(hi)), (-32, 0));
        assert!(lo <= 4.9e-32 && hi >= 0.3);
        let stride = log_stride(32.0, 300.0, 20.0);
        assert_eq!(stride, 3, "300 px for 32 decades, 20 px per label: every third decade");
        let (lo, hi) = decade_range(4.9e-32, 0.3, stride);
        let t = log_ticks((lo, hi), stride);
        assert_eq!(labels(&t).first(), Some(&"1e-33"));
        assert_eq!(labels(&t).last(), Some(&"1e0"));
        assert!(t.first().unwrap().value <= 4.9e-32 && t.last().unwrap().value >= 0.3);
        // One format for every label of the axis.
        assert!(t.iter().all(|t| t.label.starts_with("1e")));
        assert_eq!(decade_range(2.0, 2.0, 1), (1.0, 10.0), "a single value still gets a decade");
    }

    #[test]
    fn linear_labels_share_one_format() {
        assert_eq!(linear_labels(&[0.0, 0.5, 1.0, 1.5], 0.5), ["0", "0.5", "1.0", "1.5"]);
        assert_eq!(linear_labels(&[0.0, 50.0, 100.0], 50.0), ["0", "50", "100"]);
        // Tiny values (1e-7 next to 0.01 used to mix formats): one exponent for the whole axis.
        assert_eq!(linear_labels(&[0.0, 5e-8, 1e-7, 1.5e-7], 5e-8), ["0", "0.5e-7", "1.0e-7", "1.5e-7"]);
        assert_eq!(linear_labels(&[2e5, 4e5], 2e5), ["2e5", "4e5"]);
        assert_eq!(linear_labels(&[-0.02, 0.0, 0.02], 0.02), ["-0.02", "0", "0.02"]);
    }

    #[test]
    fn linear_ticks_are_as_dense_as_their_labels_allow() {
        // 0..200 over 400 px: labels "0".."200" need 21 + 10 px; step 20 (every 40 px) fits 11 ticks.
        let t = linear_ticks((0.0, 200.0), 400.0, 12, 10.0, chars);
        assert_eq!(labels(&t), ["0", "20", "40", "60", "80", "100", "120", "140", "160", "180", "200"]);
        // Over 100 px only every 100 fits (50 would put labels 25 px apart).
        assert_eq!(labels(&linear_ticks((0.0, 200.0), 100.0, 12, 10.0, chars)), ["0", "100", "200"]);
        // The tick count is capped.
        assert_eq!(linear_ticks((0.0, 200.0), 4000.0, 6, 10.0, chars).len(), 5);
        // Rounding noise never reaches a label: 0.1 × 3 reads 0.3, and the tick at 0 is 0.
        assert_eq!(labels(&linear_ticks((-0.05, 0.35), 400.0, 6, 10.0, chars)), ["0", "0.1", "0.2", "0.3"]);
        assert_eq!(linear_ticks((-1.0, 1.5), 400.0, 6, 10.0, chars)[2].value, 0.0);
    }
}
