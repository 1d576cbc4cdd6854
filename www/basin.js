// The basin-map explorer: GD from every start of a 2-D grid, each start classed by the core
// (stable or unstable convergence, periodic, bounded, diverged; which minimum), computed in Web
// Workers (scan-pool.js) a band of rows at a time and painted as the bands arrive. Clicking a
// start runs it on the page and draws its loss coloured by regime and its path.
//
// The objective's controls come from its schema (common.js); the page validates nothing: the
// core's errors name the spec field and are shown beside the control that sets it.

import * as eoslab from '../pkg/eoslab_web.js';
import {
  $, dpr, sizeCanvas, observeResize, point, short, hashEntries, hashOfEntries, showHashProblems, FieldMessages,
  drawMarker, savePng, siteNav, paramControl, buildSelector, objectiveFromHash, objectiveControlOf,
  objectiveHashEntries, objectiveMessagePlaces, oncePerFrame,
} from './common.js';
import { loadCore, ScanView } from './scan-page.js';

/** The map's controls and their defaults: paper 004's f₄ regime at η = 0.4 over [−2, 2]². */
const DEFAULTS = { eta: 0.4, steps: 1000, x_min: -2, x_max: 2, y_min: -2, y_max: 2, nx: 200, ny: 200 };
const KEYS = Object.keys(DEFAULTS);
/** The objective shown first: the paper's test functions. */
const DEFAULT_OBJECTIVE = 'unstable_convergence';
/** Starts per chunk of rows a worker computes before the page paints. */
const CHUNK_POINTS = 8192;

const inputs = Object.fromEntries(KEYS.map((k) => [k, $(k)]));
const canvases = { map: $('map'), regimes: $('regimes'), plane: $('plane') };

const state = {
  schemas: [],
  schema: null,
  controls: [],
  plot: null, // the BasinPlot being filled
  rect: null, // where the map's data is on its canvas
  view: null, // the ScanView of the page's maps
  selected: null, // [i, j] of the clicked start
  trajectory: null, // its run
  legend: [], // basinClasses()
};

const markDrawn = drawMarker();

// ---------------------------------------------------------------------------------------------
// Controls and the address: `#objective=unstable_convergence&objective.which=f4&eta=0.4&…&start=3,7`

function selectObjective(schema, values = {}) {
  state.schema = schema;
  $('objective').value = schema.name;
  state.controls = schema.params.map((p) => paramControl(p, userChanged));
  for (const c of state.controls) c.write(c.param.name in values ? values[c.param.name] : c.param.default);
  $('params').replaceChildren(...state.controls.map((c) => c.element));
}

function spec() {
  const objective = { name: state.schema.name };
  for (const c of state.controls) objective[c.param.name] = c.read();
  const s = { kind: 'basin', objective };
  for (const key of KEYS) s[key] = inputs[key].valueAsNumber;
  return s;
}

function hashOfControls() {
  const entries = objectiveHashEntries(state.schema, state.controls);
  for (const key of KEYS) {
    const v = inputs[key].valueAsNumber;
    if (!Number.isNaN(v)) entries.push([key, String(v)]);
  }
  if (state.selected) entries.push(['start', state.selected.join(',')]);
  return hashOfEntries(entries);
}

function restoreFromHash() {
  const entries = hashEntries(location.hash);
  const problems = [];
  const fallback = state.schemas.find((s) => s.name === DEFAULT_OBJECTIVE) ?? state.schemas[0];
  const { schema, params } = objectiveFromHash(entries, state.schemas, fallback, problems);
  selectObjective(schema, params);
  const values = { ...DEFAULTS };
  state.selected = null;
  for (const [key, raw] of entries) {
    if (key === 'objective' || key.startsWith('objective.')) continue;
    if (key === 'start') {
      const ij = raw.split(',').map(Number);
      if (ij.length === 2 && ij.every((v) => Number.isInteger(v) && v >= 0)) state.selected = ij;
      else problems.push(`start=“${raw}” is not a cell “i,j” of the grid (ignored)`);
    } else if (KEYS.includes(key)) {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (Number.isNaN(v)) problems.push(`${key}=“${raw}” is not a number (using the default ${DEFAULTS[key]})`);
      else values[key] = v;
    } else {
      problems.push(`unknown key “${key}” (ignored; known keys: objective, objective.<parameter>, ${KEYS.join(', ')}, start)`);
    }
  }
  for (const key of KEYS) inputs[key].value = String(values[key]);
  showHashProblems($('hash-message'), problems);
}

