// The bifurcation explorer: a scan over η or over a real parameter of any objective in the zoo,
// computed in Web Workers (scan-pool.js) a chunk of columns at a time and drawn as the chunks
// arrive, with the Lyapunov exponent under the diagram and a readout of one column.
//
// The objective's controls come from its schema (common.js), the observables from the objective
// itself (`objectiveInfo`); the page validates nothing: the core's errors name the spec field, and
// are shown beside the control that sets it.

import * as eoslab from '../pkg/eoslab_web.js';
import {
  $, dpr, sizeCanvas, observeResize, fmt, short, parseNumberList, hashEntries, hashOfEntries, showHashProblems,
  FieldMessages, drawMarker, savePng, siteNav, paramControl, buildSelector, objectiveFromHash, objectiveControlOf,
  objectiveHashEntries, objectiveMessagePlaces, oncePerFrame,
} from './common.js';
import { loadCore, ScanView } from './scan-page.js';

/** The scan's controls and their defaults (starts blank: the objective's x₀ and −x₀). */
const DEFAULTS = { scan: 'eta', min: 0.5, max: 2.05, n: 800, eta: 0.5, observable: 'x0', transient: 1000, record: 256, starts: '', at: 1.1 };
const NUMERIC = ['min', 'max', 'n', 'eta', 'transient', 'record', 'at'];
const KEYS = Object.keys(DEFAULTS);
/** Coordinates offered as observables (an objective may have thousands). */
const MAX_COORDINATE_OPTIONS = 16;
/** GD steps per chunk of columns a worker computes before the page draws. */
const CHUNK_STEPS = 200_000;
/** A drag shorter than this (CSS pixels) is a click. */
const DRAG_MIN_PX = 5;
/** How much the zoom buttons narrow or widen the window. */
const ZOOM = 2;
const TITLE = 'bifurcation diagram (drag to zoom, click to read a column)';

const inputs = Object.fromEntries(KEYS.map((k) => [k, $(k)]));
const canvases = { bifurcation: $('bifurcation'), lyapunov: $('lyapunov') };

const state = {
  schemas: [],
  schema: null,
  controls: [],
  info: null, // objectiveInfo of the selected objective
  plot: null, // the BifurcationPlot being filled
  rect: null, // where the diagram's data is on its canvas
  view: null, // the ScanView of the page's scans
  identity: null, // the objective the observable options were made for
};

const markDrawn = drawMarker();

// ---------------------------------------------------------------------------------------------
// Controls

/** Shows an objective's parameter controls; `values` overrides the schema's defaults. */
function selectObjective(schema, values = {}) {
  state.schema = schema;
  $('objective').value = schema.name;
  state.controls = schema.params.map((p) => paramControl(p, () => objectiveChanged()));
  for (const c of state.controls) c.write(c.param.name in values ? values[c.param.name] : c.param.default);
  $('params').replaceChildren(...state.controls.map((c) => c.element));
  const scan = inputs.scan;
  scan.replaceChildren(new Option('learning rate η', 'eta'));
  for (const p of schema.params.filter((p) => p.type === 'real')) scan.append(new Option(`parameter ${p.name}`, p.name));
}

function objectiveSpec() {
  const objective = { name: state.schema.name };
  for (const c of state.controls) objective[c.param.name] = c.read();
  return objective;
}

/**
 * Asks the core what the objective offers (its dimension and named observables) and fills the
 * observable selector, keeping `wanted` when it is offered. An objective the core refuses keeps
 * the old options; the scan then says what is wrong.
 */
function refreshObservables(wanted) {
  const objective = objectiveSpec();
  const identity = JSON.stringify(objective);
  if (identity === state.identity) return;
  try {
    state.info = eoslab.objectiveInfo(objective);
  } catch {
    return;
  }
  state.identity = identity;
  const select = inputs.observable;
  const dim = state.info.dim;
  const options = [];
  for (let i = 0; i < Math.min(dim, MAX_COORDINATE_OPTIONS); i++) options.push(new Option(dim === 1 ? 'coordinate x' : `coordinate x[${i}]`, `x${i}`));
  options.push(new Option('loss f − min f', 'loss'), new Option('sharpness', 'sharpness'));
  for (const name of state.info.observables) options.push(new Option(name, name));
  select.replaceChildren(...options);
  select.value = options.some((o) => o.value === wanted) ? wanted : 'x0';
}

