//! The matrix products of an MLP's gradient, in eoslab's feature-major layout (activations are
//! features × samples, row-major; weights are fan_out × fan_in, row-major), through each GEMM
//! candidate. Per layer: the forward product Z = W·A, the weight gradient G·Aᵀ and the
//! backpropagated W ᵀ·G (not for the first layer), each into a fresh output.

/// A candidate: C (m × n, row-major) = A · B with A (m × k) and B (k × n) given by strides.
pub type Gemm = fn(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]);

pub const CANDIDATES: &[(&str, Gemm)] = &[("hand-written (eoslab today)", hand), ("matrixmultiply", mm), ("gemm", gemm_crate), ("faer", faer_crate), ("nalgebra", nalgebra_crate)];

/// (fan_in, fan_out) per layer and the number of samples.
pub const SHAPES: &[(&str, &[(usize, usize)], usize)] = &[
    ("mlp_10k: 64-100-40-10 on 1,000 samples", &[(64, 100), (100, 40), (40, 10)], 1000),
    ("mnist: 784-256-10 on 1,000 samples", &[(784, 256), (256, 10)], 1000),
];

/// eoslab's kernels before issue 12 (crate/core/src/objective/network/kernels.rs at 2863c96), for
/// comparison: each output row as a sum of rows of B (four at a time), or, when B is a transpose,
/// dot products with four partial sums. Only the layouts the network uses are handled.
fn hand(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]) {
    if csb == 1 {
        // B row-major: c_i = Σ_p a[i, p] b_p, rows of B combined four at a time (A gathered).
        let mut coef = vec![0.0; k];
        for i in 0..m {
            for (p, x) in coef.iter_mut().enumerate() {
                *x = a[i * rsa + p * csa];
            }
            let out = &mut c[i * n..(i + 1) * n];
            out.fill(0.0);
            let mut p = 0;
            while p + 4 <= k {
                let r = |q: usize| &b[q * rsb..q * rsb + n];
                let (r0, r1, r2, r3) = (r(p), r(p + 1), r(p + 2), r(p + 3));
                for j in 0..n {
                    out[j] = out[j] + coef[p] * r0[j] + coef[p + 1] * r1[j] + coef[p + 2] * r2[j] + coef[p + 3] * r3[j];
                }
                p += 4;
            }
            while p < k {
                for j in 0..n {
                    out[j] += coef[p] * b[p * rsb + j];
                }
                p += 1;
            }
        }
    } else {
        // B = Xᵀ with X row-major: c[i, j] = a_i · x_j, four partial sums.
        for i in 0..m {
            let x = &a[i * rsa..i * rsa + k];
            for j in 0..n {
                let y = &b[j * csb..j * csb + k];
                let mut acc = [0.0; 4];
                for (u, v) in x.chunks_exact(4).zip(y.chunks_exact(4)) {
                    for l in 0..4 {
                        acc[l] += u[l] * v[l];
                    }
                }
                let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
                for q in k / 4 * 4..k {
                    s += x[q] * y[q];
                }
                c[i * n + j] = s;
            }
        }
    }
}

fn mm(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]) {
    // SAFETY: the strides and sizes describe subsets of the slices (checked by `products`).
    unsafe {
        matrixmultiply::dgemm(m, k, n, 1.0, a.as_ptr(), rsa as isize, csa as isize, b.as_ptr(), rsb as isize, csb as isize, 0.0, c.as_mut_ptr(), n as isize, 1)
    }
}

fn gemm_crate(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]) {
    // SAFETY: as above.
    unsafe {
        gemm::gemm(
            m, n, k, c.as_mut_ptr(), 1, n as isize, false, a.as_ptr(), csa as isize, rsa as isize, b.as_ptr(), csb as isize, rsb as isize, 0.0, 1.0,
            false, false, false, gemm::Parallelism::None,
        )
    }
}

fn faer_crate(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]) {
    use faer::{Accum, MatMut, MatRef, Par};
    // SAFETY: as above.
    let (a, b, c) = unsafe {
        (
            MatRef::from_raw_parts(a.as_ptr(), m, k, rsa as isize, csa as isize),
            MatRef::from_raw_parts(b.as_ptr(), k, n, rsb as isize, csb as isize),
            MatMut::from_raw_parts_mut(c.as_mut_ptr(), m, n, n as isize, 1),
        )
    };
    faer::linalg::matmul::matmul(c, Accum::Replace, a, b, 1.0, Par::Seq);
}

fn nalgebra_crate(m: usize, n: usize, k: usize, a: &[f64], rsa: usize, csa: usize, b: &[f64], rsb: usize, csb: usize, c: &mut [f64]) {
    use nalgebra::{DMatrixView, DMatrixViewMut};
    let span = |r: usize, c: usize, rs: usize, cs: usize| (r - 1) * rs + (c - 1) * cs + 1;
    let a = DMatrixView::from_slice_with_strides(&a[..span(m, k, rsa, csa)], m, k, rsa, csa);
    let b = DMatrixView::from_slice_with_strides(&b[..span(k, n, rsb, csb)], k, n, rsb, csb);
    let mut c = DMatrixViewMut::from_slice_with_strides_mut(c, m, n, n, 1);
    c.gemm(1.0, &a, &b, 0.0);
}