function controlOf(field) {
  if (KEYS.includes(field)) return field;
  return objectiveControlOf(field, state.controls);
}

function showMessages(messages) {
  const controls = [
    ...objectiveMessagePlaces(state.controls),
    ...KEYS.map((key) => ({ key, error: $(`${key}-error`), inputs: [inputs[key]] })),
  ];
  messages.show(controls, $('message'));
}

// ---------------------------------------------------------------------------------------------
// The legend with the counts

function buildLegend() {
  state.legend = eoslab.basinClasses();
  $('legend').replaceChildren(
    ...state.legend.map(({ name, colour }) => {
      const li = document.createElement('li');
      li.dataset.class = name;
      const key = document.createElement('span');
      key.className = 'key';
      key.style.background = colour;
      const label = document.createElement('span');
      label.textContent = `${name.replace('_', ' ')}: `;
      const count = document.createElement('output');
      count.id = `count-${name}`;
      const fraction = document.createElement('output');
      fraction.id = `fraction-${name}`;
      li.append(key, label, count, ' (', fraction, ')');
      return li;
    }),
  );
}

function showCounts() {
  const c = state.plot?.counts();
  for (const { name } of state.legend) {
    $(`count-${name}`).textContent = c ? String(c.counts[name]) : '—';
    $(`fraction-${name}`).textContent = c && c.points ? short(c.counts[name] / c.points) : '—';
  }
}

// ---------------------------------------------------------------------------------------------
// Drawing

const draw = oncePerFrame(() => {
  const plot = state.plot;
  if (!plot) return;
  sizeCanvas(canvases.map);
  const x0 = state.selected ? plot.cell(...state.selected).x0 : [NaN, NaN];
  try {
    state.rect = plot.draw(canvases.map, dpr(), x0[0], x0[1]);
    canvases.map.dataset.rect = JSON.stringify(state.rect);
  } catch (e) {
    state.view.showError(e, 'drawing the map failed');
  }
  showCounts();
  showStart();
  state.view.drawn();
  markDrawn();
});

/** The clicked start: its class from the map, its run's regimes, and the run's two panels. */
function showStart() {
  const set = (id, text) => {
    $(id).textContent = text;
  };
  if (!state.plot || !state.selected) return;
  const cell = state.plot.cell(...state.selected);
  set('start-x0', point(cell.x0));
  set('start-class', cell.class === null ? 'not computed yet' : cell.class.replace('_', ' ') + (cell.period ? ` (period ${cell.period})` : ''));
  set('start-steps', cell.steps === null ? '—' : String(cell.steps));
  set('start-minimizer', cell.minimizer ? point(cell.minimizer) : '—');
  const t = state.trajectory;
  set('start-monotone', t ? String(t.regimes.monotone_from) : '—');
  set('start-catapult', t?.regimes.catapult ? short(t.regimes.catapult.peak_ratio) : 'none');
}

function drawTrajectory() {
  for (const panel of ['regimes', 'plane']) {
    const canvas = canvases[panel];
    sizeCanvas(canvas);
    if (!state.trajectory) {
      canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
      continue;
    }
    try {
      eoslab.drawTrajectory(canvas, panel, state.trajectory, dpr());
    } catch (e) {
      state.view.showError(e, `drawing the ${panel} panel failed`);
    }
  }
}

