// What the page's Web Workers share (scan-worker.js, dynamics-worker.js): the core initialised from
// the WebAssembly.Module the page compiled, and the protocol around each worker's own messages.
//
//   page → worker {type: 'init', module}            initialise the core; the worker answers
//                                                   {type: 'ready'};
//   page → worker any other message                 handed to the worker's `handle` once the core
//                                                   is ready; if `handle` throws, the worker
//                                                   answers {type: 'error', id, message, field,
//                                                   broken} (`field` names the spec field the core
//                                                   refused; `broken`: no field, so the core failed
//                                                   (a trap) and the page must replace the worker).

import init from '../pkg/eoslab_web.js';

/** Installs the worker's message handler: `handle(message)` for everything but `init`. */
export function serveCore(handle) {
  let ready = null;
  self.onmessage = async ({ data: message }) => {
    if (message.type === 'init') {
      ready = init({ module_or_path: message.module });
      await ready;
      self.postMessage({ type: 'ready' });
      return;
    }
    await ready;
    try {
      handle(message);
    } catch (e) {
      const refused = typeof e?.field === 'string' && e.field !== '';
      const text = e?.message ?? String(e);
      self.postMessage({
        type: 'error',
        id: message.id,
        message: refused ? text : `the core failed (${text}); it was restarted`,
        field: refused ? e.field : '',
        broken: !refused,
      });
    }
  };
}
