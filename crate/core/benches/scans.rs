//! Native benchmarks: each named workload of `eoslab_core::benchmarks`, timed as a median over
//! repetitions and printed as one JSON object per line (read by `cargo xtask bench`, which runs the
//! identical workloads in headless Chromium through the wasm build). `calls` is the number of
//! evaluations in one run of a derivative workload, `per_call_us` the median divided by it, and
//! `hvps` the Hessian-vector products of a sharpness workload. The `_all_cores` workloads run
//! natively only (rayon, eoslab-core's `parallel` feature); `threads` says how many threads
//! they had.

use eoslab_core::benchmarks::{Workload, ALL_CORES_NAMES, NAMES};
use std::time::Instant;

fn main() {
    let reps = 21;
    // `cargo bench -p eoslab-core --bench scans -- basin bifurcation` runs the workloads whose
    // names contain one of the words (cargo's own `--bench` flag is ignored).
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    for &name in NAMES.iter().chain(ALL_CORES_NAMES).filter(|n| filters.is_empty() || filters.iter().any(|f| n.contains(f.as_str()))) {
        let mut workload = Workload::named(name).expect("every listed workload prepares");
        workload.run().expect("benchmark workloads are valid");
        let mut times: Vec<f64> = (0..reps)
            .map(|_| {
                let t = Instant::now();
                workload.run().unwrap();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[reps / 2];
        let calls = workload.calls();
        let per_call_us = median * 1e3 / calls as f64;
        let hvps = workload.hvps().map_or(String::new(), |h| format!(",\"hvps\":{h}"));
        let threads =
            if ALL_CORES_NAMES.contains(&name) { format!(",\"threads\":{}", rayon::current_num_threads()) } else { String::new() };
        println!("{{\"name\":\"{name}\",\"median_ms\":{median:.3},\"samples\":{reps},\"calls\":{calls},\"per_call_us\":{per_call_us:.2}{hvps}{threads}}}");
    }
}
