// The double-well explorer: controls and URL hash → a trajectory spec and a bifurcation spec → the
// wasm core (validation, numerics, drawing) → five canvases and text readouts.
//
// The page validates nothing itself: every value goes to the core as a number (NaN when an input
// is not one) and the core's error, which names the spec field, is shown beside the control that
// sets that field.

import init, * as eoslab from '../pkg/eoslab_web.js';
import {
  $, dpr, sizeCanvas, observeResize, fmt, point, short, subscript, hashEntries, showHashProblems as showProblemsIn,
  FieldMessages, drawMarker, savePng as savePngAs, saveText, siteNav, oncePerFrame,
} from './common.js';

/** The controls, by the key they use in the URL hash, with their defaults. */
const DEFAULTS = { eta: 0.5, x0: 0.5, steps: 200, mu: 1, emin: 0.05, emax: 2.2 };
const KEYS = Object.keys(DEFAULTS);

/** Scan settings that are not controls (the brief of the figure). */
const SCAN = { maxEtas: 2000, transient: 1000, record: 256, fallbackStart: 0.5 };

const TRAJECTORY_PANELS = ['landscape', 'cobweb', 'loss', 'sharpness'];

const inputs = Object.fromEntries(KEYS.map((k) => [k, $(k)]));
const sliders = Object.fromEntries(KEYS.map((k) => [k, $(`${k}-range`)]).filter(([, el]) => el));
const errors = Object.fromEntries(KEYS.map((k) => [k, $(`${k}-error`)]));
const canvases = Object.fromEntries([...TRAJECTORY_PANELS, 'bifurcation'].map((p) => [p, $(p)]));

/** Everything the page has computed and drawn, so a resize or a new η marker redraws only. */
const state = {
  trajectory: null, // last successful result of `run`
  figure: null, // BifurcationFigure of the last successful scan
  figureKey: null, // the scan spec that figure was built from (JSON), to know when to rescan
  bifurcationRect: null, // what figure.draw returned (canvas pixels)
  drawnEta: NaN, // η of the marker drawn in the diagram
  scans: 0, // bifurcation scans run, in document.body.dataset.scans
};

// ---------------------------------------------------------------------------------------------
// Values of the controls

/** The number in an input, NaN when it holds no number (so that the core says what is wrong). */
function valueOf(key) {
  const v = inputs[key].valueAsNumber;
  return Number.isNaN(v) ? NaN : v;
}

function readControls() {
  return Object.fromEntries(KEYS.map((k) => [k, valueOf(k)]));
}

function setControl(key, value) {
  inputs[key].value = Number.isFinite(value) ? String(value) : '';
  syncSlider(key);
}

function syncSlider(key) {
  const slider = sliders[key];
  const v = valueOf(key);
  if (slider && Number.isFinite(v)) slider.value = String(v);
}

// ---------------------------------------------------------------------------------------------
// URL hash: `#eta=1.1&x0=0.5&steps=200&mu=1&emin=0.05&emax=2.2`

/** Parses the hash into values for the known keys, with a list of what was malformed. */
function parseHash(hash) {
  const values = { ...DEFAULTS };
  const problems = [];
  for (const [key, raw] of hashEntries(hash)) {
    if (!KEYS.includes(key)) {
      problems.push(`unknown key “${key}” (ignored; known keys: ${KEYS.join(', ')})`);
      continue;
    }
    const v = raw.trim() === '' ? NaN : Number(raw);
    if (Number.isNaN(v)) {
      problems.push(`${key}=“${raw}” is not a number (using the default ${key}=${DEFAULTS[key]})`);
      continue;
    }
    values[key] = v;
  }
  return { values, problems };
}

function hashOf(values) {
  return '#' + KEYS.filter((k) => !Number.isNaN(values[k])).map((k) => `${k}=${values[k]}`).join('&');
}

function showHashProblems(problems) {
  showProblemsIn($('hash-message'), problems);
}

function restoreFromHash() {
  const { values, problems } = parseHash(location.hash);
  for (const k of KEYS) setControl(k, values[k]);
  showHashProblems(problems);
}

// ---------------------------------------------------------------------------------------------
// Errors from the core, shown beside the control that sets the named spec field

/** The control (hash key) that sets a spec field, or null for the whole spec. */
function controlOf(field) {
  if (field === 'eta') return 'eta';
  if (field === 'steps') return 'steps';
  if (field === 'x0' || field.startsWith('x0[') || field.startsWith('starts')) return 'x0';
  if (field.startsWith('objective')) return 'mu';
  if (field === 'eta_min') return 'emin';
  if (field === 'eta_max') return 'emax';
  return null;
}

class Messages extends FieldMessages {
  constructor() {
    super(controlOf);
  }
  show() {
    const controls = KEYS.map((key) => ({ key, error: errors[key], inputs: [inputs[key], sliders[key]].filter(Boolean) }));
    super.show(controls, $('message'));
  }
}

// ---------------------------------------------------------------------------------------------
// Specs

function objectiveOf(v) {
  return { name: 'double_well', mu: v.mu };
}

