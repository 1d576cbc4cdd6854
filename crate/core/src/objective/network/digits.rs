//! The `digits` data set: 8×8 images of handwritten digits (UCI Optical Recognition of
//! Handwritten Digits, CC BY 4.0, as shipped in scikit-learn), 1,000 images, 100 of each class,
//! embedded from `crate/core/data/digits.txt` (source, licence and format in
//! `crate/core/data/README.md`).
//!
//! Normalisation: each pixel count (0–16) is divided by 16, then each of the 64 pixels is centred
//! by its mean over the images in use. Pixels are not divided by their standard deviation: the
//! corner pixels are nearly always 0, and scaling them up would turn a few stray strokes into
//! large inputs.

use super::data::Dataset;
use crate::error::{Result, SpecError};

/// Number of images shipped.
pub const DIGITS_AVAILABLE: usize = 1_000;
/// Pixels per image.
pub const DIGITS_PIXELS: usize = 64;
/// Number of classes.
pub const DIGITS_CLASSES: usize = 10;

const DIGITS_TXT: &str = include_str!("../../../data/digits.txt");

/// The first `n` images (n ≤ [`DIGITS_AVAILABLE`]), normalised (module docs), with their labels
/// as classes and one-hot regression targets.
pub fn digits(n: usize) -> Result<Dataset> {
    let corrupt =
        |line: usize| SpecError::new("objective.dataset", format!("internal error: embedded digits data is corrupt at line {}", line + 1));
    if n > DIGITS_AVAILABLE {
        return Err(SpecError::new("objective.n", format!("the digits set has {DIGITS_AVAILABLE} images (got n = {n})")));
    }
    let mut inputs = vec![0.0; DIGITS_PIXELS * n];
    let mut labels = Vec::with_capacity(n);
    for (i, line) in DIGITS_TXT.lines().take(n).enumerate() {
        let (label, pixels) = line.split_once(' ').ok_or_else(|| corrupt(i))?;
        let label: usize = label.parse().ok().filter(|&l| l < DIGITS_CLASSES).ok_or_else(|| corrupt(i))?;
        if pixels.len() != DIGITS_PIXELS {
            return Err(corrupt(i));
        }
        for (k, c) in pixels.chars().enumerate() {
            let count = c.to_digit(17).ok_or_else(|| corrupt(i))?;
            inputs[k * n + i] = f64::from(count) / 16.0;
        }
        labels.push(label);
    }
    if labels.len() != n {
        return Err(corrupt(labels.len()));
    }
    for row in inputs.chunks_exact_mut(n.max(1)) {
        let mean = row.iter().sum::<f64>() / n as f64;
        for x in row {
            *x -= mean;
        }
    }
    let mut values = vec![0.0; DIGITS_CLASSES * n];
    for (i, &label) in labels.iter().enumerate() {
        values[label * n + i] = 1.0;
    }
    Ok(Dataset { inputs, input_dim: DIGITS_PIXELS, n, values, outputs: DIGITS_CLASSES, classes: Some((labels, DIGITS_CLASSES)) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_images_parse_balanced_and_centred() {
        let d = digits(DIGITS_AVAILABLE).unwrap();
        let (labels, classes) = d.classes.as_ref().unwrap();
        assert_eq!(*classes, 10);
        for c in 0..10 {
            assert_eq!(labels.iter().filter(|&&l| l == c).count(), 100);
        }
        for row in d.inputs.chunks_exact(d.n) {
            assert!(row.iter().sum::<f64>().abs() < 1e-10);
        }
        // The first two images of the source file are a 0 and a 1 whose top rows are
        // 0 0 5 13 9 1 0 0 and 0 0 0 12 13 5 0 0; centred over the two, pixel k of the first is
        // (x₀ − x₁)/2 with x = count/16.
        assert_eq!(labels[..2], [0, 1]);
        let two = digits(2).unwrap();
        let (zero, one) = ([0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 12.0, 13.0, 5.0, 0.0, 0.0]);
        for k in 0..8 {
            assert_eq!(two.inputs[k * 2], (zero[k] - one[k]) / 32.0, "pixel {k}");
            assert_eq!(two.inputs[k * 2 + 1], -two.inputs[k * 2]);
        }
        assert_eq!(digits(1_001).unwrap_err().field, "objective.n");
    }
}
