// The entry of the one-file module pkg/eoslab.js (bundled by `cargo xtask build` with esbuild,
// see xtask/src/inline.rs): the wasm-bindgen glue with the wasm inlined, initialised on import;
// the typed API (`run` and `objectives` throw `SpecError`s); and, in a browser, the
// <eoslab-figure> element, whose workers are made from a Blob of the worker program's text.
//
// The wasm is inlined gzip-compressed, decompressed with DecompressionStream and compiled once (off
// the main thread, `WebAssembly.compileStreaming`) into a Module that this thread instantiates and
// every worker receives by postMessage, so its bytes are in the file once.

import initGlue, * as glue from '../../pkg/eoslab_web.js';
// Replaced by pkg/eoslab_web_bg.wasm gzip-compressed (written by the build; esbuild's binary
// loader inlines it as base64): a third of the raw wasm's size in the file.
import wasmGzip from 'eoslab-wasm-gzip';
// Replaced by the text of the bundled worker program (worker.js with the glue).
import workerSource from 'eoslab-worker-source';
import { typed } from './errors.js';
import { defineFigure, provideCore } from './figure.js';

/** The wasm module, decompressed and compiled off the main thread as the bytes stream in. */
async function compileCore() {
  const wasm = () => new Blob([wasmGzip]).stream().pipeThrough(new DecompressionStream('gzip'));
  try {
    return await WebAssembly.compileStreaming(new Response(wasm(), { headers: { 'Content-Type': 'application/wasm' } }));
  } catch {
    // Runtimes without compileStreaming of a constructed Response.
    return WebAssembly.compile(await new Response(wasm()).arrayBuffer());
  }
}

const wasmModule = await compileCore();
await initGlue({ module_or_path: wasmModule });

export * from '../../pkg/eoslab_web.js';
export { SpecError, CorePanic } from './errors.js';
export { EoslabFigure } from './figure.js';
export { resultCsv } from './csv.js';
export { readable, exact } from './format.js';
export { sameSpec } from './state.js';
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
