// The entry of the one-file module pkg/eoslab.js (bundled by `cargo xtask build` with esbuild,
// see xtask/src/inline.rs): the wasm-bindgen glue with the wasm inlined, initialised on import;
// the typed API (`run` and `objectives` throw `SpecError`s); and, in a browser, the
// <eoslab-figure> element, whose workers are made from a Blob of the worker program's text.
//
// The wasm is compiled once (off the main thread, `WebAssembly.compile`) into a Module that this
// thread instantiates and every worker receives by postMessage, so its bytes are in the file once.

import initGlue, * as glue from '../../pkg/eoslab_web.js';
// Replaced by the bytes of pkg/eoslab_web_bg.wasm (esbuild's binary loader).
import wasmBytes from '../../pkg/eoslab_web_bg.wasm';
// Replaced by the text of the bundled worker program (worker.js with the glue).
import workerSource from 'eoslab-worker-source';
import { typed } from './errors.js';
import { defineFigure, provideCore } from './figure.js';

const wasmModule = await WebAssembly.compile(wasmBytes);
await initGlue({ module_or_path: wasmModule });

export * from '../../pkg/eoslab_web.js';
export { SpecError, CorePanic } from './errors.js';
export { EoslabFigure } from './figure.js';
export { resultCsv } from './csv.js';
export { readable, exact } from './format.js';
/** The wasm-bindgen init: the module is initialised already, so this resolves at once. */
export { default } from '../../pkg/eoslab_web.js';

/** Runs a spec (docs/spec.md); a refused spec throws a `SpecError` naming the field. */
export function run(spec) {
  return typed(() => glue.run(spec));
}

/** Every objective's schema. */
export function objectives() {
  return typed(() => glue.objectives());
}

/** The compiled core, for code that starts its own workers. */
export const coreModule = wasmModule;

provideCore(wasmModule, workerSource, objectives, glue.objectiveInfo);
defineFigure();
