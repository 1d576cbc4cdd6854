// The objective zoo: every objective the core registers, with controls built from its schema
// (`objectives()`), one GD run per change (`run`), and the panels `drawTrajectory` draws for it.
//
// Nothing here knows any particular objective: the selector, the parameter controls, the defaults
// and the panels shown all come from the schemas and from the result (its number of parameters),
// so an objective registered in Rust appears here by itself. The page validates nothing either:
// every value goes to the core as typed (NaN where a number was expected and none was given) and
// the core's error, which names the spec field, is shown beside the control that sets that field.

import init, * as eoslab from '../pkg/eoslab_web.js';
import {
  $, dpr, sizeCanvas, observeResize, fmt, point, subscript, parseNumberList, hashEntries, hashOfEntries,
  showHashProblems, FieldMessages, drawMarker, afterPaint, savePng, saveText, siteNav, paramControl,
  buildSelector, objectiveFromHash, objectiveControlOf, objectiveHashEntries, objectiveMessagePlaces, oncePerFrame,
  numberFromHash, pointFromHash,
} from './common.js';

/**
 * The gradient-descent controls and their defaults (x₀ blank: the objective's own start; decay
 * step blank: no decay). `every` and `k` set how the sharpness is tracked; `decay_at` and
 * `decay_factor` a step decay η → η·factor (paper 003 decays η to η/4 during the edge of stability).
 */
const GD_DEFAULTS = { eta: 0.1, steps: 200, x0: '', every: 1, k: 1, decay_at: '', decay_factor: 0.25 };
const GD_KEYS = Object.keys(GD_DEFAULTS);
/** The numeric controls (all but x₀), and the spec field each one sets. */
const NUMERIC_GD = { eta: 'eta', steps: 'steps', every: 'sharpness_every', k: 'sharpness.k', decay_at: 'schedule.at', decay_factor: 'schedule.factor' };

const PANELS = ['landscape', 'cobweb', 'plane', 'loss', 'sharpness'];
/** The panels that apply to an objective with `n` parameters (drawTrajectory's contract). */
function panelsFor(n) {
  if (n === 1) return ['landscape', 'cobweb', 'loss', 'sharpness'];
  if (n === 2) return ['plane', 'loss', 'sharpness'];
  return ['loss', 'sharpness'];
}

/** Coordinates of an iterate shown in a readout; the CSV has all of them. */
const READOUT_MAX_COORDS = 16;
/** A run slower than this shows "computing…" before the next one starts. */
const SLOW_RUN_MS = 50;
/** The x₀ field's placeholder until a run shows which start that is. */
const GENERIC_START = "the objective's default start";

const canvases = Object.fromEntries(PANELS.map((p) => [p, $(p)]));
const figures = Object.fromEntries(PANELS.map((p) => [p, canvases[p].closest('figure')]));
const gdInputs = Object.fromEntries(GD_KEYS.map((k) => [k, $(k)]));

const state = {
  schemas: [], // objectives(), in registry order
  schema: null, // the selected objective's schema
  controls: [], // one per parameter of the selected objective (see paramControl)
  trajectory: null, // the result of the last run, null when the spec was refused
  drawn: null, // the last result drawn (kept, dimmed, while the controls are refused)
  panels: [], // the panels shown
  lastRun: { identity: null, ms: 0 }, // objective and parameters of the last run, and its time
  generation: 0, // increases with every update; an update overtaken by a newer one gives up
};

const markDrawn = drawMarker();

// ---------------------------------------------------------------------------------------------
// Controls built from a schema

/** Shows an objective: its title, description and citation, and its parameters' controls. */
function selectObjective(schema, values = {}) {
  state.schema = schema;
  $('objective').value = schema.name;
  $('objective-title').textContent = schema.title;
  $('objective-description').textContent = schema.description;
  $('objective-citation').textContent = schema.citation;
  gdInputs.x0.placeholder = GENERIC_START;
  state.controls = schema.params.map((p) => paramControl(p, userChanged));
  for (const c of state.controls) c.write(c.param.name in values ? values[c.param.name] : c.param.default);
  $('params').replaceChildren(...state.controls.map((c) => c.element));
}

function setGd(key, value) {
  const input = gdInputs[key];
  if (key === 'x0') input.value = value.join ? value.join(', ') : value;
  else input.value = Number.isFinite(value) ? String(value) : value === '' ? '' : String(value);
}

