//! Running a lane kernel compiled for the widest vectors the CPU has. The scan kernels advance
//! several independent runs in lock step with branch-free code, which the compiler turns into
//! vector instructions: two lanes at a time with x86-64's baseline SSE2, four with AVX2. AVX2 is
//! enabled here only where the CPU reports it at run time, and without fused multiply-add, so
//! every lane performs the same IEEE operations and the results are the same bits either way
//! (and the same as in the wasm build).

/// A kernel: its `run` must be `#[inline(always)]`, so that it is compiled inside
/// [`with_wide_vectors`]'s AVX2 function.
pub trait Kernel {
    /// What it computes.
    type Output;
    /// Computes it.
    fn run(self) -> Self::Output;
}

/// `kernel.run()`, compiled for AVX2 when the CPU has it (x86-64 natively), else as it is.
#[inline(always)]
pub fn with_wide_vectors<K: Kernel>(kernel: K) -> K::Output {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        #[target_feature(enable = "avx2")]
        fn avx2<K: Kernel>(kernel: K) -> K::Output {
            kernel.run()
        }
        // SAFETY: the CPU supports AVX2, checked just above. The one unsafe block of the
        // workspace (`unsafe_code` is denied in Cargo.toml's [workspace.lints]).
        #[allow(unsafe_code)]
        return unsafe { avx2(kernel) };
    }
    kernel.run()
}
