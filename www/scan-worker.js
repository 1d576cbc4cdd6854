// A Web Worker (module) that computes chunks of a scan, so that the page never waits on one.
//
// Messages from the page:
//   {type: 'init', module}                 the compiled WebAssembly.Module of pkg/eoslab_web_bg.wasm
//                                          (the page compiles it once for itself and every worker);
//   {type: 'prepare', id, kind, spec}      validate and prepare scan `id` ("bifurcation" or "basin");
//   {type: 'run', id, start, end}          compute columns (bifurcation) or rows (basin) start..end.
// Messages to the page:
//   {type: 'ready'}                        after init;
//   {type: 'chunk', id, start, end, data}  the chunk as typed arrays (transferred, not copied);
//   {type: 'error', id, message, field}    the core refused the spec or the range.
//
// Cancelling is the page's: it sends no further chunk of a cancelled scan (so a scan stops between
// chunks), and terminates a worker that is in the middle of one.

import { BifurcationScan, BasinScan } from '../pkg/eoslab_web.js';
import { serveCore } from './worker-core.js';

let scan = null; // {id, kind, prepared}

function prepare({ id, kind, spec }) {
  scan?.prepared.free();
  scan = null;
  const prepared = kind === 'basin' ? new BasinScan(spec) : new BifurcationScan(spec);
  scan = { id, kind, prepared };
}

function run({ id, start, end }) {
  if (!scan || scan.id !== id) throw new Error(`scan ${id} was not prepared in this worker`);
  const data = scan.kind === 'basin' ? scan.prepared.rows(start, end) : scan.prepared.scan(start, end);
  const buffers = Object.values(data).filter(ArrayBuffer.isView).map((a) => a.buffer);
  self.postMessage({ type: 'chunk', id, start, end, data }, buffers);
}

serveCore((message) => {
  if (message.type === 'prepare') prepare(message);
  else if (message.type === 'run') run(message);
});