/** What the controls hold: the objective spec, η, steps and x₀ (null: the default start). */
function readControls() {
  const objective = { name: state.schema.name };
  for (const c of state.controls) objective[c.param.name] = c.read();
  const x0 = parseNumberList(gdInputs.x0.value);
  const numbers = Object.fromEntries(Object.keys(NUMERIC_GD).map((key) => [key, gdInputs[key].valueAsNumber]));
  return { objective, ...numbers, x0: x0.length === 0 ? null : x0, decay: gdInputs.decay_at.value.trim() !== '' };
}

function trajectorySpec(v) {
  const spec = {
    kind: 'trajectory', objective: v.objective, eta: v.eta, steps: v.steps,
    sharpness_every: v.every, sharpness: { k: v.k },
  };
  if (v.x0) spec.x0 = v.x0;
  if (v.decay) spec.schedule = { kind: 'step_decay', at: v.decay_at, factor: v.decay_factor };
  return spec;
}

// ---------------------------------------------------------------------------------------------
// URL hash: `#objective=double_well&objective.mu=1&eta=0.1&steps=200&x0=0.5`

/** The hash of what the controls hold; values that are not numbers where numbers belong are left out. */
function hashOfControls() {
  const entries = objectiveHashEntries(state.schema, state.controls);
  // η and steps always; the sharpness and schedule controls only where they differ from their
  // defaults (the decay factor only with a decay step), so that most addresses stay short.
  const decay = gdInputs.decay_at.value.trim() !== '';
  for (const key of Object.keys(NUMERIC_GD)) {
    const v = gdInputs[key].valueAsNumber;
    const always = key === 'eta' || key === 'steps';
    const shown = always || (key === 'decay_factor' ? decay : v !== GD_DEFAULTS[key]);
    if (!Number.isNaN(v) && shown) entries.push([key, String(v)]);
  }
  const x0 = parseNumberList(gdInputs.x0.value);
  if (x0.length > 0 && !x0.some(Number.isNaN)) entries.push(['x0', x0.join(',')]);
  return hashOfEntries(entries);
}

/**
 * Reads the address into the controls. What is malformed (an unknown objective or key, a number
 * that is not one, an option not offered) is reported and left at its default; values that are
 * well-formed but out of range go to the controls, and the core says what is wrong with them.
 */
function restoreFromHash() {
  const entries = hashEntries(location.hash);
  const problems = [];
  const { schema, params } = objectiveFromHash(entries, state.schemas, state.schemas[0], problems);
  const gd = { ...GD_DEFAULTS };
  for (const [key, raw] of entries) {
    if (key === 'objective' || key.startsWith('objective.')) continue;
    if (key in NUMERIC_GD) {
      gd[key] = numberFromHash(key, raw, GD_DEFAULTS[key], problems);
    } else if (key === 'x0') {
      gd.x0 = pointFromHash(key, raw, GD_DEFAULTS.x0, problems);
    } else {
      problems.push(`unknown key “${key}” (ignored; known keys: objective, objective.<parameter>, ${GD_KEYS.join(', ')})`);
    }
  }
  selectObjective(schema, params);
  for (const key of GD_KEYS) setGd(key, gd[key]);
  showHashProblems($('hash-message'), problems);
}

// ---------------------------------------------------------------------------------------------
// Errors from the core, beside the control that sets the named field

/** The control (key) that sets a spec field, or null for the general message area. */
function controlOf(field) {
  const gd = Object.keys(NUMERIC_GD).find((key) => NUMERIC_GD[key] === field);
  if (gd) return gd;
  if (field === 'x0' || field.startsWith('x0[')) return 'x0';
  return objectiveControlOf(field, state.controls);
}

function showMessages(messages) {
  const controls = [
    ...objectiveMessagePlaces(state.controls),
    ...GD_KEYS.map((key) => ({ key, error: $(`${key}-error`), inputs: [gdInputs[key]] })),
  ];
  messages.show(controls, $('message'));
}

// ---------------------------------------------------------------------------------------------
// Panels and readouts

/** Shows the panels that apply to an objective with `n` parameters and hides the others. */
function showPanels(n) {
  state.panels = panelsFor(n);
  for (const p of PANELS) figures[p].hidden = !state.panels.includes(p);
  for (const p of state.panels) sizeCanvas(canvases[p]);
}

function drawPanels(panels, messages) {
  if (!state.drawn) return;
  for (const panel of panels) {
    try {
      eoslab.drawTrajectory(canvases[panel], panel, state.drawn, dpr());
    } catch (e) {
      messages.add(e, `drawing the ${panel} panel failed`);
    }
  }
}