/// Buffers of one shape: inputs, weights, backpropagated rows and the outputs.
pub struct Problem {
    layers: Vec<(usize, usize)>,
    n: usize,
    acts: Vec<Vec<f64>>,
    weights: Vec<Vec<f64>>,
    grads: Vec<Vec<f64>>,
    outputs: Vec<Vec<f64>>,
}

fn filled(len: usize, seed: usize) -> Vec<f64> {
    (0..len as u64).map(|i| (((i * 7919 + seed as u64 * 104_729) % 2003) as f64 / 1001.5 - 1.0) * 0.5).collect()
}

impl Problem {
    pub fn new(layers: &[(usize, usize)], n: usize) -> Self {
        let acts = layers.iter().enumerate().map(|(l, &(fi, _))| filled(fi * n, l)).collect();
        let weights = layers.iter().enumerate().map(|(l, &(fi, fo))| filled(fi * fo, 10 + l)).collect();
        let grads = layers.iter().enumerate().map(|(l, &(_, fo))| filled(fo * n, 20 + l)).collect();
        let mut outputs = Vec::new();
        for (l, &(fi, fo)) in layers.iter().enumerate() {
            outputs.push(vec![0.0; fo * n]);
            outputs.push(vec![0.0; fo * fi]);
            if l > 0 {
                outputs.push(vec![0.0; fi * n]);
            }
        }
        Self { layers: layers.to_vec(), n, acts, weights, grads, outputs }
    }

    /// The products of one gradient through `gemm`.
    pub fn products(&mut self, gemm: Gemm) {
        let n = self.n;
        let mut out = self.outputs.iter_mut();
        for (l, &(fi, fo)) in self.layers.iter().enumerate() {
            let (a, w, g) = (&self.acts[l], &self.weights[l], &self.grads[l]);
            gemm(fo, n, fi, w, fi, 1, a, n, 1, out.next().unwrap()); // W·A
            gemm(fo, fi, n, g, n, 1, a, 1, n, out.next().unwrap()); // G·Aᵀ
            if l > 0 {
                gemm(fi, n, fo, w, 1, fi, g, n, 1, out.next().unwrap()); // Wᵀ·G
            }
        }
    }

    /// The largest error of the outputs against plain sums in order, relative to the largest entry.
    pub fn max_relative_error(&self) -> f64 {
        let n = self.n;
        let naive = |m: usize, nn: usize, k: usize, a: &dyn Fn(usize, usize) -> f64, b: &dyn Fn(usize, usize) -> f64| {
            let mut c = vec![0.0; m * nn];
            for i in 0..m {
                for j in 0..nn {
                    c[i * nn + j] = (0..k).map(|p| a(i, p) * b(p, j)).sum();
                }
            }
            c
        };
        let mut worst = 0.0f64;
        let mut out = self.outputs.iter();
        for (l, &(fi, fo)) in self.layers.iter().enumerate() {
            let (a, w, g) = (&self.acts[l], &self.weights[l], &self.grads[l]);
            let mut expected = vec![naive(fo, n, fi, &|i, p| w[i * fi + p], &|p, j| a[p * n + j])];
            expected.push(naive(fo, fi, n, &|i, p| g[i * n + p], &|p, j| a[j * n + p]));
            if l > 0 {
                expected.push(naive(fi, n, fo, &|i, p| w[p * fi + i], &|p, j| g[p * n + j]));
            }
            for e in expected {
                let got = out.next().unwrap();
                let scale = e.iter().fold(0.0f64, |m, x| m.max(x.abs()));
                worst = worst.max(e.iter().zip(got).fold(0.0f64, |m, (x, y)| m.max((x - y).abs())) / scale);
            }
        }
        worst
    }

    /// A hash of the outputs' bits (equal hashes: the same bits).
    pub fn bits_hash(&self) -> u64 {
        self.outputs.iter().flatten().fold(0xcbf2_9ce4_8422_2325u64, |h, x| (h ^ x.to_bits()).wrapping_mul(0x100_0000_01b3))
    }
}

thread_local! {
    static PROBLEMS: std::cell::RefCell<Vec<Problem>> = std::cell::RefCell::new(SHAPES.iter().map(|(_, l, n)| Problem::new(l, *n)).collect());
}

/// wasm export: `reps` gradients' products of shape `shape` through candidate `candidate`.
#[no_mangle]
pub extern "C" fn run(candidate: u32, shape: u32, reps: u32) {
    PROBLEMS.with(|p| {
        let p = &mut p.borrow_mut()[shape as usize];
        for _ in 0..reps {
            p.products(CANDIDATES[candidate as usize].1);
        }
    })
}

/// wasm export: the bits hash of shape `shape`'s last outputs.
#[no_mangle]
pub extern "C" fn hash(shape: u32) -> u64 {
    PROBLEMS.with(|p| p.borrow()[shape as usize].bits_hash())
}

/// wasm export: the largest relative error of shape `shape`'s last outputs.
#[no_mangle]
pub extern "C" fn error(shape: u32) -> f64 {
    PROBLEMS.with(|p| p.borrow()[shape as usize].max_relative_error())
}