function trajectorySpec(v) {
  return { kind: 'trajectory', objective: objectiveOf(v), eta: v.eta, x0: [v.x0], steps: v.steps };
}

/** The scan starts from ±x₀ (one run in each well), or ±0.5 when x₀ is 0 or not a number. */
function bifurcationSpec(v, nEta) {
  const s = Number.isFinite(v.x0) && v.x0 !== 0 ? Math.abs(v.x0) : SCAN.fallbackStart;
  return {
    kind: 'bifurcation',
    objective: objectiveOf(v),
    eta_min: v.emin,
    eta_max: v.emax,
    n_eta: nEta,
    transient: SCAN.transient,
    record: SCAN.record,
    starts: [[s], [-s]],
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing and readouts

function drawTrajectoryPanels(messages) {
  if (!state.trajectory) return;
  for (const panel of TRAJECTORY_PANELS) {
    try {
      eoslab.drawTrajectory(canvases[panel], panel, state.trajectory, dpr());
    } catch (e) {
      messages.add(e, `drawing the ${panel} panel failed`);
    }
  }
}

function drawBifurcation(messages, eta) {
  if (!state.figure) return;
  const canvas = canvases.bifurcation;
  try {
    const rect = state.figure.draw(canvas, dpr(), eta);
    state.bifurcationRect = rect;
    state.drawnEta = eta;
    // The plotting area in CSS pixels, for the click handler and for tests.
    canvas.dataset.plot = JSON.stringify({
      left: rect.left / dpr(),
      right: rect.right / dpr(),
      top: rect.top / dpr(),
      bottom: rect.bottom / dpr(),
      eta_min: rect.x_min,
      eta_max: rect.x_max,
    });
  } catch (e) {
    messages.add(e, 'drawing the bifurcation diagram failed');
  }
}

function showReadouts(t) {
  const set = (id, text) => { $(id).textContent = text; };
  if (!t) {
    for (const id of ['period', 'last-iterate', 'prev-iterate', 'orbit', 'orbit-sharpness', 'multiplier']) set(id, '—');
    set('last-index', '');
    set('prev-index', '');
    return;
  }
  const n = t.iterates.length;
  set('period', t.outcome_label);
  set('last-index', `x${subscript(n - 1)}`);
  set('last-iterate', point(t.iterates[n - 1]));
  set('prev-index', n >= 2 ? `x${subscript(n - 2)}` : '');
  set('prev-iterate', n >= 2 ? point(t.iterates[n - 2]) : '—');
  const threshold = `2/η = ${fmt(t.stability_threshold)}`;
  const o = t.outcome;
  if (o.status === 'periodic') {
    set('orbit', o.orbit.map(point).join('  →  '));
    set('orbit-sharpness', `${o.orbit_sharpness.map(fmt).join(', ')}  (${threshold})`);
    set('multiplier', `${short(o.multiplier)} (attracting: below 1)`);
  } else {
    const why = o.status === 'chaotic' ? 'no attracting orbit (chaotic)' : `none: ${t.outcome_label}`;
    set('orbit', why);
    set('orbit-sharpness', `— (${threshold})`);
    set('multiplier', '—');
  }
}

function showScanPeriod(eta) {
  const el = $('scan-period');
  const f = state.figure;
  const r = state.bifurcationRect;
  if (!f || !r || !Number.isFinite(eta)) {
    el.textContent = '—';
    return;
  }
  if (eta < r.x_min || eta > r.x_max) {
    el.textContent = 'η is outside the scanned range';
    return;
  }
  const periods = f.periods();
  const i = periods.length === 1 ? 0 : Math.round(((eta - r.x_min) / (r.x_max - r.x_min)) * (periods.length - 1));
  const p = periods[i];
  el.textContent = p === 0 ? 'not periodic, mixed or diverged' : String(p);
}

function showThresholds(mu) {
  const el = $('thresholds');
  if (!(Number.isFinite(mu) && mu > 0)) {
    el.textContent = '';
    return;
  }
  el.textContent =
    `For μ = ${mu}: first period doubling at η = 1/μ = ${short(1 / mu)}, ` +
    `the second at η = (√5 − 1)/μ = ${short((Math.sqrt(5) - 1) / mu)}, divergence beyond η = 2/μ = ${short(2 / mu)}.`;
}

// ---------------------------------------------------------------------------------------------
// The update: run, draw, show

/**
 * Runs what changed and redraws. The trajectory is rerun every time (it is cheap); the
 * bifurcation scan only when its spec (μ, η range, starts) changed, otherwise only the η marker
 * is redrawn.
 */
function update({ writeHash = true } = {}) {
  const v = readControls();
  const messages = new Messages();
  if (writeHash) history.replaceState(null, '', hashOf(v));
  showThresholds(v.mu);

  try {
    state.trajectory = eoslab.run(trajectorySpec(v));
    setStale(TRAJECTORY_PANELS, false);
  } catch (e) {
    messages.add(e);
    state.trajectory = null;
    setStale(TRAJECTORY_PANELS, true);
  }
  showReadouts(state.trajectory);
  drawTrajectoryPanels(messages);

  const nEta = Math.min(SCAN.maxEtas, canvases.bifurcation.width);
  const scanSpec = bifurcationSpec(v, nEta);
  const key = JSON.stringify({ ...scanSpec, n_eta: undefined });
  if (key !== state.figureKey) {
    try {
      const figure = new eoslab.BifurcationFigure(scanSpec);
      state.figure?.free();
      state.figure = figure;
      state.figureKey = key;
      state.scans += 1;
      document.body.dataset.scans = String(state.scans);
      setStale(['bifurcation'], false);
    } catch (e) {
      messages.add(e);
      setStale(['bifurcation'], true);
    }
  }
  drawBifurcation(messages, v.eta);
  showScanPeriod(v.eta);

  messages.show();
  // The values this drawing shows, in the hash's form (for tests waiting on a particular view).
  document.body.dataset.state = hashOf(v).slice(1);
  markDrawn();
}

/** Dims panels whose last drawing no longer matches the controls (the spec was refused). */
function setStale(panels, stale) {
  for (const p of panels) canvases[p].closest('figure').classList.toggle('stale', stale);
}

const markDrawn = drawMarker();

/** Coalesces bursts of input events (a dragged slider) into one update per frame. */
const scheduleUpdate = oncePerFrame(update).schedule;

/** A control moved: the address is about to be rewritten, so its old complaints no longer apply. */
function userChanged() {
  showHashProblems([]);
  scheduleUpdate();
}

/** Redraws canvases whose size changed, without recomputing anything. */
function redrawResized() {
  const resized = Object.values(canvases).filter(sizeCanvas);
  if (resized.length === 0) return;
  const messages = new Messages();
  if (resized.some((c) => TRAJECTORY_PANELS.includes(c.id))) drawTrajectoryPanels(messages);
  if (resized.includes(canvases.bifurcation)) drawBifurcation(messages, state.drawnEta);
  if (messages.general.length) messages.show();
  markDrawn();
}

// ---------------------------------------------------------------------------------------------
// Events

function wire() {
  for (const k of KEYS) {
    inputs[k].addEventListener('input', () => {
      syncSlider(k);
      userChanged();
    });
    const slider = sliders[k];
    slider?.addEventListener('input', () => {
      inputs[k].value = slider.value;
      userChanged();
    });
  }
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    scheduleUpdate();
  });
  $('reset').addEventListener('click', () => {
    for (const k of KEYS) setControl(k, DEFAULTS[k]);
    userChanged();
  });
  $('save-csv').addEventListener('click', saveCsv);
  for (const button of document.querySelectorAll('.save-png')) {
    button.addEventListener('click', () => savePng(button.dataset.canvas));
  }

  canvases.bifurcation.addEventListener('click', (event) => {
    const eta = etaAt(event);
    if (eta === null) return;
    setControl('eta', eta);
    userChanged();
  });

  window.addEventListener('hashchange', () => {
    restoreFromHash();
    update({ writeHash: false });
  });

  observeResize(Object.values(canvases), redrawResized);
}

