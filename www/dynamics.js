// GD against gradient flow, and paper 001's self-stabilization, for any objective of the zoo: the
// page builds a `flow` or `self_stabilization` spec (and, with momentum, a heavy-ball `trajectory`
// spec) from its controls, runs them in its own Web Worker (dynamics-worker.js) and draws the
// results with `drawDynamics`.
//
// The objective's controls come from its schema (common.js). The page validates nothing: every
// value goes to the core as typed, and the core's error, which names the spec field, is shown
// beside the control that sets it. A run can be cancelled (the worker is terminated) and is
// superseded by any change of the controls; the page never waits on one.

import init, * as eoslab from '../pkg/eoslab_web.js';
import {
  $, dpr, sizeCanvas, observeResize, fmt, point, parseNumberList, hashEntries, hashOfEntries, showHashProblems,
  numberFromHash, pointFromHash, FieldMessages, drawMarker, oncePerFrame, savePng, saveText, siteNav, objectiveControls,
  objectiveMessagePlaces, objectiveHashEntries, buildSelector, objectiveFromHash, objectiveControlOf,
} from './common.js';
import { compileModule } from './scan-pool.js';

const MODES = ['flow', 'self_stabilization'];
/** The controls besides the objective's, and their defaults (x₀ blank: the objective's start). */
const DEFAULTS = { mode: 'flow', eta: 1.1, steps: 200, momentum: 0, x0: '0.3' };
const NUMERIC = ['eta', 'steps', 'momentum'];
const KEYS = Object.keys(DEFAULTS);
/** Coordinates of an iterate shown in a readout. */
const READOUT_MAX_COORDS = 4;

/**
 * The presets: a mode, an objective with parameters, and the GD controls. Paper 001's cases: the
 * toy model of App. B from S = 2/η − 0.1; the reduced model of §4 from x = 0.1, y = −0.3
 * (sharpening, blow-up, then the cycles of §4.2); the zoo's MLP at η = 0.1, whose sharpness
 * reaches 2/η near step 220.
 */
const PRESETS = {
  double_well: { mode: 'flow', objective: { name: 'double_well', mu: 1 }, eta: 1.1, steps: 200, momentum: 0, x0: '0.3' },
  toy: {
    mode: 'self_stabilization',
    objective: { name: 'self_stabilization_toy', alpha: 1, beta: 1, eta: 0.1 },
    eta: 0.1,
    steps: 400,
    momentum: 0,
    x0: `0.3, ${-0.1 / Math.sqrt(0.5)}, 0`,
  },
  reduced: { mode: 'self_stabilization', objective: { name: 'self_stabilization_reduced', alpha: 1, beta: 1, eta: 0.05 }, eta: 0.05, steps: 600, momentum: 0, x0: '0.1, -0.3' },
  mlp: { mode: 'self_stabilization', objective: { name: 'mlp' }, eta: 0.1, steps: 600, momentum: 0, x0: '' },
};

const PANELS = ['loss', 'sharpness', 'distance', 'plane'];
const PANELS_OF = { flow: ['loss', 'sharpness', 'distance'], self_stabilization: PANELS };

const inputs = Object.fromEntries(KEYS.map((k) => [k, $(k)]));
const canvases = Object.fromEntries(PANELS.map((p) => [p, $(p)]));
const figures = Object.fromEntries(PANELS.map((p) => [p, canvases[p].closest('figure')]));

const state = {
  schemas: [],
  schema: null,
  controls: [],
  module: null, // the compiled wasm module, for the worker
  worker: null, // {worker, ready}
  running: null, // {id, started, view, timer}
  nextId: 1,
  shown: null, // {result, heavyBall, mode}: what the panels show
};

const markDrawn = drawMarker();

// ---------------------------------------------------------------------------------------------
// Controls

function selectObjective(schema, values = {}) {
  state.schema = schema;
  $('objective').value = schema.name;
  state.controls = objectiveControls($('params'), schema, values, userChanged);
}

function write(key, value) {
  inputs[key].value = Array.isArray(value) ? value.join(', ') : String(value);
}

function read(key) {
  return NUMERIC.includes(key) ? inputs[key].valueAsNumber : inputs[key].value;
}

