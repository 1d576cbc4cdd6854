// <eoslab-figure spec='…' panels='…' controls='…' hash>: a live figure. It computes its spec in
// Web Workers (pool.js), draws its panels with the core's drawing code (draw.js), builds
// labelled controls for the spec paths named in `controls` (controls.js), shows the core's
// refusals beside them (messages.js), keeps the spec in the URL hash with `hash` (state.js),
// exports PNG, SVG and CSV (csv.js), pins earlier runs to compare, zooms a bifurcation scan into
// a dragged window with `zoom`, lays a heavy-ball run over flow panels (`overlay`), and fires
// `result`, `error` and `pick`.
// With `lazy` it computes nothing until it is first scrolled near the viewport.

import { buildControls, objectiveName } from './controls.js';
import { trackPointer, readout, sizeCanvas, devicePixelRatio } from './canvas.js';
import { resultCsv } from './csv.js';
import { drawResult, isScan, panels as panelsOf, panelSVG, scanOf } from './draw.js';
import { CorePanic, SpecError, typedError } from './errors.js';
import { readable } from './format.js';
import { Messages } from './messages.js';
import { Cancelled, Pool } from './pool.js';
import { getPath, hashHolds, hashWithSpec, leaves, setPath, specOfHash } from './state.js';
import { FIGURE_CSS } from './style.js';

/** The compiled core and the worker program, given by the module that defines the element. */
const core = { module: null, workerSource: '', objectives: () => [], objectiveInfo: () => null };

/** A progress bar and cancel button appear for computations longer than this (ms). */
const BUSY_AFTER_MS = 100;

/** How much the zoom buttons narrow or widen the scanned window. */
const ZOOM_FACTOR = 2;
/** A `lazy` figure starts computing when it comes this near the viewport. */
const LAZY_MARGIN = '200px';

