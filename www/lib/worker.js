// The program of every Web Worker the figure starts. It is bundled with the wasm-bindgen glue into
// a text (`cargo xtask build`, see xtask/src/inline.rs) that the page turns into a Blob at run
// time, so no second file is fetched: the same one-file module works from a server, from file://
// and from a blob: import. The page compiles the WebAssembly.Module once and posts it here.
//
//   page → worker {type: 'init', module}             initialise the core, answer {type: 'ready'}
//   page → worker {type: 'run', id, spec}            run(spec): {type: 'result', id, result}
//   page → worker {type: 'prepare', id, kind, spec}  a chunked scan ("bifurcation" or "basin")
//   page → worker {type: 'chunk', id, start, end}    its columns or rows start..end:
//                                                    {type: 'chunk', id, start, end, data}
//   worker → page {type: 'error', id, message, field}  the core refused the spec
//   worker → page {type: 'panic', id, message}         the core trapped (a Rust panic aborts the
//                                                      instance): the page replaces this worker
// Cancelling is the page's: it terminates a worker in the middle of a computation.

import { initSync, run, BasinScan, BifurcationScan } from '../../pkg/eoslab_web.js';

/** The last panic message the core's panic hook wrote ("eoslab: panicked at …"). */
let panicMessage = '';
const consoleError = console.error.bind(console);
console.error = (...args) => {
  const text = args.map(String).join(' ');
  if (text.startsWith('eoslab: ')) panicMessage = text.slice('eoslab: '.length);
  consoleError(...args);
};

let scan = null; // {id, kind, prepared}

function handle(message) {
  switch (message.type) {
    case 'run':
      return { type: 'result', id: message.id, result: run(message.spec) };
    case 'prepare': {
      scan?.prepared.free();
      scan = null;
      const prepared = message.kind === 'basin' ? new BasinScan(message.spec) : new BifurcationScan(message.spec);
      scan = { id: message.id, kind: message.kind, prepared };
      return null;
    }
    case 'chunk': {
      if (!scan || scan.id !== message.id) throw new Error(`scan ${message.id} was not prepared in this worker`);
      const { start, end } = message;
      const data = scan.kind === 'basin' ? scan.prepared.rows(start, end) : scan.prepared.scan(start, end);
      return { type: 'chunk', id: message.id, start, end, data };
    }
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

self.onmessage = ({ data: message }) => {
  if (message.type === 'init') {
    initSync({ module: message.module });
    self.postMessage({ type: 'ready' });
    return;
  }
  try {
    const reply = handle(message);
    if (!reply) return;
    const buffers = reply.data ? Object.values(reply.data).filter(ArrayBuffer.isView).map((a) => a.buffer) : [];
    self.postMessage(reply, buffers);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      self.postMessage({ type: 'panic', id: message.id, message: panicMessage || error.message });
    } else {
      self.postMessage({ type: 'error', id: message.id, message: error?.message ?? String(error), field: error?.field ?? '' });
    }
  }
};