function objectiveSpec() {
  const objective = { name: state.schema.name };
  for (const c of state.controls) objective[c.param.name] = c.read();
  return objective;
}

/** The specs the controls describe: the comparison, and the heavy-ball run when β ≠ 0. */
function specs() {
  const common = { objective: objectiveSpec(), eta: read('eta'), steps: read('steps') };
  const x0 = parseNumberList(read('x0'));
  if (x0.length > 0) common.x0 = x0;
  const list = [{ kind: read('mode'), ...common }];
  const beta = read('momentum');
  if (beta !== 0) list.push({ kind: 'trajectory', ...common, momentum: beta });
  return list;
}

function applyPreset(name) {
  const p = PRESETS[name];
  const schema = state.schemas.find((s) => s.name === p.objective.name);
  const { name: _, ...params } = p.objective;
  selectObjective(schema, params);
  for (const key of KEYS) write(key, p[key]);
  userChanged();
}

// ---------------------------------------------------------------------------------------------
// URL hash: `#mode=flow&objective=double_well&objective.mu=1&eta=1.1&steps=200&x0=0.3`

function hashOfControls() {
  const entries = [['mode', read('mode')], ...objectiveHashEntries(state.schema, state.controls)];
  for (const key of NUMERIC) {
    const v = read(key);
    if (!Number.isNaN(v) && (key !== 'momentum' || v !== 0)) entries.push([key, String(v)]);
  }
  const x0 = parseNumberList(read('x0'));
  if (x0.length > 0 && !x0.some(Number.isNaN)) entries.push(['x0', x0.join(',')]);
  return hashOfEntries(entries);
}

/**
 * Reads the address into the controls: what is malformed is reported and left at its default;
 * values out of range go to the controls, and the core says what is wrong with them. Without an
 * x₀ in a non-empty address, the start is the objective's own.
 */
function restoreFromHash() {
  const entries = hashEntries(location.hash);
  const problems = [];
  const { schema, params } = objectiveFromHash(entries, state.schemas, state.schemas[0], problems);
  const values = { ...DEFAULTS };
  if (entries.length > 0) values.x0 = '';
  for (const [key, raw] of entries) {
    if (key === 'objective' || key.startsWith('objective.')) continue;
    if (key === 'mode') {
      if (MODES.includes(raw)) values.mode = raw;
      else problems.push(`mode=“${raw}” is not one of ${MODES.join(', ')} (using ${DEFAULTS.mode})`);
    } else if (NUMERIC.includes(key)) {
      values[key] = numberFromHash(key, raw, DEFAULTS[key], problems);
    } else if (key === 'x0') {
      values.x0 = pointFromHash(key, raw, '', problems);
    } else {
      problems.push(`unknown key “${key}” (ignored; known keys: objective, objective.<parameter>, ${KEYS.join(', ')})`);
    }
  }
  selectObjective(schema, params);
  for (const key of KEYS) write(key, values[key]);
  showHashProblems($('hash-message'), problems);
}

// ---------------------------------------------------------------------------------------------
// Errors from the core, beside the control that sets the named field

function controlOf(field) {
  if (NUMERIC.includes(field)) return field;
  if (field === 'kind') return 'mode';
  if (field === 'x0' || field.startsWith('x0[')) return 'x0';
  return objectiveControlOf(field, state.controls);
}

function showMessages(messages) {
  const own = KEYS.map((key) => ({ key, error: $(`${key}-error`), inputs: [inputs[key]] }));
  messages.show([...objectiveMessagePlaces(state.controls), ...own], $('message'));
}

// ---------------------------------------------------------------------------------------------
// Readouts: numbers read off the results, in full precision

const max = (values) => values.reduce((a, b) => Math.max(a, b), -Infinity);
const last = (values) => (values.length ? values[values.length - 1] : NaN);
const number = (x) => (Number.isFinite(x) ? fmt(x) : '—');
const iterate = (x) => (x.length <= READOUT_MAX_COORDS ? point(x) : `${point(x.slice(0, READOUT_MAX_COORDS))}, … (${x.length} coordinates)`);