function clearPanels() {
  for (const p of PANELS) canvases[p].getContext('2d').clearRect(0, 0, canvases[p].width, canvases[p].height);
}

/** Dims the panels while the controls are refused: they show the last accepted run. */
function setStale(stale) {
  for (const p of PANELS) figures[p].classList.toggle('stale', stale);
}

/** An iterate in full precision, its first coordinates only when it has very many. */
function iterateText(x) {
  if (x.length <= READOUT_MAX_COORDS) return point(x);
  const rest = x.length - READOUT_MAX_COORDS;
  return `${point(x.slice(0, READOUT_MAX_COORDS))}, … (${rest} more coordinates: save the CSV for all)`;
}

function showReadouts(t) {
  const set = (id, text) => {
    $(id).textContent = text;
  };
  if (!t) {
    for (const id of ['zoo-period', 'zoo-final-loss', 'zoo-final-sharpness', 'zoo-threshold', 'zoo-last-iterate', 'zoo-prev-iterate', 'zoo-dim']) set(id, '—');
    showDirectional({});
    set('zoo-last-index', '');
    set('zoo-prev-index', '');
    return;
  }
  const n = t.iterates.length;
  const steps = t.iterate_steps;
  set('zoo-period', t.outcome_label);
  set('zoo-final-loss', fmt(t.loss[t.loss.length - 1]));
  set('zoo-final-sharpness', t.sharpness.length ? fmt(t.sharpness[t.sharpness.length - 1]) : '—');
  set('zoo-threshold', fmt(t.stability_threshold));
  showDirectional(t.directional ?? {});
  set('zoo-last-index', `x${subscript(steps[n - 1])}`);
  set('zoo-last-iterate', iterateText(t.iterates[n - 1]));
  const hasPrev = n >= 2 && steps[n - 2] === steps[n - 1] - 1;
  set('zoo-prev-index', hasPrev ? `x${subscript(steps[n - 2])}` : '');
  set('zoo-prev-iterate', hasPrev ? iterateText(t.iterates[n - 2]) : '— (not recorded)');
  set('zoo-dim', String(t.iterates[0].length));
}

/** The directions paper 003 names, in the order the readout lists them. */
const DIRECTIONS = ['v_plus', 'v_minus'];

/**
 * The last tracked curvatures along the objective's named directions (003's λ₊, λ₋), shown only
 * for objectives that have them; "—" where a direction does not exist at the last tracked step.
 */
function showDirectional(directional) {
  const names = DIRECTIONS.filter((name) => name in directional);
  $('zoo-directional-row').hidden = names.length === 0;
  $('zoo-directional').textContent = names
    .map((name) => directional[name].at(-1))
    .map((v) => (v === null || v === undefined ? '—' : fmt(v)))
    .join(', ');
}

/** After a run from the default start (x₀ blank), that start as the x₀ field's placeholder. */
function showDefaultStart(t) {
  if (!t || gdInputs.x0.value.trim() !== '') return;
  const x0 = t.iterates[0];
  gdInputs.x0.placeholder =
    x0.length <= 4 ? `default: ${x0.map((v) => Number(v.toPrecision(6))).join(', ')}` : `${GENERIC_START} (${x0.length} coordinates)`;
}

// ---------------------------------------------------------------------------------------------
// The update: run, draw, show

/**
 * Runs GD as the controls say and redraws. A run that may be slow (a new objective or new
 * parameters, or the last run was slow) first shows "computing…" and lets the browser paint it,
 * since the run blocks the page until it ends.
 */
async function update({ writeHash = true } = {}) {
  const generation = ++state.generation;
  const v = readControls();
  if (writeHash) history.replaceState(null, '', hashOfControls());
  const spec = trajectorySpec(v);
  const identity = JSON.stringify(spec.objective);
  const slow = identity !== state.lastRun.identity || state.lastRun.ms > SLOW_RUN_MS;
  const status = $('zoo-status');
  status.textContent = 'computing…';
  status.classList.toggle('delayed', !(state.lastRun.ms > SLOW_RUN_MS));
  $('plots').setAttribute('aria-busy', 'true');
  if (slow) await afterPaint();
  if (generation !== state.generation) return; // a newer update took over

  const messages = new FieldMessages(controlOf);
  const t0 = performance.now();
  try {
    state.trajectory = eoslab.run(spec);
    state.drawn = state.trajectory;
    setStale(false);
  } catch (e) {
    messages.add(e);
    state.trajectory = null;
    setStale(true);
    // The last drawing stays, dimmed, only while it shows the same objective.
    if (state.drawn && state.drawn.objective.name !== v.objective.name) {
      state.drawn = null;
      clearPanels();
    }
  }
  state.lastRun = { identity, ms: performance.now() - t0 };
  if (state.drawn) {
    showPanels(state.drawn.iterates[0].length);
    if (state.trajectory) drawPanels(state.panels, messages);
  }
  showReadouts(state.trajectory);
  showDefaultStart(state.trajectory);
  showMessages(messages);
  status.textContent = '';
  $('plots').removeAttribute('aria-busy');
  // The values this drawing shows, in the hash's form (for tests waiting on a particular view).
  document.body.dataset.state = hashOfControls().slice(1);
  markDrawn();
}