/** How many refused address fields are dropped, one at a time, before giving up. */
const MAX_HASH_FALLBACKS = 8;

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * `over`'s fields set on a copy of `base`; an object of `base` whose `name` or `kind` `over`
 * changes (another objective, another schedule, or the spec's own kind) is replaced, not merged,
 * so no field of the old one is left behind.
 */
function deepMerge(base, over) {
  let out = structuredClone(base);
  for (const [path, value] of leaves(over)) {
    const parent = path.split('.').slice(0, -1).join('.');
    const last = path.split('.').at(-1);
    if ((last === 'name' || last === 'kind') && getPath(out, path) !== value) out = parent ? setPath(out, parent, {}) : {};
  }
  for (const [path, value] of leaves(over)) out = setPath(out, path, value);
  return out;
}

const TEMPLATE = `
<div class="message" role="alert" hidden></div>
<div class="layout">
  <div class="panels" part="panels"></div>
  <div class="side">
    <div class="controls" part="controls"></div>
    <div class="bar" part="toolbar">
      <progress max="1" value="0" hidden></progress>
      <span class="status" role="status"></span>
      <button type="button" data-act="cancel" hidden>Cancel</button>
      <button type="button" data-act="zoom-in" data-zoom hidden title="Halve the scanned window about the marker (or its centre)">Zoom in</button>
      <button type="button" data-act="zoom-out" data-zoom hidden title="Double the scanned window about the marker (or its centre)">Zoom out</button>
      <button type="button" data-act="zoom-full" data-zoom hidden title="Back to the scanned window last given (not zoomed)">Full range</button>
      <button type="button" data-act="pin" title="Keep this run drawn, faded, under the next ones">Pin run</button>
      <button type="button" data-act="unpin" hidden>Clear pinned</button>
      <button type="button" data-act="csv" title="The result's series as CSV">CSV</button>
      <button type="button" data-act="save" title="This run and the pinned ones as JSON">Save runs</button>
      <label class="load">Load runs<input type="file" accept=".json,application/json"></label>
    </div>
    <div class="pins" hidden></div>
  </div>
</div>
`;

/** In node and in workers there is no HTMLElement: the class is then never defined as an element. */
const Element = globalThis.HTMLElement ?? class {};

export class EoslabFigure extends Element {
  static observedAttributes = ['spec', 'panels', 'controls'];

  #spec = null;
  #defaults = null;
  #hashSpec = null;
  #result = null;
  #scan = null;
  #pins = [];
  #rects = new Map();
  #pool = null;
  #messages;
  #fields = null;
  #runs = 0;
  #frame = 0;
  #busyTimer = 0;
  #connected = false;
  /** While a `lazy` figure waits to be scrolled into view: the observer watching for it. */
  #waiting = null;
  #seen = false;
  #hashListener = () => this.#onHash();

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${FIGURE_CSS}</style>${TEMPLATE}`;
    this.#messages = new Messages(root.querySelector('.message'), (field) => this.#fields?.errorOf(field) ?? null);
    root.querySelector('.bar').addEventListener('click', (e) => this.#act(e.target.closest('button')?.dataset.act));
    root.querySelector('.load input').addEventListener('change', (e) => this.#load(e.target.files[0]));
    new ResizeObserver(() => this.#scheduleDraw()).observe(root.querySelector('.panels'));
  }

  connectedCallback() {
    this.#connected = true;
    this.#pool ??= new Pool(core.module, core.workerSource);
    if (this.hasAttribute('hash')) {
      addEventListener('hashchange', this.#hashListener);
      this.#readHash();
    }
    this.#buildControls();
    if (this.hasAttribute('lazy') && !this.#seen) this.#waitUntilSeen();
    else this.#compute();
  }

  /** Defers the first computation until the figure comes near the viewport (`lazy`). */
  #waitUntilSeen() {
    this.dataset.state = 'waiting';
    this.#waiting = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.#waiting.disconnect();
        this.#waiting = null;
        this.#seen = true;
        this.#compute();
      },
      { rootMargin: LAZY_MARGIN },
    );
    this.#waiting.observe(this);
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#waiting?.disconnect();
    this.#waiting = null;
    removeEventListener('hashchange', this.#hashListener);
    this.#pool?.close();
    this.#pool = null;
  }

  attributeChangedCallback(name, _, value) {
    if (name === 'spec') {
      try {
        this.#defaults = value ? JSON.parse(value) : null;
      } catch (e) {
        this.#defaults = null;
        this.#messages.clear();
        this.#messages.note(`The spec attribute is not JSON: ${e.message}`, 'error');
        return;
      }
      this.#spec = this.#hashSpec ? deepMerge(this.#defaults ?? {}, this.#hashSpec) : this.#defaults;
      this.#rememberRange();
    }
    if (!this.#connected) return;
    if (name === 'controls' || name === 'spec') this.#buildControls();
    if (name === 'panels') this.#renderPanels();
    if (name === 'spec') this.#compute();
  }

  /** What to compute (a spec object); setting it recomputes. */
  get spec() {
    return structuredClone(this.#spec);
  }

  set spec(value) {
    const objective = this.#spec && objectiveName(this.#spec);
    this.#spec = structuredClone(value);
    this.#rememberRange();
    if (this.#connected && objective !== objectiveName(this.#spec)) this.#buildControls();
    // A spec set by hand (or by a control) is not the address's: its refusals are shown as such.
    this.#hashSpec = null;
    this.#hashProblems = [];
    this.#writeHash();
    this.#fields?.update(this.#spec);
    if (this.#connected) this.#compute();
  }

  /** The last complete result (null before the first and while a new spec is refused). */
  get result() {
    return this.#result;
  }

  /** The panels shown: the `panels` attribute, else the kind's natural set. */
  get panels() {
    const attribute = this.getAttribute('panels');
    if (attribute) return attribute.split(/\s+/).filter(Boolean);
    if (!this.#spec) return [];
    try {
      return panelsOf(this.#spec.kind, this.#result).filter((p) => p.natural).map((p) => p.name);
    } catch {
      return [];
    }
  }

  /** The PNG of a panel at the device pixel ratio. */
  toPNG(panel) {
    const canvas = this.#canvas(panel);
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
  }

  /** The SVG of a panel, drawn by the same Rust code through plotters' SVG backend. */
  toSVG(panel) {
    const canvas = this.#canvas(panel);
    const [width, height] = [canvas.clientWidth, canvas.clientHeight];
    if (isScan(this.#spec.kind) && this.#scan) return this.#scan.svg(panel, width, height, { marker: this.marker });
    if (!this.#result) throw new Error('no result to draw yet');
    return panelSVG(panel, this.#result, width, height, this.#options());
  }

  /** The result's series as CSV (exact values). */
  toCSV() {
    if (!this.#result) throw new Error('no result yet');
    return resultCsv(this.#result);
  }

  /** Stops the running computation. */
  cancel() {
    this.#pool?.cancel();
  }

  /** Keeps the current result drawn, faded and labelled, under the next ones. */
  pin(label = this.#label()) {
    if (!this.#result) return;
    this.#pins.push({ label, spec: this.spec, result: this.#result });
    this.#showPins();
    this.#scheduleDraw();
  }

  unpinAll() {
    this.#pins = [];
    this.#showPins();
    this.#scheduleDraw();
  }

  /** Whether the figure zooms: a bifurcation scan with the `zoom` attribute. */
  get zoomable() {
    return this.hasAttribute('zoom') && this.#spec?.kind === 'bifurcation';
  }

  /** Scans the window [lo, hi] of the scanned parameter again (η, or the `parameter`'s range). */
  zoom(lo, hi) {
    if (!this.zoomable) throw new SpecError('only a bifurcation figure with the zoom attribute zooms', 'zoom');
    const [min, max] = this.#rangePaths();
    this.#zooming = true;
    try {
      this.spec = setPath(setPath(this.#spec, min, Math.min(lo, hi)), max, Math.max(lo, hi));
    } finally {
      this.#zooming = false;
    }
  }

  #zooming = false;
  /** The scanned window the figure was given (attribute, address or spec), which "Full range" restores. */
  #givenRange = null;

  #rememberRange() {
    if (this.#spec?.kind === 'bifurcation' && !this.#zooming) this.#givenRange = this.#rangePaths().map((path) => getPath(this.#spec, path));
  }

  /** The spec paths of the scanned window's ends. */
  #rangePaths() {
    return this.#spec?.parameter ? ['parameter.min', 'parameter.max'] : ['eta_min', 'eta_max'];
  }

  /** Narrows (factor < 1) or widens the window about the marker when it is inside, else its centre. */
  #zoomBy(factor) {
    const [lo, hi] = this.#rangePaths().map((path) => getPath(this.#spec, path));
    const centre = typeof this.marker === 'number' && this.marker >= lo && this.marker <= hi ? this.marker : (lo + hi) / 2;
    const round = (x) => Number(x.toPrecision(12));
    this.zoom(round(centre - (centre - lo) * factor), round(centre + (hi - centre) * factor));
  }

  /** A drag across a panel from data point `a` to `b`: its ends rounded to the plot's pixel. */
  #zoomDrag(panel, a, b) {
    const rect = this.#rects.get(panel);
    const canvas = this.#canvas(panel);
    const pixel = ((rect.x_max - rect.x_min) * (canvas.width / Math.max(1, canvas.clientWidth))) / (rect.right - rect.left);
    const unit = 10 ** Math.floor(Math.log10(pixel));
    const round = (x) => Number((Math.round(x / unit) * unit).toPrecision(15));
    this.zoom(round(a.x), round(b.x));
  }

  /** The pinned runs: `{label, spec, result}`. */
  get pinned() {
    return this.#pins.map((p) => ({ ...p }));
  }

  /** This run and the pinned ones as JSON text (what "Save runs" downloads). */
  saveRuns() {
    return JSON.stringify({ eoslab: 'runs', spec: this.#spec, pinned: this.#pins.map(({ label, spec, result }) => ({ label, spec, result })) });
  }

  /** Loads what `saveRuns` wrote: the pinned runs, and the spec (which is computed again). */
  loadRuns(text) {
    const data = JSON.parse(text);
    if (data?.eoslab !== 'runs' || !Array.isArray(data.pinned)) throw new Error('not a file of eoslab runs');
    this.#pins = data.pinned.map(({ label, spec, result }) => ({ label: String(label), spec, result }));
    this.#showPins();
    this.spec = data.spec;
  }

  #label() {
    const eta = this.#spec?.eta;
    return typeof eta === 'number' ? `η = ${readable(eta)}` : `run ${this.#pins.length + 1}`;
  }

  #options() {
    return { pinned: this.#pins.filter((p) => p.result.kind === this.#result?.kind).map(({ label, result }) => ({ label, result })), heavyBall: this.#overlay };
  }

  #overlay = null;

  /**
   * A heavy-ball run (a trajectory result with momentum) laid over the loss and sharpness panels
   * of a flow or self-stabilization result, with its threshold (2 + 2β)/η; null for none.
   */
  get overlay() {
    return this.#overlay;
  }

  set overlay(result) {
    this.#overlay = result ?? null;
    this.#scheduleDraw();
  }

  #canvas(panel) {
    const canvas = this.shadowRoot.querySelector(`figure[data-panel="${CSS.escape(panel)}"] canvas`);
    if (!canvas) throw new SpecError(`no panel "${panel}" is shown (shown: ${this.panels.join(', ')})`, 'panel');
    return canvas;
  }

  async #act(act) {
    const root = this.shadowRoot;
    try {
      if (act === 'cancel') this.cancel();
      else if (act === 'pin') this.pin();
      else if (act === 'unpin') this.unpinAll();
      else if (act === 'zoom-in' || act === 'zoom-out') this.#zoomBy(act === 'zoom-in' ? 1 / ZOOM_FACTOR : ZOOM_FACTOR);
      else if (act === 'zoom-full' && this.#givenRange) this.zoom(...this.#givenRange);
      else if (act === 'csv') download(new Blob([this.toCSV()], { type: 'text/csv' }), `eoslab_${this.#spec.kind}.csv`);
      else if (act === 'save') download(new Blob([this.saveRuns()], { type: 'application/json' }), `eoslab_runs.json`);
      else return;
    } catch (e) {
      this.#messages.note(e.message, 'error');
    }
    root.querySelector('[data-act="unpin"]').hidden = this.#pins.length === 0;
  }

  async #load(file) {
    if (!file) return;
    try {
      this.loadRuns(await file.text());
    } catch (e) {
      this.#messages.note(`Could not load ${file.name}: ${e.message}`, 'error');
    }
  }

  #showPins() {
    const el = this.shadowRoot.querySelector('.pins');
    el.textContent = this.#pins.length ? `Pinned: ${this.#pins.map((p) => p.label).join('; ')}` : '';
    el.hidden = this.#pins.length === 0;
    this.shadowRoot.querySelector('[data-act="unpin"]').hidden = this.#pins.length === 0;
  }

  // -- the address ---------------------------------------------------------------------------

  /** The namespace of this figure's entries in the hash (the `hash` attribute's value). */
  get #namespace() {
    return this.getAttribute('hash') ?? '';
  }

  #onHash() {
    if (hashHolds(location.hash, this.#spec ?? {}, this.#namespace)) return;
    const objective = this.#spec && objectiveName(this.#spec);
    this.#readHash();
    if (objective !== objectiveName(this.#spec ?? {})) this.#buildControls();
    else this.#fields?.update(this.#spec);
    this.#compute();
  }

  #readHash() {
    const { spec, problems } = specOfHash(location.hash, this.#namespace);
    this.#hashSpec = spec;
    this.#spec = spec ? deepMerge(this.#defaults ?? {}, spec) : this.#defaults;
    this.#rememberRange();
    this.#hashProblems = problems;
  }

  #hashProblems = [];

  #writeHash() {
    if (!this.hasAttribute('hash') || !this.#spec) return;
    history.replaceState(null, '', hashWithSpec(location.hash, this.#spec, this.#namespace));
  }

  // -- controls ------------------------------------------------------------------------------

  #buildControls() {
    const container = this.shadowRoot.querySelector('.controls');
    container.replaceChildren();
    const paths = (this.getAttribute('controls') ?? '').split(/\s+/).filter(Boolean);
    this.shadowRoot.querySelector('.layout').classList.toggle('with-controls', paths.length > 0);
    if (!this.#spec || paths.length === 0) return;
    this.#fields = buildControls(container, paths, this.#spec, core.objectives(), (path, value) => {
      if (JSON.stringify(getPath(this.#spec, path)) === JSON.stringify(value)) return; // typed, then Enter
      let spec = setPath(this.#spec, path, value);
      // A new objective starts from its own defaults and start; a new schedule kind from nothing.
      if (path === 'objective.name') spec = setPath(setPath(spec, 'objective', { name: value }), 'x0', undefined);
      if (path === 'schedule.kind') spec = setPath(spec, 'schedule', value === 'constant' ? undefined : { kind: value });
      this.spec = spec;
    }, this.#defaultStart());
  }

  /** The start the core uses when x₀ is not given (for the x₀ control's placeholder). */
  #defaultStart() {
    try {
      return core.objectiveInfo(this.#spec.objective ?? { name: objectiveName(this.#spec) }).start;
    } catch {
      return null;
    }
  }

  // -- computing -----------------------------------------------------------------------------

  async #compute() {
    if (this.#waiting) return; // a lazy figure not yet seen: it computes the spec it then holds
    const spec = this.#spec;
    const run = ++this.#runs;
    this.#messages.clear();
    this.#messages.clearFields(this.#fields?.controls.map((c) => c.error) ?? []);
    for (const problem of this.#hashProblems) this.#messages.note(`The address could not be read completely: ${problem}; using the default.`, 'warning');
    if (!spec) return;
    this.#setBusy(true);
    this.dataset.state = 'running';
    try {
      if (isScan(spec.kind)) await this.#computeScan(spec, run);
      else {
        const result = await this.#pool.run(spec);
        if (run !== this.#runs) return;
        this.#result = result;
        this.#renderPanels();
      }
      this.#settled('done');
      this.#drawAll();
      this.dataset.results = String(Number(this.dataset.results ?? 0) + 1);
      this.dispatchEvent(new CustomEvent('result', { detail: this.#result }));
    } catch (e) {
      if (run !== this.#runs) return;
      this.#failed(typedError(e));
    }
  }

  async #computeScan(spec, run) {
    const scan = scanOf(spec); // validates on the page: a SpecError names the field
    this.#scan?.free();
    this.#scan = scan;
    this.#result = null;
    this.#renderPanels();
    const progress = this.shadowRoot.querySelector('progress');
    await this.#pool.scan({
      kind: spec.kind,
      spec,
      size: scan.size,
      chunk: scan.chunk(this.#pool.size),
      onChunk: (start, _end, data) => {
        if (run !== this.#runs) return;
        scan.insert(start, data);
        progress.value = scan.filled / scan.size;
        this.#scheduleDraw();
      },
    });
    if (run !== this.#runs) return;
    this.#result = scan.result();
  }

  #failed(error) {
    if (error instanceof Cancelled) {
      this.#settled('cancelled');
      this.shadowRoot.querySelector('.status').textContent = 'cancelled';
      return;
    }
    if (error instanceof SpecError && this.#fallBack(error)) return;
    this.#settled(error instanceof CorePanic ? 'panic' : 'refused');
    this.shadowRoot.querySelector('.panels').classList.add('stale');
    if (error instanceof CorePanic) {
      this.#messages.note(`The core stopped with an internal error and was restarted: ${error.message}. This is a bug in eoslab; the next change runs on a fresh copy.`, 'error');
    } else if (error instanceof SpecError) {
      this.#messages.refusal(error.field, error.message);
    } else {
      this.#messages.note(error.message, 'error');
    }
    const detail = { field: error.field ?? '', message: error.message, panic: error instanceof CorePanic };
    this.dispatchEvent(new CustomEvent('error', { detail }));
  }

  /**
   * A refused field that came from the address is dropped (its default applies) and the spec
   * computed again, with the refusal shown: the other panels keep drawing from valid values.
   */
  #fallBack(error) {
    if (!this.#hashSpec || this.#hashProblems.length >= MAX_HASH_FALLBACKS) return false;
    const path = leaves(this.#hashSpec).map(([p]) => p).find((p) => error.field === p || error.field.startsWith(`${p}[`) || error.field.startsWith(`${p}.`));
    if (!path) return false;
    const shown = getPath(this.#hashSpec, path);
    this.#hashSpec = setPath(this.#hashSpec, path, undefined);
    this.#spec = deepMerge(this.#defaults ?? {}, this.#hashSpec);
    this.#hashProblems.push(`${path}=${typeof shown === 'number' ? readable(shown) : JSON.stringify(shown)} was refused (${error.message})`);
    this.#fields?.update(this.#spec);
    this.#compute();
    return true;
  }

  #setBusy(busy) {
    const root = this.shadowRoot;
    clearTimeout(this.#busyTimer);
    root.querySelector('.panels').setAttribute('aria-busy', String(busy));
    root.querySelector('.status').textContent = busy ? 'computing…' : '';
    const show = (on) => {
      root.querySelector('progress').hidden = !on;
      root.querySelector('[data-act="cancel"]').hidden = !on;
    };
    if (busy) {
      root.querySelector('progress').value = 0;
      this.#busyTimer = setTimeout(() => show(true), BUSY_AFTER_MS);
    } else show(false);
  }

  #settled(state) {
    this.#setBusy(false);
    this.dataset.state = state;
    this.dataset.settled = String(Number(this.dataset.settled ?? 0) + 1);
    if (state === 'done') this.shadowRoot.querySelector('.panels').classList.remove('stale');
  }

  // -- panels --------------------------------------------------------------------------------

  #renderPanels() {
    for (const button of this.shadowRoot.querySelectorAll('[data-zoom]')) button.hidden = !this.zoomable;
    const container = this.shadowRoot.querySelector('.panels');
    const names = this.panels;
    const shown = [...container.children].map((f) => f.dataset.panel);
    if (shown.join(' ') === names.join(' ')) return;
    let titles = new Map();
    try {
      titles = new Map(panelsOf(this.#spec.kind).map((p) => [p.name, p.title]));
    } catch {
      // an unknown kind: the core names it when the spec runs
    }
    this.#rects.clear();
    container.replaceChildren(
      ...names.map((name) => {
        const figure = document.createElement('figure');
        figure.className = 'panel';
        figure.dataset.panel = name;
        const title = titles.get(name) ?? name;
        const zoomable = this.zoomable;
        figure.innerHTML = `<canvas role="img" tabindex="0"></canvas>${zoomable ? '<div class="band" hidden></div>' : ''}<figcaption><span class="title"></span><output class="readout"></output><button type="button" data-export="png">PNG</button><button type="button" data-export="svg">SVG</button></figcaption>`;
        const canvas = figure.querySelector('canvas');
        canvas.setAttribute('aria-label', `${title} (arrow keys read values${isScan(this.#spec.kind) ? ', Enter picks' : ''}${zoomable ? '; drag sideways to zoom' : ''})`);
        figure.querySelector('.title').textContent = title;
        const output = figure.querySelector('output');
        trackPointer(canvas, () => this.#rects.get(name), {
          at: (point) => {
            const r = point ? readout(point) : { text: '', title: '' };
            output.textContent = r.text;
            output.title = r.title;
          },
          pick: (point) => this.#pick(name, point),
          drag: zoomable ? (a, b) => this.#zoomDrag(name, a, b) : null,
          band: figure.querySelector('.band'),
        });
        figure.querySelector('[data-export="png"]').addEventListener('click', async () => download(await this.toPNG(name), `eoslab_${name}.png`));
        figure.querySelector('[data-export="svg"]').addEventListener('click', () => {
          try {
            download(new Blob([this.toSVG(name)], { type: 'image/svg+xml' }), `eoslab_${name}.svg`);
          } catch (e) {
            this.#messages.note(e.message, 'error');
          }
        });
        return figure;
      }),
    );
  }

  #pick(panel, point) {
    const detail = { panel, x: point.x, y: point.y, ...this.at(point.x, point.y) };
    this.dispatchEvent(new CustomEvent('pick', { detail }));
  }

  /**
   * Draws at the next frame, but no sooner than four times the last drawing's cost after it: a
   * scan whose chunks arrive faster than a big map can be drawn leaves the page's thread at least
   * four fifths of the time.
   */
  #scheduleDraw() {
    if (this.#frame) return;
    const wait = this.#lastDraw.end + 4 * this.#lastDraw.cost - performance.now();
    const draw = () => {
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0;
        this.#drawAll();
      });
    };
    if (wait <= 0) return draw();
    this.#frame = -1;
    setTimeout(draw, wait);
  }

  #lastDraw = { end: 0, cost: 0 };

  /** Draws every shown panel; a panel that cannot be drawn says why in its caption. */
  #drawAll() {
    const started = performance.now();
    const dpr = devicePixelRatio();
    for (const figure of this.shadowRoot.querySelectorAll('figure.panel')) {
      const name = figure.dataset.panel;
      const canvas = figure.querySelector('canvas');
      const output = figure.querySelector('output');
      if (!this.#scan && !this.#result) continue;
      sizeCanvas(canvas);
      try {
        const rect = isScan(this.#spec.kind) ? this.#scan?.draw(canvas, name, dpr, { marker: this.marker }) : drawResult(canvas, name, this.#result, dpr, this.#options());
        this.#rects.set(name, rect);
        output.classList.remove('problem');
      } catch (e) {
        const error = typedError(e);
        this.#rects.delete(name);
        output.textContent = error.message;
        output.classList.add('problem');
      }
    }
    const end = performance.now();
    this.#lastDraw = { end, cost: end - started };
    this.dataset.drawn = String(Number(this.dataset.drawn ?? 0) + 1);
    // When the page first showed data (navigation start = 0): what `cargo xtask bench` reports.
    if (this.dataset.firstDrawnMs === undefined && (this.#result || this.#scan?.filled)) this.dataset.firstDrawnMs = performance.now().toFixed(1);
  }

  #marker = undefined;

  /** A marker drawn on scans (η on a bifurcation diagram, the selected start `[x, y]` on a basin map). */
  get marker() {
    return this.#marker;
  }

  set marker(value) {
    this.#marker = value;
    this.#scheduleDraw();
  }

  /** What a scan holds at a point of its plot (a bifurcation column, a basin cell), or null. */
  at(x, y) {
    if (!this.#scan?.pick) return null;
    try {
      return this.#scan.pick(x, y);
    } catch {
      return null;
    }
  }
}

/** Gives the element its core; called once per evaluation of the one-file module. */
export function provideCore(module, workerSource, objectives, objectiveInfo) {
  core.module = module;
  core.workerSource = workerSource;
  core.objectives = objectives;
  core.objectiveInfo = objectiveInfo;
}

/** Defines <eoslab-figure> unless it is defined already (the module may be evaluated more than once). */
export function defineFigure() {
  if (typeof customElements === 'undefined' || customElements.get('eoslab-figure')) return;
  customElements.define('eoslab-figure', EoslabFigure);
}