/** The first step at which GD's sharpness reached 2/η, or "never". */
function flowOnset(r) {
  const i = r.gd_sharpness.findIndex((s) => s >= r.stability_threshold);
  return i < 0 ? 'never' : String(r.sharpness_steps[i]);
}

/** Readouts of each mode: [id, label, value(result)]. */
const READOUTS = {
  flow: [
    ['final-distance', 'final distance ‖θ_GD − θ_flow‖', (r) => number(last(r.distance))],
    ['max-distance', 'largest distance ‖θ_GD − θ_flow‖', (r) => number(max(r.distance))],
    ['final-time', 'final time η·t', (r) => number(last(r.time))],
    ['onset', 'first step with GD sharpness ≥ 2/η', flowOnset],
    ['threshold', 'stability threshold 2/η', (r) => number(r.stability_threshold)],
    ['final-sharpness', 'final sharpness: GD, flow', (r) => `${number(last(r.gd_sharpness))}, ${number(last(r.flow_sharpness))}`],
    ['final-gd', 'final GD iterate', (r) => iterate(last(r.gd_iterates) ?? [])],
    ['final-flow', 'final flow point θ(η·t)', (r) => iterate(last(r.flow_iterates) ?? [])],
    ['diverged', 'GD diverged', (r) => (r.gd_diverged === null ? 'no' : `at step ${r.gd_diverged}`)],
    ['rk', 'Runge–Kutta steps: accepted, rejected', (r) => `${r.rk.accepted}, ${r.rk.rejected}`],
  ],
  self_stabilization: [
    ['onset', 'onset step k₀ (sharpness reaches 2/η)', (r) => String(r.start)],
    ['threshold', 'stability threshold 2/η', (r) => number(r.stability_threshold)],
    ['max-dagger-sharpness', 'largest S(θ†) over the tracked steps', (r) => number(max(r.constrained_sharpness))],
    ['max-prediction-error', 'largest ‖θ_GD − θ_pred‖', (r) => number(max(r.gd_to_predicted))],
    ['final-to-dagger', 'final ‖θ_GD − θ†‖', (r) => number(last(r.gd_to_constrained))],
    ['final-to-flow', 'final ‖θ_GD − θ_flow‖', (r) => number(last(r.gd_to_flow))],
    ['final-sharpness', 'final sharpness: GD, flow, θ†', (r) => [last(r.gd_sharpness), last(r.flow_sharpness), last(r.constrained_sharpness)].map(number).join(', ')],
    ['alpha-beta', 'final α, β at θ†', (r) => `${number(last(r.alpha))}, ${number(last(r.beta))}`],
    ['diverged', 'GD diverged', (r) => (r.gd_diverged === null ? 'no' : `at step ${r.gd_diverged}`)],
    ['work', 'projection iterations, Hessian-vector products', (r) => `${r.projection_iterations}, ${r.hvps}`],
  ],
  heavy_ball: [
    ['hb-threshold', 'heavy ball: threshold (2 + 2β)/η', (t) => number(t.stability_threshold)],
    ['hb-final-loss', 'heavy ball: final loss', (t) => number(last(t.loss))],
    ['hb-final-sharpness', 'heavy ball: final sharpness', (t) => number(last(t.sharpness))],
    ['hb-outcome', 'heavy ball: outcome', (t) => t.outcome_label],
  ],
};

function showReadouts(shown) {
  const rows = [];
  const add = (table, result) => {
    for (const [id, label, value] of table) {
      const row = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      const out = document.createElement('output');
      out.id = id;
      out.className = 'number';
      out.textContent = value(result);
      dd.append(out);
      row.append(dt, dd);
      rows.push(row);
    }
  };
  if (shown) {
    add(READOUTS[shown.mode], shown.result);
    if (shown.heavyBall) add(READOUTS.heavy_ball, shown.heavyBall);
  }
  $('readouts').replaceChildren(...rows);
  $('readouts-heading').textContent = shown?.mode === 'self_stabilization' ? 'Self-stabilization: GD, flow, θ† and prediction' : 'GD against gradient flow';
}

// ---------------------------------------------------------------------------------------------
// Panels

