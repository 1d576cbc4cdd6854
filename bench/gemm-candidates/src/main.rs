//! Native timings: for each shape and candidate, the median of 41 runs of one gradient's
//! products (after 5 warm-up runs), the error against plain sums and the hash of the bits.
use gemm_candidates::{error, hash, run, CANDIDATES, SHAPES};
use std::time::Instant;

fn main() {
    for (s, (shape, _, _)) in SHAPES.iter().enumerate() {
        for (c, (name, _)) in CANDIDATES.iter().enumerate() {
            run(c as u32, s as u32, 5);
            let mut times: Vec<f64> = (0..41)
                .map(|_| {
                    let t = Instant::now();
                    run(c as u32, s as u32, 1);
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect();
            times.sort_by(f64::total_cmp);
            println!("{shape} | {name} | median {:.3} ms | min {:.3} ms | rel. error {:.1e} | bits {:016x}", times[20], times[0], error(s as u32), hash(s as u32));
        }
    }
}