/** The observable as the spec writes it. */
function observableSpec(value) {
  const coordinate = /^x(\d+)$/.exec(value);
  if (coordinate) return { kind: 'coordinate', index: Number(coordinate[1]) };
  if (value === 'loss' || value === 'sharpness') return value;
  return { kind: 'named', name: value };
}

/** Start points typed as `0.5; -0.5` (coordinates by commas); null when blank. */
function parseStarts(text) {
  if (text.trim() === '') return null;
  return text.split(';').map(parseNumberList);
}

function read(key) {
  return NUMERIC.includes(key) ? inputs[key].valueAsNumber : inputs[key].value;
}

function write(key, value) {
  inputs[key].value = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
}

function spec() {
  const s = {
    kind: 'bifurcation',
    objective: objectiveSpec(),
    transient: read('transient'),
    record: read('record'),
    observable: observableSpec(read('observable')),
  };
  if (read('scan') === 'eta') Object.assign(s, { eta_min: read('min'), eta_max: read('max'), n_eta: read('n') });
  else {
    // The scanned parameter takes its values from the grid, not from the objective.
    delete s.objective[read('scan')];
    Object.assign(s, { parameter: { name: read('scan'), min: read('min'), max: read('max'), n: read('n') }, eta: read('eta') });
  }
  const starts = parseStarts(read('starts'));
  if (starts) s.starts = starts;
  return s;
}

/** The default window of a scan over `scan`: η's, or around the parameter's value. */
function fullRange(scan) {
  if (scan === 'eta') return [DEFAULTS.min, DEFAULTS.max];
  const param = state.schema.params.find((p) => p.name === scan);
  const value = state.controls.find((c) => c.param === param)?.read();
  const centre = Number.isFinite(value) && value !== 0 ? value : param.default;
  if (centre > 0) return [Math.max(param.min, centre / 2), Math.min(param.max, centre * 2)];
  return [param.min, param.max];
}

/** The range a window may take: η positive, a parameter within its schema's range. */
function limits(scan) {
  if (scan === 'eta') return [1e-6, 1e6];
  const param = state.schema.params.find((p) => p.name === scan);
  return [param.min, param.max];
}

/** Shows the fixed η for a parameter scan, and disables the scanned parameter's own control. */
function showEtaControl() {
  const scan = read('scan');
  $('eta-control').hidden = scan === 'eta';
  for (const c of state.controls) for (const el of [c.input, c.slider].filter(Boolean)) el.disabled = c.param.name === scan;
}

// ---------------------------------------------------------------------------------------------
// The address: `#objective=double_well&objective.mu=1&scan=eta&min=0.5&max=2.05&n=800&…`

function hashOfControls() {
  const entries = objectiveHashEntries(state.schema, state.controls);
  for (const key of KEYS) {
    if (key === 'eta' && read('scan') === 'eta') continue;
    const v = read(key);
    if (NUMERIC.includes(key) ? !Number.isNaN(v) : v !== '') entries.push([key, String(v)]);
  }
  return hashOfEntries(entries);
}

function restoreFromHash() {
  const entries = hashEntries(location.hash);
  const problems = [];
  const { schema, params } = objectiveFromHash(entries, state.schemas, state.schemas[0], problems);
  selectObjective(schema, params);
  const values = { ...DEFAULTS };
  for (const [key, raw] of entries) {
    if (key === 'objective' || key.startsWith('objective.')) continue;
    if (!KEYS.includes(key)) {
      problems.push(`unknown key “${key}” (ignored; known keys: objective, objective.<parameter>, ${KEYS.join(', ')})`);
    } else if (NUMERIC.includes(key)) {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (Number.isNaN(v)) problems.push(`${key}=“${raw}” is not a number (using the default ${DEFAULTS[key]})`);
      else values[key] = v;
    } else {
      values[key] = raw;
    }
  }
  if (![...inputs.scan.options].some((o) => o.value === values.scan)) {
    problems.push(`${schema.name} has no real parameter “${values.scan}” to scan (scanning η)`);
    values.scan = 'eta';
  }
  for (const key of KEYS) if (key !== 'observable') write(key, values[key]);
  state.identity = null;
  refreshObservables(values.observable);
  if (inputs.observable.value !== values.observable) problems.push(`${schema.name} has no observable “${values.observable}” (showing ${inputs.observable.value})`);
  showEtaControl();
  showHashProblems($('hash-message'), problems);
}

