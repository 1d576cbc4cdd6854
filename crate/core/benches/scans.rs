//! Native benchmarks: each named workload of `eoslab_core::benchmarks`, timed as a median over
//! repetitions and printed as one JSON object per line (read by `cargo xtask bench`, which runs the
//! identical workloads in headless Chromium through the wasm build).

use eoslab_core::{benchmarks, run};
use std::time::Instant;

fn main() {
    let reps = 21;
    for &name in benchmarks::NAMES {
        let spec = benchmarks::spec(name).expect("every listed workload has a spec");
        run(&spec).expect("benchmark specs are valid");
        let mut times: Vec<f64> = (0..reps)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(run(std::hint::black_box(&spec)).unwrap());
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = times[reps / 2];
        println!("{{\"name\":\"{name}\",\"median_ms\":{median:.3},\"samples\":{reps}}}");
    }
}
