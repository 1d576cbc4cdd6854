// The wasm half of the GEMM comparison: loads the candidates built for wasm32 with simd128
//   RUSTFLAGS="-C target-feature=+simd128" cargo build --release --lib --target wasm32-unknown-unknown
// and prints, per shape and candidate, the median and minimum of 41 runs of one gradient's products (after 5
// warm-up runs) in node (V8, as in Chromium), the error against plain sums and the bits' hash.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

const path = new URL('./target/wasm32-unknown-unknown/release/gemm_candidates.wasm', import.meta.url);
const { instance } = await WebAssembly.instantiate(await readFile(path), {});
const { run, hash, error } = instance.exports;
const shapes = ['mlp_10k: 64-100-40-10 on 1,000 samples', 'mnist: 784-256-10 on 1,000 samples'];
const candidates = ['hand-written (eoslab today)', 'matrixmultiply', 'gemm', 'faer', 'nalgebra'];
for (let s = 0; s < shapes.length; s++) {
  for (let c = 0; c < candidates.length; c++) {
    run(c, s, 5);
    const times = [];
    for (let r = 0; r < 41; r++) {
      const t = performance.now();
      run(c, s, 1);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const bits = (hash(s) & 0xffffffffffffffffn).toString(16).padStart(16, '0');
    console.log(`${shapes[s]} | ${candidates[c]} | median ${times[20].toFixed(3)} ms | min ${times[0].toFixed(3)} ms | rel. error ${error(s).toExponential(1)} | bits ${bits}`);
  }
}
