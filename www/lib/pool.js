// The page's side of the worker protocol (worker.js): a pool of Web Workers made from one Blob of
// the worker program's text, each initialised with the WebAssembly.Module the page compiled once.
// One job runs at a time: a whole `run(spec)` on one worker, or a chunked scan spread over all of
// them, each chunk handed to the next free worker. Cancelling terminates the busy workers (fresh
// ones replace them); a worker whose core trapped is replaced the same way. DOM-free.

import { CorePanic, SpecError } from './errors.js';

/** Rejects a cancelled job's promise. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

let blobUrl = null;
/** The worker program as a blob: URL, made once per evaluation of the module. */
function workerUrl(source) {
  blobUrl ??= URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return blobUrl;
}

export class Pool {
  /** `module`: the compiled core; `source`: the worker program's text; `size`: workers for scans. */
  constructor(module, source, size = Math.min(4, globalThis.navigator?.hardwareConcurrency || 2)) {
    this.module = module;
    this.source = source;
    this.size = Math.max(1, size);
    this.slots = [];
    this.job = null;
    this.nextId = 1;
  }

  spawn() {
    // A classic worker: the bundled program has no import or export left, and Chromium refuses
    // module workers from blob: URLs on file:// pages (an error event before any code runs).
    const worker = new Worker(workerUrl(this.source), { name: 'eoslab' });
    const slot = { worker, busy: false, prepared: null };
    worker.onmessage = ({ data }) => this.received(slot, data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.replace(slot);
      this.fail(new CorePanic(`a worker failed: ${event.message}`));
    };
    worker.postMessage({ type: 'init', module: this.module });
    return slot;
  }

  /** Runs a whole spec on one worker; resolves with its result. */
  run(spec) {
    return this.start({ tasks: [{ type: 'run', spec }], workers: 1, onReply: (job, reply) => job.finish(reply.result) });
  }

  /**
   * A chunked scan (`kind` "bifurcation" or "basin") of `size` columns or rows, `chunk` at a time;
   * `onChunk(start, end, data)` takes each as it arrives; resolves when all have.
   */
  scan({ kind, spec, size, chunk, onChunk }) {
    const tasks = [];
    for (let start = 0; start < size; start += chunk) tasks.push({ type: 'chunk', start, end: Math.min(size, start + chunk) });
    let pending = tasks.length;
    return this.start({
      tasks,
      workers: this.size,
      prepare: { type: 'prepare', kind, spec },
      onReply: (job, reply) => {
        onChunk(reply.start, reply.end, reply.data);
        if (--pending === 0) job.finish();
      },
    });
  }

  start({ tasks, workers, prepare = null, onReply }) {
    this.cancel();
    return new Promise((resolve, reject) => {
      const job = { id: this.nextId++, tasks, next: 0, prepare, onReply, reject };
      job.finish = (value) => {
        if (this.job === job) this.job = null;
        resolve(value);
      };
      this.job = job;
      if (tasks.length === 0) return job.finish();
      while (this.slots.length < workers) this.slots.push(this.spawn());
      for (const slot of this.slots.slice(0, workers)) this.dispatch(slot);
    });
  }

  get running() {
    return this.job !== null;
  }

  /** Stops the running job: its promise rejects with `Cancelled`, busy workers are replaced. */
  cancel() {
    const job = this.job;
    if (!job) return;
    this.job = null;
    for (const slot of this.slots) if (slot.busy) this.replace(slot);
    job.reject(new Cancelled());
  }

  replace(slot) {
    slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots[index] = this.spawn();
  }

  dispatch(slot) {
    const job = this.job;
    if (!job || slot.busy || job.next >= job.tasks.length) return;
    if (job.prepare && slot.prepared !== job.id) {
      slot.worker.postMessage({ ...job.prepare, id: job.id });
      slot.prepared = job.id;
    }
    slot.busy = true;
    slot.worker.postMessage({ ...job.tasks[job.next++], id: job.id });
  }

  received(slot, message) {
    if (message.type === 'ready') return;
    slot.busy = false;
    const job = this.job;
    if (message.type === 'panic') {
      this.replace(slot);
      if (job && message.id === job.id) this.fail(new CorePanic(message.message));
      return;
    }
    if (!job || message.id !== job.id) return this.dispatch(slot); // a cancelled job's reply
    if (message.type === 'error') return this.fail(new SpecError(message.message, message.field));
    job.onReply(job, message);
    this.dispatch(slot);
  }

  fail(error) {
    const job = this.job;
    if (!job) return;
    this.job = null;
    for (const slot of this.slots) if (slot.busy) this.replace(slot);
    job.reject(error);
  }

  /** Ends every worker. */
  close() {
    this.cancel();
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
  }
}