/** Coalesces bursts of input events (a dragged slider) into one update per frame. */
const scheduleUpdate = oncePerFrame(update).schedule;

/** A control moved: the address is about to be rewritten, so its old complaints no longer apply. */
function userChanged() {
  showHashProblems($('hash-message'), []);
  scheduleUpdate();
}

/** Redraws the shown canvases whose size changed, without running anything. */
function redrawResized() {
  const resized = state.panels.filter((p) => sizeCanvas(canvases[p]));
  if (resized.length === 0 || !state.drawn) return;
  const messages = new FieldMessages(controlOf);
  drawPanels(resized, messages);
  if (messages.general.length) showMessages(messages);
  markDrawn();
}

// ---------------------------------------------------------------------------------------------
// Export

function stem() {
  return `zoo_${state.schema.name}_eta${gdInputs.eta.value}`;
}

function saveCsv() {
  const t = state.trajectory;
  if (!t) return;
  const iterateAt = new Map(t.iterate_steps.map((s, i) => [s, t.iterates[i]]));
  const sharpnessSteps = t.sharpness_steps ?? t.sharpness.map((_, i) => i);
  const sharpnessAt = new Map(sharpnessSteps.map((s, i) => [s, t.sharpness[i]]));
  // Columns filled at the tracked steps: with top-k tracking the 2nd…kth eigenvalues, then one
  // per named direction (003's λ₊, λ₋).
  const tracked = (values) => new Map(sharpnessSteps.map((s, i) => [s, values[i]]));
  const k = t.top_eigenvalues?.[0]?.length ?? 1;
  const extra = [
    ...Array.from({ length: k - 1 }, (_, j) => [`eigenvalue_${j + 2}`, tracked(t.top_eigenvalues.map((ev) => ev[j + 1]))]),
    ...Object.entries(t.directional ?? {}).map(([name, values]) => [`curvature_${name}`, tracked(values)]),
  ];
  const rows = [['step,x,loss,sharpness', ...extra.map(([name]) => name)].join(',')];
  t.loss.forEach((loss, s) => {
    const cells = extra.map(([, at]) => at.get(s) ?? '');
    rows.push([`${s},${iterateAt.get(s)?.join(';') ?? ''},${loss},${sharpnessAt.get(s) ?? ''}`, ...cells].join(','));
  });
  saveText(`${stem()}_trajectory.csv`, rows.join('\n') + '\n', 'text/csv');
}

// ---------------------------------------------------------------------------------------------
// Events and start

function wire() {
  $('objective').addEventListener('change', () => {
    const schema = state.schemas.find((s) => s.name === $('objective').value);
    selectObjective(schema);
    setGd('x0', ''); // a start of the old objective has the wrong number of coordinates
    userChanged();
  });
  for (const key of GD_KEYS) gdInputs[key].addEventListener('input', userChanged);
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    scheduleUpdate();
  });
  $('reset').addEventListener('click', () => {
    selectObjective(state.schemas[0]);
    for (const key of GD_KEYS) setGd(key, GD_DEFAULTS[key]);
    userChanged();
  });
  $('save-csv').addEventListener('click', saveCsv);
  for (const button of document.querySelectorAll('.save-png')) {
    button.addEventListener('click', () => savePng(canvases[button.dataset.canvas], `${stem()}_${button.dataset.canvas}.png`));
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
    await init();
    state.schemas = eoslab.objectives();
  } catch (e) {
    const el = $('message');
    el.textContent = `The WebAssembly core could not be loaded: ${e?.message ?? e}`;
    el.hidden = false;
    return;
  }
  buildSelector($('objective'), state.schemas);
  restoreFromHash();
  wire();
  await update({ writeHash: location.hash !== '' });
}

main();