function showPanels(mode) {
  for (const p of PANELS) figures[p].hidden = !PANELS_OF[mode].includes(p);
  for (const p of PANELS_OF[mode]) sizeCanvas(canvases[p]);
}

function drawPanels(panels, messages) {
  const shown = state.shown;
  if (!shown) return;
  for (const panel of panels) {
    try {
      eoslab.drawDynamics(canvases[panel], panel, shown.result, dpr(), shown.heavyBall);
    } catch (e) {
      messages.add(e, `drawing the ${panel} panel failed`);
    }
  }
}

function setStale(stale) {
  for (const p of PANELS) figures[p].classList.toggle('stale', stale);
}

function redrawResized() {
  if (!state.shown) return;
  const resized = PANELS_OF[state.shown.mode].filter((p) => sizeCanvas(canvases[p]));
  if (resized.length === 0) return;
  const messages = new FieldMessages(controlOf);
  drawPanels(resized, messages);
  if (messages.general.length) showMessages(messages);
}

// ---------------------------------------------------------------------------------------------
// The worker

function spawnWorker() {
  const worker = new Worker(new URL('./dynamics-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }) => received(data);
  worker.onerror = (e) => {
    replaceWorker();
    failed({ message: `the worker failed (${e.message}); it was restarted`, field: '' });
  };
  worker.postMessage({ type: 'init', module: state.module });
  state.worker = worker;
}

/** Stops the run in progress, if any, by replacing the worker it runs in. */
function stopRunning() {
  if (!state.running) return false;
  clearInterval(state.running.timer);
  state.running = null;
  replaceWorker();
  return true;
}

/** Terminates the worker and starts a fresh one (after a cancel, or when its core failed). */
function replaceWorker() {
  state.worker.terminate();
  spawnWorker();
}

function setBusy(busy) {
  $('cancel').disabled = !busy;
  $('plots').setAttribute('aria-busy', String(busy));
  document.body.dataset.run = busy ? 'running' : document.body.dataset.run;
}

/** Writes the address and runs the controls' specs in the worker (superseding a running one). */
function update({ writeHash = true } = {}) {
  if (writeHash) history.replaceState(null, '', hashOfControls());
  stopRunning();
  const id = state.nextId++;
  const started = performance.now();
  const status = $('run-status');
  const tick = () => {
    status.textContent = `computing… ${((performance.now() - started) / 1000).toFixed(1)} s`;
  };
  tick();
  state.running = { id, started, view: hashOfControls().slice(1), mode: read('mode'), timer: setInterval(tick, 100) };
  setBusy(true);
  state.worker.postMessage({ type: 'run', id, specs: specs() });
}

function received(message) {
  if (message.type === 'ready') return;
  const running = state.running;
  if (!running || message.id !== running.id) return; // a superseded run
  clearInterval(running.timer);
  state.running = null;
  if (message.type === 'error') {
    if (message.broken) replaceWorker();
    return failed(message);
  }
  const [result, heavyBall] = message.results;
  state.shown = { result, heavyBall: heavyBall ?? null, mode: running.mode };
  const messages = new FieldMessages(controlOf);
  showPanels(running.mode);
  setStale(false);
  drawPanels(PANELS_OF[running.mode], messages);
  showReadouts(state.shown);
  showMessages(messages);
  const ms = performance.now() - running.started;
  $('run-status').textContent = `computed in ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}`;
  finished('done', running.view);
}

/** The core refused a spec (or the worker failed): say why beside the control, keep the last view dimmed. */
function failed(error) {
  if (state.running) {
    clearInterval(state.running.timer);
    state.running = null;
  }
  const messages = new FieldMessages(controlOf);
  messages.add(Object.assign(new Error(error.message), { field: error.field }));
  showMessages(messages);
  setStale(true);
  $('run-status').textContent = 'not run: see the message';
  finished('refused', hashOfControls().slice(1));
}

/** Marks the end of a run for the tests: `run`, `runs` and the view it showed. */
function finished(outcome, view) {
  setBusy(false);
  document.body.dataset.run = outcome;
  document.body.dataset.state = view;
  document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1);
  markDrawn();
}

function cancel() {
  if (!stopRunning()) return;
  setBusy(false);
  setStale(true);
  $('run-status').textContent = 'cancelled';
  document.body.dataset.run = 'cancelled';
}

const scheduleUpdate = oncePerFrame(update).schedule;

function userChanged() {
  showHashProblems($('hash-message'), []);
  scheduleUpdate();
}

// ---------------------------------------------------------------------------------------------
// Export: the shown result's series as CSV, one row per step

function saveCsv() {
  const shown = state.shown;
  if (!shown) return;
  const r = shown.result;
  const columns = new Map(); // name → Map(step → value)
  const column = (name, steps, values) => columns.set(name, new Map(steps.map((k, i) => [k, values[i]])));
  const range = (from, n) => Array.from({ length: n }, (_, i) => from + i);
  if (shown.mode === 'flow') {
    const steps = range(0, r.time.length);
    for (const name of ['gd_loss', 'flow_loss', 'distance']) column(name, steps, r[name]);
    for (const name of ['gd_sharpness', 'flow_sharpness']) column(name, r.sharpness_steps, r[name]);
  } else {
    column('gd_loss', range(0, r.gd_loss.length), r.gd_loss);
    column('gd_sharpness', range(0, r.gd_sharpness.length), r.gd_sharpness);
    const tracked = range(r.start, r.time.length);
    const names = ['flow_loss', 'flow_sharpness', 'constrained_loss', 'constrained_sharpness', 'predicted_loss', 'predicted_sharpness',
      'gd_to_flow', 'gd_to_constrained', 'gd_to_predicted', 'x', 'y', 'x_pred', 'y_pred', 'alpha', 'beta'];
    for (const name of names) column(name, tracked, r[name]);
  }
  if (shown.heavyBall) {
    column('heavy_ball_loss', range(0, shown.heavyBall.loss.length), shown.heavyBall.loss);
    column('heavy_ball_sharpness', shown.heavyBall.sharpness_steps, shown.heavyBall.sharpness);
  }
  const n = Math.max(...[...columns.values()].map((c) => Math.max(...c.keys()) + 1));
  const rows = [['step', 'time', ...columns.keys()].join(',')];
  for (let k = 0; k < n; k++) rows.push([k, k * r.eta, ...[...columns.values()].map((c) => c.get(k) ?? '')].join(','));
  saveText(`dynamics_${shown.mode}_${state.schema.name}_eta${read('eta')}.csv`, rows.join('\n') + '\n', 'text/csv');
}

// ---------------------------------------------------------------------------------------------
// Start

function wire() {
  $('objective').addEventListener('change', () => {
    selectObjective(state.schemas.find((s) => s.name === $('objective').value));
    write('x0', ''); // a start of the old objective has the wrong number of coordinates
    userChanged();
  });
  for (const key of KEYS) inputs[key].addEventListener(key === 'mode' ? 'change' : 'input', userChanged);
  for (const button of document.querySelectorAll('[data-preset]')) button.addEventListener('click', () => applyPreset(button.dataset.preset));
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    scheduleUpdate();
  });
  $('cancel').addEventListener('click', cancel);
  $('reset').addEventListener('click', () => applyPreset('double_well'));
  $('save-csv').addEventListener('click', saveCsv);
  for (const button of document.querySelectorAll('.save-png')) {
    button.addEventListener('click', () => savePng(canvases[button.dataset.canvas], `dynamics_${state.schema.name}_${button.dataset.canvas}.png`));
  }
  window.addEventListener('hashchange', () => {
    restoreFromHash();
    update({ writeHash: false });
  });
  observeResize(Object.values(canvases), redrawResized);
}

async function main() {
  siteNav();
  try {
    state.module = await compileModule(new URL('../pkg/eoslab_web_bg.wasm', import.meta.url));
    await init({ module_or_path: state.module });
    state.schemas = eoslab.objectives();
  } catch (e) {
    const el = $('message');
    el.textContent = `The WebAssembly core could not be loaded: ${e?.message ?? e}`;
    el.hidden = false;
    return;
  }
  spawnWorker();
  buildSelector($('objective'), state.schemas);
  restoreFromHash();
  wire();
  update({ writeHash: location.hash !== '' });
}

main();