/** Runs GD from the selected start (on the page: one run is quick) and draws it. */
function runSelected() {
  state.trajectory = null;
  if (state.plot && state.selected) {
    const s = spec();
    const { x0 } = state.plot.cell(...state.selected);
    try {
      state.trajectory = eoslab.run({ kind: 'trajectory', objective: s.objective, eta: s.eta, x0, steps: s.steps });
    } catch (e) {
      state.view.showError(e, 'running the start failed');
    }
  }
  drawTrajectory();
  showStart();
  document.body.dataset.trajectory = state.trajectory ? point(state.trajectory.iterates[0]) : '';
}

// ---------------------------------------------------------------------------------------------
// Mapping

/** Validates the controls' spec, then maps it in the workers, painting each band of rows. */
const update = oncePerFrame(({ writeHash = true } = {}) => {
  if (writeHash) history.replaceState(null, '', hashOfControls());
  const s = spec();
  const messages = new FieldMessages(controlOf);
  const plot = state.view.prepare(() => new eoslab.BasinPlot(s), messages);
  showMessages(messages);
  if (!plot) {
    markDrawn();
    return;
  }
  state.plot?.free();
  state.plot = plot;
  if (state.selected) state.selected = [Math.min(state.selected[0], plot.nx - 1), Math.min(state.selected[1], plot.ny - 1)];
  runSelected();
  const workers = state.view.pool.workers.length;
  state.view.start({
    kind: 'basin',
    spec: s,
    size: plot.ny,
    chunk: Math.max(1, Math.min(Math.round(CHUNK_POINTS / plot.nx), Math.ceil(plot.ny / (2 * workers)))),
    insert: (start, data) => plot.insert(start, data),
    filled: () => plot.filled,
    draw,
    view: hashOfControls().slice(1),
    running: `mapping ${plot.nx} × ${plot.ny} starts…`,
    done: `${plot.nx * plot.ny} starts`,
  });
  draw();
});

function userChanged() {
  showHashProblems($('hash-message'), []);
  update.schedule();
}

/** A click on the map selects the start of the cell under it. */
function clicked(e) {
  const r = state.rect;
  if (!r || !state.plot) return;
  const box = canvases.map.getBoundingClientRect();
  const px = (e.clientX - box.left) * dpr();
  const py = (e.clientY - box.top) * dpr();
  if (px < r.left || px > r.right || py < r.top || py > r.bottom) return;
  const x = r.x_min + ((px - r.left) / (r.right - r.left)) * (r.x_max - r.x_min);
  const y = r.y_max - ((py - r.top) / (r.bottom - r.top)) * (r.y_max - r.y_min);
  state.selected = Array.from(state.plot.cellAt(x, y));
  history.replaceState(null, '', hashOfControls());
  runSelected();
  draw.schedule();
}

// ---------------------------------------------------------------------------------------------
// Start

function wire() {
  $('objective').addEventListener('change', () => {
    selectObjective(state.schemas.find((s) => s.name === $('objective').value));
    userChanged();
  });
  for (const key of KEYS) inputs[key].addEventListener('input', userChanged);
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    update.schedule();
  });
  $('reset').addEventListener('click', () => {
    selectObjective(state.schemas.find((s) => s.name === DEFAULT_OBJECTIVE) ?? state.schemas[0]);
    for (const key of KEYS) inputs[key].value = String(DEFAULTS[key]);
    state.selected = null;
    userChanged();
  });
  canvases.map.addEventListener('click', clicked);
  for (const button of document.querySelectorAll('.save-png')) {
    button.addEventListener('click', () => savePng(canvases[button.dataset.canvas], `basin_${state.schema.name}_${button.dataset.canvas}.png`));
  }
  window.addEventListener('hashchange', () => {
    restoreFromHash();
    update({ writeHash: false });
  });
  observeResize(Object.values(canvases), () => {
    draw.schedule();
    drawTrajectory();
  });
}

async function main() {
  siteNav();
  const core = await loadCore();
  if (!core) return;
  state.schemas = core.schemas;
  state.view = new ScanView(core.pool, 'rows', { controlOf, showMessages });
  buildSelector($('objective'), state.schemas);
  buildLegend();
  restoreFromHash();
  wire();
  update({ writeHash: location.hash !== '' });
}

main();
