//! Seeded randomness: every random draw in eoslab comes from a ChaCha8 stream seeded by a spec
//! field, so the same spec gives the same numbers on every platform (no OS entropy, which also
//! keeps the wasm build free of it).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The generator for a seed.
pub fn seeded(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// A standard normal draw by the Box–Muller transform of two uniforms (u₁ in (0, 1], so the
/// logarithm is finite), with libm's log and cos so that native and wasm draws are identical.
pub fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * libm::log(u1)).sqrt() * libm::cos(std::f64::consts::TAU * u2)
}

/// `n` independent standard normal draws.
pub fn normals(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    (0..n).map(|_| standard_normal(rng)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normals_have_mean_zero_and_unit_variance_and_repeat_per_seed() {
        let n = 200_000;
        let xs = normals(&mut seeded(7), n);
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        // Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the variance.
        assert!(mean.abs() < 4.0 * 0.0023, "mean {mean}");
        assert!((var - 1.0).abs() < 4.0 * 0.0032, "variance {var}");
        assert_eq!(normals(&mut seeded(7), 5), xs[..5].to_vec());
        assert_ne!(normals(&mut seeded(8), 5), xs[..5].to_vec());
    }
}
