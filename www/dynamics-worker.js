// A Web Worker (module) that runs the dynamics page's specs, so that the page never waits on a
// run: a self-stabilization run of an MLP takes seconds.
//
// Messages from the page:
//   {type: 'init', module}    the compiled WebAssembly.Module of pkg/eoslab_web_bg.wasm;
//   {type: 'run', id, specs}  run each spec in turn (`run(spec)` of the core).
// Messages to the page:
//   {type: 'ready'}                       after init;
//   {type: 'result', id, results}         the results, in the order of the specs;
//   {type: 'error', id, message, field}   the core refused a spec (`field` names the spec field).
//
// Cancelling is the page's: it terminates the worker in the middle of a run and starts another.

import init, { run } from '../pkg/eoslab_web.js';

let ready = null;

self.onmessage = async ({ data: message }) => {
  if (message.type === 'init') {
    ready = init({ module_or_path: message.module });
    await ready;
    self.postMessage({ type: 'ready' });
    return;
  }
  await ready;
  const { id, specs } = message;
  try {
    const results = specs.map((spec) => run(spec));
    self.postMessage({ type: 'result', id, results });
  } catch (e) {
    self.postMessage({ type: 'error', id, message: e?.message ?? String(e), field: e?.field ?? '' });
  }
};
