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
  /**
   * `module`: the compiled wasm module; `local(kind, spec, start, end)`: computes one chunk on the
   * page's own thread, used for a scan's first chunk while no worker has started yet (their first
   * start costs a few hundred milliseconds, a small chunk a few); `size`: how many workers.
   */
  constructor(module, local = null, size = navigator.hardwareConcurrency || 2) {
    this.module = module;
    this.local = local;
    this.workers = Array.from({ length: Math.max(1, size) }, () => this.spawn());
    this.job = null;
    this.nextId = 1;
  }

  spawn() {
    const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { type: 'module' });
    const slot = { worker, busy: false, prepared: null, ready: false };
    worker.onmessage = ({ data }) => this.received(slot, data);
    worker.onerror = (e) => {
      this.replace(slot);
      this.failed({ message: `a scan worker failed (${e.message}); it was restarted`, field: '' });
    };
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
    if (this.local && !this.workers.some((slot) => slot.ready)) this.runLocally(this.job);
    for (const slot of this.workers) this.dispatch(slot);
  }

  /**
   * Computes a quarter of the job's next chunk on this thread, after the page has had a chance to
   * paint (the rest of that chunk goes to the workers): the page shows something at once and its
   * thread is busy for only a few milliseconds.
   */
  runLocally(job) {
    const [start, end] = job.ranges[job.next];
    const mid = Math.min(end, start + Math.ceil((end - start) / 4));
    if (mid < end) {
      job.ranges.splice(job.next, 1, [start, mid], [mid, end]);
      job.pending += 1;
    }
    job.next += 1;
    setTimeout(() => {
      if (this.job !== job) return; // cancelled meanwhile
      let data;
      try {
        data = this.local(job.kind, job.spec, start, mid);
      } catch (e) {
        return this.failed({ message: e?.message ?? String(e), field: e?.field ?? '' });
      }
      this.delivered(job, start, mid, data);
    }, 0);
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

  /** Terminates a worker whose core failed and puts a fresh one in its place. */
  replace(slot) {
    slot.worker.terminate();
    const index = this.workers.indexOf(slot);
    if (index >= 0) this.workers[index] = this.spawn();
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
    if (message.type === 'ready') {
      slot.ready = true;
      return;
    }
    slot.busy = false;
    if (message.type === 'error' && message.broken) {
      this.replace(slot);
      if (this.job && message.id === this.job.id) this.failed(message);
      return;
    }
    const job = this.job;
    if (!job || message.id !== job.id) return this.dispatch(slot); // a cancelled scan's chunk
    if (message.type === 'error') return this.failed(message);
    if (this.delivered(job, message.start, message.end, message.data)) this.dispatch(slot);
  }

  /** Hands a chunk to the page; true while the job goes on. */
  delivered(job, start, end, data) {
    job.pending -= 1;
    job.onChunk(start, end, data);
    if (this.job !== job) return false; // onChunk cancelled it
    if (job.pending === 0) {
      this.finish();
      return false;
    }
    return true;
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