// ---------------------------------------------------------------------------------------------
// Errors beside their controls

const FIELD_CONTROLS = {
  eta_min: 'min', eta_max: 'max', n_eta: 'n', 'parameter.min': 'min', 'parameter.max': 'max', 'parameter.n': 'n',
  parameter: 'scan', 'parameter.name': 'scan', eta: 'eta', transient: 'transient', record: 'record', starts: 'starts',
};

function controlOf(field) {
  if (field in FIELD_CONTROLS) return FIELD_CONTROLS[field];
  if (field.startsWith('starts[')) return 'starts';
  if (field.startsWith('observable')) return 'observable';
  return objectiveControlOf(field, state.controls);
}

function showMessages(messages) {
  const controls = [
    ...objectiveMessagePlaces(state.controls),
    ...KEYS.filter((k) => k !== 'at').map((key) => ({ key, error: $(`${key}-error`), inputs: [inputs[key]] })),
  ];
  messages.show(controls, $('message'));
}

// ---------------------------------------------------------------------------------------------
// Drawing

const draw = oncePerFrame(() => {
  const plot = state.plot;
  if (!plot) return;
  for (const c of Object.values(canvases)) sizeCanvas(c);
  const at = read('at');
  try {
    state.rect = plot.draw(canvases.bifurcation, dpr(), at, TITLE);
    canvases.bifurcation.dataset.rect = JSON.stringify(state.rect);
    plot.drawLyapunov(canvases.lyapunov, dpr(), at);
  } catch (e) {
    state.view.showError(e, 'drawing the diagram failed');
  }
  showColumn();
  state.view.drawn();
  markDrawn();
});

