//! The basin map as an image (paper 004 Fig. 2): one colour per class of
//! [`eoslab_core::scans::basin::CLASSES`], converged starts shaded by which known minimiser they reached,
//! and rows not computed yet left transparent while the map streams in.
//!
//! The image covers the grid with each start at the centre of its cell: the plot spans
//! [x_min − h/2, x_max + h/2] for a grid step h ([`cell_range`]), so the pixel under a click maps
//! back to the start it shows by rounding.

use eoslab_core::scans::basin::{Basin, Class};

/// The class colours (RGB), in the order of the class codes: stable convergence, unstable
/// convergence, periodic, bounded non-periodic, diverged.
pub const CLASS_COLOURS: [[u8; 3]; 5] = [[66, 133, 214], [240, 140, 30], [46, 160, 67], [150, 90, 190], [225, 225, 225]];

/// How much of the class colour each known minimiser keeps (index mod 4): starts reaching
/// different minima differ in shade.
pub const MINIMIZER_SHADES: [f64; 4] = [1.0, 0.62, 0.82, 0.5];

/// The colour of one point.
pub fn colour(class: u8, minimizer: i32) -> [u8; 3] {
    let base = CLASS_COLOURS[(class as usize).min(CLASS_COLOURS.len() - 1)];
    let converged = class == Class::StableConvergence as u8 || class == Class::UnstableConvergence as u8;
    if !converged || minimizer < 0 {
        return base;
    }
    let k = MINIMIZER_SHADES[minimizer as usize % MINIMIZER_SHADES.len()];
    base.map(|c| (c as f64 * k).round() as u8)
}

/// The span of an axis' cells: the grid from `first` to `last` with `n` points, widened by half a
/// step on each side (by ½ for a grid of one point).
pub fn cell_range(first: f64, last: f64, n: usize) -> (f64, f64) {
    let half = if n > 1 { (last - first) / (n - 1) as f64 / 2.0 } else { 0.5 };
    (first - half, last + half)
}

/// The cell of an axis of `n` cells spanning `range` under the coordinate `u`, clamped to the grid.
pub fn cell_of(u: f64, range: (f64, f64), n: usize) -> usize {
    let f = ((u - range.0) / (range.1 - range.0) * n as f64).floor();
    if f.is_nan() || f < 0.0 {
        0
    } else {
        (f as usize).min(n - 1)
    }
}

/// An RGBA image of `width × height` pixels of the map's rows marked in `filled` (the others
/// transparent: rows arrive from several workers in any order); the top pixel row is the largest
/// y. Each pixel shows the cell under its centre.
pub fn raster(map: &Basin, filled: &[bool], width: usize, height: usize) -> Vec<u8> {
    let (nx, ny) = (map.x.len(), map.y.len());
    let mut rgba = vec![0u8; width * height * 4];
    if nx == 0 || ny == 0 {
        return rgba;
    }
    let column: Vec<usize> = (0..width).map(|c| ((c as f64 + 0.5) / width as f64 * nx as f64) as usize).collect();
    for r in 0..height {
        let j = ny - 1 - (((r as f64 + 0.5) / height as f64 * ny as f64) as usize).min(ny - 1);
        if !filled.get(j).copied().unwrap_or(false) {
            continue;
        }
        for (c, &i) in column.iter().enumerate() {
            let p = j * nx + i.min(nx - 1);
            let rgb = colour(map.points.class[p], map.points.minimizer[p]);
            let o = 4 * (r * width + c);
            rgba[o..o + 3].copy_from_slice(&rgb);
            rgba[o + 3] = 255;
        }
    }
    rgba
}

#[cfg(test)]
mod tests {
    use super::*;
    use eoslab_core::objective::{ObjectiveSpec, ParamValue};
    use eoslab_core::scans::basin::{run_basin, BasinSpec};

    fn f4_map(n: usize) -> Basin {
        let f4 = ObjectiveSpec::new("unstable_convergence", &[("which", ParamValue::Text("f4".into()))]);
        run_basin(&BasinSpec::new(f4, 0.4, (-2.0, 2.0), (-2.0, 2.0), n)).unwrap()
    }

    #[test]
    fn each_pixel_shows_the_start_at_the_centre_of_its_cell() {
        let map = f4_map(5);
        let range = cell_range(-2.0, 2.0, 5);
        assert_eq!(range, (-2.5, 2.5));
        // Pixel centres map to the cell whose grid point is nearest: the grid point itself maps
        // to its own cell, and so does anything within half a step of it.
        for (i, &x) in map.x.iter().enumerate() {
            assert_eq!(cell_of(x, range, 5), i);
            assert_eq!(cell_of(x + 0.49, range, 5), i);
            assert_eq!(cell_of(x - 0.49, range, 5), i);
        }
        assert_eq!((cell_of(-9.0, range, 5), cell_of(9.0, range, 5), cell_of(f64::NAN, range, 5)), (0, 4, 0));
        // A 10 × 10 image of the 5 × 5 map: 2 × 2 pixels per cell, row 0 at the top (y = 2).
        let img = raster(&map, &[true; 5], 10, 10);
        for r in 0..10 {
            for c in 0..10 {
                let (i, j) = (c / 2, 4 - r / 2);
                let p = j * 5 + i;
                let o = 4 * (r * 10 + c);
                assert_eq!(img[o..o + 3], colour(map.points.class[p], map.points.minimizer[p]), "pixel ({c}, {r})");
                assert_eq!(img[o + 3], 255);
            }
        }
    }

    #[test]
    fn rows_not_computed_are_transparent_and_minima_are_told_apart() {
        let map = f4_map(20);
        let mut filled = [false; 20];
        filled[..3].fill(true);
        filled[10] = true;
        let img = raster(&map, &filled, 20, 20);
        // Grid rows 0..3 are the bottom three pixel rows, grid row 10 is pixel row 9.
        let opaque = |r: usize| img[4 * 20 * r..4 * 20 * (r + 1)].chunks(4).all(|p| p[3] == 255);
        let clear = |r: usize| img[4 * 20 * r..4 * 20 * (r + 1)].iter().all(|&b| b == 0);
        assert!((0..20).all(|r| if [9, 17, 18, 19].contains(&r) { opaque(r) } else { clear(r) }));
        // f₄'s two minima ±(a, a) get different shades of the same class colour.
        let stable = Class::StableConvergence as u8;
        assert_ne!(colour(stable, 0), colour(stable, 1));
        assert_eq!(colour(stable, -1), CLASS_COLOURS[0]);
        assert_eq!(colour(Class::Diverged as u8, 1), CLASS_COLOURS[4]);
    }
}
