// Runs scans on a pool of Web Workers (www/scan-worker.js), one per hardware thread, a chunk at a
// time: each worker is handed the next chunk as soon as it returns one, so chunks finish in
// roughly grid order, and the page is told of each as it arrives. DOM-free; no mathematics.

/** The wasm module, compiled once for the page and every worker. */
export async function compileModule(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that does not send application/wasm: compile from the bytes.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

export class ScanPool {
  /** `module`: the compiled wasm module; `size`: how many workers. */
  constructor(module, size = navigator.hardwareConcurrency || 2) {
    this.module = module;
    this.workers = Array.from({ length: Math.max(1, size) }, () => this.spawn());
    this.job = null;
    this.nextId = 1;
  }

  spawn() {
    const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module' });
    const slot = { worker, busy: false, prepared: null };
    worker.onmessage = ({ data }) => this.received(slot, data);
    worker.onerror = (e) => this.failed({ message: `a scan worker failed: ${e.message}`, field: '' });
    worker.postMessage({ type: 'init', module: this.module });
    return slot;
  }

  /**
   * Starts a scan (cancelling the one running): `kind` "bifurcation" or "basin", the spec, its
   * size (columns or rows) and the chunk length. `onChunk(start, end, data)` is called for each
   * chunk, `onDone()` after the last, `onError({message, field})` if a worker refuses.
   */
  run({ kind, spec, size, chunk, onChunk, onDone, onError }) {
    this.cancel();
    const ranges = [];
    for (let start = 0; start < size; start += chunk) ranges.push([start, Math.min(size, start + chunk)]);
    this.job = { id: this.nextId++, kind, spec, ranges, next: 0, pending: ranges.length, onChunk, onDone, onError };
    if (ranges.length === 0) return this.finish();
    for (const slot of this.workers) this.dispatch(slot);
  }

  /** Stops the running scan: no further chunk is sent, and workers inside one are replaced. */
  cancel() {
    if (!this.job) return;
    this.job = null;
    this.workers = this.workers.map((slot) => {
      if (!slot.busy) return slot;
      slot.worker.terminate();
      return this.spawn();
    });
  }

  get running() {
    return this.job !== null;
  }

  dispatch(slot) {
    const job = this.job;
    if (!job || slot.busy || job.next >= job.ranges.length) return;
    const [start, end] = job.ranges[job.next++];
    if (slot.prepared !== job.id) {
      slot.worker.postMessage({ type: 'prepare', id: job.id, kind: job.kind, spec: job.spec });
      slot.prepared = job.id;
    }
    slot.busy = true;
    slot.worker.postMessage({ type: 'run', id: job.id, start, end });
  }

  received(slot, message) {
    if (message.type === 'ready') return;
    slot.busy = false;
    const job = this.job;
    if (!job || message.id !== job.id) return this.dispatch(slot); // a cancelled scan's chunk
    if (message.type === 'error') return this.failed(message);
    job.pending -= 1;
    job.onChunk(message.start, message.end, message.data);
    if (this.job !== job) return; // onChunk cancelled it
    if (job.pending === 0) this.finish();
    else this.dispatch(slot);
  }

  finish() {
    const job = this.job;
    this.job = null;
    job.onDone();
  }

  failed(error) {
    const job = this.job;
    if (!job) return;
    this.cancel();
    job.onError(error);
  }
}
