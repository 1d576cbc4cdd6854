// What the two scan pages (bifurcation.html, basin.html) share: loading the core for the page and
// its workers, and the life of a scan on the page: its progress bar (#progress), status
// (#scan-status) and cancel button (#cancel), and the markers the tests and the bench read
// (`document.body.dataset.scan` = running | done | cancelled | refused, `dataset.scans` counting
// completed scans, `dataset.state` the completed scan's view, `window.eoslabScan` its times).

import init, * as eoslab from '../pkg/eoslab_web.js';
import { $, FieldMessages } from './common.js';
import { compileModule, ScanPool } from './scan-pool.js';

/**
 * Compiles the wasm module once, initialises it for the page and starts the workers with it:
 * `{pool, schemas}`, or null after showing why the core could not be loaded.
 */
export async function loadCore() {
  try {
    const module = await compileModule(new URL('../pkg/eoslab_web_bg.wasm', import.meta.url));
    await init({ module_or_path: module });
    return { pool: new ScanPool(module, runChunk), schemas: eoslab.objectives() };
  } catch (e) {
    const el = $('message');
    el.textContent = `The WebAssembly core could not be loaded: ${e?.message ?? e}`;
    el.hidden = false;
    return null;
  }
}

/** One chunk of a scan computed on the page's thread, as a worker would (www/scan-worker.js). */
function runChunk(kind, spec, start, end) {
  const scan = kind === 'basin' ? new eoslab.BasinScan(spec) : new eoslab.BifurcationScan(spec);
  try {
    return kind === 'basin' ? scan.rows(start, end) : scan.scan(start, end);
  } finally {
    scan.free();
  }
}

export class ScanView {
  /**
   * `unit`: what the scan's size counts ("values", "rows"), for the status line; `controlOf(field)`
   * and `showMessages(messages)`: where the page shows an error about a spec field.
   */
  constructor(pool, unit, { controlOf, showMessages }) {
    this.pool = pool;
    this.unit = unit;
    this.controlOf = controlOf;
    this.showMessages = showMessages;
    this.timing = null;
    this.filled = () => 0;
    this.size = 0;
    $('cancel').addEventListener('click', () => this.cancel());
  }

  setRunning(running) {
    $('cancel').disabled = !running;
    const plots = document.querySelector('.plots');
    plots.setAttribute('aria-busy', String(running));
    plots.classList.remove('stale');
  }

  /**
   * The page's plot of a new spec, `make()` (which validates it), or null when the core refused
   * it: then its error is added to `messages` and the scan marked refused.
   */
  prepare(make, messages) {
    try {
      return make();
    } catch (e) {
      messages.add(e);
      this.refused();
      return null;
    }
  }

  /** The spec was refused: nothing runs, the last drawing is dimmed. */
  refused() {
    this.pool.cancel();
    this.setRunning(false);
    document.querySelector('.plots').classList.add('stale');
    $('scan-status').textContent = 'not computed: see the message';
    document.body.dataset.scan = 'refused';
  }

  /**
   * Runs `spec` of `kind` on the workers in chunks of `chunk` out of `size`: `insert(start, data)`
   * takes each chunk and `filled()` says how much has arrived; `draw()` is scheduled after each
   * chunk and called at the end; `view` is the scan's state in the hash's form; `running` and
   * `done` describe it in the status line. A worker's refusal is shown like any error.
   */
  start({ kind, spec, size, chunk, insert, filled, draw, view, running, done }) {
    const timing = { started: performance.now(), firstDrawn: null, finished: null, size };
    this.timing = timing;
    this.filled = filled;
    this.size = size;
    window.eoslabScan = timing;
    document.body.dataset.scan = 'running';
    this.setRunning(true);
    $('progress').value = 0;
    $('scan-status').textContent = running;
    this.pool.run({
      kind,
      spec,
      size,
      chunk,
      onChunk: (start, end, data) => {
        insert(start, data);
        $('progress').value = filled() / size;
        draw.schedule();
      },
      onDone: () => {
        timing.finished = performance.now();
        this.setRunning(false);
        $('scan-status').textContent = `${done} in ${Math.round(timing.finished - timing.started)} ms`;
        draw();
        document.body.dataset.state = view;
        document.body.dataset.scan = 'done';
        document.body.dataset.scans = String(Number(document.body.dataset.scans ?? 0) + 1);
      },
      onError: (error) => {
        this.refused();
        this.showError(Object.assign(new Error(error.message), { field: error.field }));
      },
    });
  }

  /** Shows an error beside the control its field names, or in the page's message (with `context`). */
  showError(error, context) {
    const messages = new FieldMessages(this.controlOf);
    messages.add(error, context);
    this.showMessages(messages);
  }

  /** After a drawing: the first one with data is the scan's first drawn chunk. */
  drawn() {
    if (this.timing && this.timing.firstDrawn === null && this.filled() > 0) this.timing.firstDrawn = performance.now();
  }

  cancel() {
    if (!this.pool.running) return;
    this.pool.cancel();
    this.setRunning(false);
    $('scan-status').textContent = `cancelled (${this.filled()} of ${this.size} ${this.unit})`;
    document.body.dataset.scan = 'cancelled';
  }
}
