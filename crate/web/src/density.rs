//! The bifurcation diagram as an image: each pixel column takes the nearest value of the scan's
//! grid (`values`: η, or the scanned objective parameter), and the recorded samples of each start are binned into pixel rows and shaded by how many fall there.
//! Drawing a million samples as plotted points would take seconds on a canvas; a raster takes one
//! `putImageData`.

use eoslab_core::scans::bifurcation::Bifurcation;

/// Colours of the starts' samples (RGB), cycled when there are more starts than colours.
pub const START_COLOURS: [[u8; 3]; 4] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189]];
/// Tint of grid columns where every start diverged.
pub const DIVERGED_TINT: [u8; 3] = [253, 226, 226];

/// An opaque RGBA image of `width × height` pixels covering the grid [values.first, values.last]
/// horizontally and the sample range [y_min, y_max] vertically (top row = y_max). Columns not
/// computed yet (no runs: a scan still streaming in) stay white.
pub fn raster(scan: &Bifurcation, width: usize, height: usize, y_min: f64, y_max: f64) -> Vec<u8> {
    let mut rgba = vec![255u8; width * height * 4];
    let n = scan.values.len().min(scan.runs.len());
    if n == 0 || width == 0 || height == 0 || y_max <= y_min {
        return rgba;
    }
    let mut counts = vec![0u32; height];
    for c in 0..width {
        let i = if width == 1 { 0 } else { ((c as f64 / (width - 1) as f64) * (n - 1) as f64).round() as usize };
        let column = &scan.runs[i];
        if column.is_empty() {
            continue;
        }
        if column.iter().all(|run| run.diverged_at.is_some()) {
            for r in 0..height {
                put(&mut rgba, width, c, r, DIVERGED_TINT);
            }
            continue;
        }
        for (s, run) in column.iter().enumerate() {
            counts.iter_mut().for_each(|k| *k = 0);
            for &y in &run.samples {
                let r = ((y_max - y) / (y_max - y_min) * height as f64).floor();
                if r >= 0.0 && r < height as f64 {
                    counts[r as usize] += 1;
                }
            }
            let total = run.samples.len().max(1) as f64;
            let colour = START_COLOURS[s % START_COLOURS.len()];
            for (r, &k) in counts.iter().enumerate() {
                if k > 0 {
                    // A lone sample of a chaotic band still shows; a period-p point is solid.
                    let alpha = (0.35 + 0.65 * (k as f64 * 8.0 / total).min(1.0)).min(1.0);
                    blend(&mut rgba, width, c, r, colour, alpha);
                }
            }
        }
    }
    rgba
}

/// The range of all recorded samples, padded by 5%; `None` when nothing was recorded.
pub fn sample_range(scan: &Bifurcation) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for y in scan.runs.iter().flatten().flat_map(|run| &run.samples) {
        lo = lo.min(*y);
        hi = hi.max(*y);
    }
    if lo > hi {
        return None;
    }
    let pad = 0.05 * (hi - lo).max(1e-9);
    Some((lo - pad, hi + pad))
}

fn put(rgba: &mut [u8], width: usize, c: usize, r: usize, rgb: [u8; 3]) {
    let o = 4 * (r * width + c);
    rgba[o..o + 3].copy_from_slice(&rgb);
    rgba[o + 3] = 255;
}

fn blend(rgba: &mut [u8], width: usize, c: usize, r: usize, rgb: [u8; 3], alpha: f64) {
    let o = 4 * (r * width + c);
    for k in 0..3 {
        let under = rgba[o + k] as f64;
        rgba[o + k] = (under + alpha * (rgb[k] as f64 - under)).round() as u8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::scans::bifurcation::{run_bifurcation, BifurcationSpec};

    fn scan(eta_min: f64, eta_max: f64) -> Bifurcation {
        run_bifurcation(&BifurcationSpec {
            transient: 500,
            record: 32,
            starts: Some(vec![vec![0.5], vec![-0.5]]),
            ..BifurcationSpec::over_eta(eta_min, eta_max, 11)
        })
        .unwrap()
    }

    #[test]
    fn fixed_points_land_on_the_rows_of_plus_and_minus_one() {
        // η ∈ [0.2, 0.8]: every run converges to ±1, so exactly two rows are coloured.
        let s = scan(0.2, 0.8);
        let (lo, hi) = sample_range(&s).unwrap();
        assert!((lo + 1.1).abs() < 1e-9 && (hi - 1.1).abs() < 1e-9, "{lo} {hi}");
        let (w, h) = (20, 110);
        let img = raster(&s, w, h, lo, hi);
        let row_of = |y: f64| ((hi - y) / (hi - lo) * h as f64).floor() as usize;
        for c in 0..w {
            let coloured: Vec<usize> = (0..h).filter(|&r| img[4 * (r * w + c)..4 * (r * w + c) + 3] != [255, 255, 255]).collect();
            assert_eq!(coloured, vec![row_of(1.0), row_of(-1.0)], "column {c}");
            let top = 4 * (row_of(1.0) * w + c);
            assert_eq!(&img[top..top + 3], &START_COLOURS[0], "start 0.5 converges to +1, solid");
        }
    }

    #[test]
    fn columns_not_yet_computed_stay_white() {
        let mut s = scan(0.2, 0.8);
        s.runs[0].clear();
        let img = raster(&s, 11, 20, -1.1, 1.1);
        assert!((0..20).all(|r| img[4 * r * 11..4 * r * 11 + 4] == [255; 4]), "column 0 is blank");
        assert!((0..20).any(|r| img[4 * (r * 11 + 1)..4 * (r * 11 + 1) + 3] != [255; 3]), "column 1 is drawn");
    }

    #[test]
    fn a_parameter_scan_is_drawn_against_its_parameter() {
        // μ from 1 to 3 at η = 0.5: columns follow μ, while `eta` holds 0.5 in every column.
        let spec = BifurcationSpec {
            parameter: Some(eoslab_core::scans::family::ParameterRange { name: "mu".into(), min: 1.0, max: 3.0, n: 5 }),
            eta: Some(0.5),
            eta_min: None,
            eta_max: None,
            n_eta: None,
            transient: 500,
            record: 32,
            ..BifurcationSpec::over_eta(0.1, 1.0, 2)
        };
        let s = run_bifurcation(&spec).unwrap();
        assert_eq!(crate::figures::grid_range(&s.values), (1.0, 3.0));
        assert_eq!(crate::figures::parameter_label(&s), "mu (at η = 0.5)");
        let (lo, hi) = sample_range(&s).unwrap();
        let (w, h) = (5, 200);
        let img = raster(&s, w, h, lo, hi);
        // Column 0 is μ = 1: GD converges to ±√1, so the rows of ±1 are coloured, and column 2
        // (μ = 2, ημ = 1, the neutral doubling point) is not at ±1.
        let row_of = |y: f64| ((hi - y) / (hi - lo) * h as f64).floor() as usize;
        let coloured = |c: usize| (0..h).filter(|&r| img[4 * (r * w + c)..4 * (r * w + c) + 3] != [255, 255, 255]).collect::<Vec<_>>();
        assert_eq!(coloured(0), vec![row_of(1.0), row_of(-1.0)]);
        assert!(!coloured(2).contains(&row_of(1.0)) && !coloured(2).is_empty());
    }

    #[test]
    fn diverged_columns_are_tinted() {
        let s = scan(2.05, 2.5);
        assert!(sample_range(&s).is_none());
        let img = raster(&s, 4, 3, -1.0, 1.0);
        assert!(img.chunks(4).all(|p| p[..3] == DIVERGED_TINT && p[3] == 255));
    }
}