/** The readout of the column under the marker. */
function showColumn() {
  const set = (id, text) => {
    $(id).textContent = text;
  };
  const at = read('at');
  if (!state.plot || !Number.isFinite(at)) {
    for (const id of ['at-value', 'at-period', 'at-lyapunov', 'at-eta', 'at-diverged']) set(id, '—');
    return;
  }
  const c = state.plot.column(at);
  set('at-value', `${read('scan') === 'eta' ? 'η' : read('scan')} = ${fmt(c.value)}`);
  set('at-eta', fmt(c.eta));
  if (c.period === null) {
    for (const id of ['at-period', 'at-lyapunov', 'at-diverged']) set(id, 'not computed yet');
    return;
  }
  set('at-period', c.period > 0 ? String(c.period) : c.diverged_at.every((d) => d !== null) ? 'diverged' : 'none (not periodic, or the starts differ)');
  set('at-lyapunov', c.lyapunov.map((l) => (l === null ? '—' : short(l))).join(', '));
  set('at-diverged', c.diverged_at.map((d) => (d === null ? 'no' : `at step ${d}`)).join(', '));
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Validates the controls' spec, then scans it in the workers, drawing each chunk. */
const update = oncePerFrame(({ writeHash = true } = {}) => {
  if (writeHash) history.replaceState(null, '', hashOfControls());
  refreshObservables(read('observable'));
  const s = spec();
  const messages = new FieldMessages(controlOf);
  const plot = state.view.prepare(() => new eoslab.BifurcationPlot(s), messages);
  showMessages(messages);
  if (!plot) {
    markDrawn();
    return;
  }
  state.plot?.free();
  state.plot = plot;
  const runs = (Array.isArray(s.starts) ? s.starts.length : 2) * (s.transient + s.record);
  const workers = state.view.pool.workers.length;
  state.view.start({
    kind: 'bifurcation',
    spec: s,
    size: plot.size,
    chunk: Math.max(1, Math.min(Math.ceil(plot.size / (4 * workers)), Math.floor(CHUNK_STEPS / Math.max(1, runs)))),
    insert: (start, data) => plot.insert(start, data),
    filled: () => plot.filled,
    draw,
    view: hashOfControls().slice(1),
    running: `scanning ${plot.size} values…`,
    done: `${plot.size} values`,
  });
  draw();
});

function userChanged() {
  showHashProblems($('hash-message'), []);
  update.schedule();
}

function objectiveChanged() {
  refreshObservables(read('observable'));
  userChanged();
}

// ---------------------------------------------------------------------------------------------
// Zoom and reading a column

/** The scanned value under a CSS-pixel x of the diagram canvas. */
function valueAt(cssX) {
  const r = state.rect;
  const px = cssX * dpr();
  return r.x_min + ((px - r.left) / (r.right - r.left)) * (r.x_max - r.x_min);
}

function zoomTo(lo, hi) {
  const [min, max] = limits(read('scan'));
  write('min', Math.max(min, lo));
  write('max', Math.min(max, hi));
  userChanged();
}

function zoomBy(factor) {
  const [lo, hi] = [read('min'), read('max')];
  const at = read('at');
  const centre = at >= lo && at <= hi ? at : (lo + hi) / 2;
  zoomTo(centre - ((centre - lo) * factor), centre + ((hi - centre) * factor));
}

function wireZoom() {
  const canvas = canvases.bifurcation;
  const selection = $('selection');
  let from = null;
  const cssX = (e) => e.clientX - canvas.getBoundingClientRect().left;
  canvas.addEventListener('pointerdown', (e) => {
    if (!state.rect) return;
    from = cssX(e);
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (from === null) return;
    const x = cssX(e);
    selection.hidden = Math.abs(x - from) < DRAG_MIN_PX;
    selection.style.left = `${Math.min(x, from)}px`;
    selection.style.width = `${Math.abs(x - from)}px`;
  });
  canvas.addEventListener('pointerup', (e) => {
    if (from === null) return;
    const x = cssX(e);
    selection.hidden = true;
    const [a, b] = [valueAt(Math.min(x, from)), valueAt(Math.max(x, from))];
    const dragged = Math.abs(x - from) >= DRAG_MIN_PX;
    from = null;
    if (dragged) {
      zoomTo(a, b);
    } else {
      write('at', Number(a.toPrecision(6)));
      history.replaceState(null, '', hashOfControls());
      draw.schedule();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Start

function wire() {
  $('objective').addEventListener('change', () => {
    selectObjective(state.schemas.find((s) => s.name === $('objective').value));
    write('scan', 'eta');
    write('starts', '');
    showEtaControl();
    objectiveChanged();
  });
  inputs.scan.addEventListener('change', () => {
    const [lo, hi] = fullRange(read('scan'));
    write('min', lo);
    write('max', hi);
    write('at', Number(((lo + hi) / 2).toPrecision(6)));
    showEtaControl();
    userChanged();
  });
  for (const key of ['min', 'max', 'n', 'eta', 'observable', 'transient', 'record', 'starts']) inputs[key].addEventListener('input', userChanged);
  inputs.at.addEventListener('input', () => {
    history.replaceState(null, '', hashOfControls());
    draw.schedule();
  });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    update.schedule();
  });
  $('zoom-in').addEventListener('click', () => zoomBy(1 / ZOOM));
  $('zoom-out').addEventListener('click', () => zoomBy(ZOOM));
  $('full').addEventListener('click', () => zoomTo(...fullRange(read('scan'))));
  $('reset').addEventListener('click', () => {
    selectObjective(state.schemas[0]);
    for (const key of KEYS) if (key !== 'observable') write(key, DEFAULTS[key]);
    state.identity = null;
    refreshObservables(DEFAULTS.observable);
    showEtaControl();
    userChanged();
  });
  for (const button of document.querySelectorAll('.save-png')) {
    button.addEventListener('click', () => savePng(canvases[button.dataset.canvas], `bifurcation_${state.schema.name}_${button.dataset.canvas}.png`));
  }
  window.addEventListener('hashchange', () => {
    restoreFromHash();
    update({ writeHash: false });
  });
  wireZoom();
  observeResize(Object.values(canvases), draw.schedule);
}

async function main() {
  siteNav();
  const core = await loadCore();
  if (!core) return;
  state.schemas = core.schemas;
  state.view = new ScanView(core.pool, 'values', { controlOf, showMessages });
  buildSelector($('objective'), state.schemas);
  restoreFromHash();
  wire();
  update({ writeHash: location.hash !== '' });
}

main();
