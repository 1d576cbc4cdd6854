// A Web Worker (module) that runs the dynamics page's specs, so that the page never waits on a
// run: a self-stabilization run of an MLP takes seconds.
//
// Messages from the page:
//   {type: 'init', module}    the compiled WebAssembly.Module of pkg/eoslab_web_bg.wasm
//                             (worker-core.js);
//   {type: 'run', id, specs}  run each spec in turn (`run(spec)` of the core).
// Messages to the page:
//   {type: 'ready'}                       after init;
//   {type: 'result', id, results}         the results, in the order of the specs;
//   {type: 'error', id, message, field}   the core refused a spec (`field` names the spec field).
//
// Cancelling is the page's: it terminates the worker in the middle of a run and starts another.

import { run } from '../pkg/eoslab_web.js';
import { serveCore } from './worker-core.js';

serveCore(({ id, specs }) => {
  const results = specs.map((spec) => run(spec));
  self.postMessage({ type: 'result', id, results });
});