/** η under a click on the bifurcation canvas, rounded to what one CSS pixel resolves; null outside. */
function etaAt(event) {
  const r = state.bifurcationRect;
  if (!r) return null;
  const canvas = canvases.bifurcation;
  const box = canvas.getBoundingClientRect();
  const px = ((event.clientX - box.left) * canvas.width) / box.width; // device pixels
  if (px < r.left || px > r.right) return null;
  const eta = r.x_min + ((px - r.left) / (r.right - r.left)) * (r.x_max - r.x_min);
  const perCssPixel = ((r.x_max - r.x_min) / (r.right - r.left)) * dpr();
  const decimals = Math.min(15, Math.max(0, Math.ceil(-Math.log10(perCssPixel)) + 1));
  return Number(eta.toFixed(decimals));
}

// ---------------------------------------------------------------------------------------------
// Export

function stem() {
  const v = readControls();
  return `double-well_eta${v.eta}_x0${v.x0}_mu${v.mu}`;
}

function savePng(panel) {
  savePngAs(canvases[panel], `${stem()}_${panel}.png`);
}

function saveCsv() {
  const t = state.trajectory;
  if (!t) return;
  const rows = ['step,x,loss,sharpness'];
  t.iterates.forEach((p, i) => rows.push(`${i},${p.join(';')},${t.loss[i]},${t.sharpness[i]}`));
  saveText(`${stem()}_trajectory.csv`, rows.join('\n') + '\n', 'text/csv');
}

// ---------------------------------------------------------------------------------------------
// Start

async function main() {
  siteNav();
  restoreFromHash();
  try {
    await init();
  } catch (e) {
    const el = $('message');
    el.textContent = `The WebAssembly core could not be loaded: ${e?.message ?? e}`;
    el.hidden = false;
    return;
  }
  for (const c of Object.values(canvases)) sizeCanvas(c);
  update({ writeHash: location.hash !== '' });
  wire();
}

main();
