// GD against gradient flow, and paper 001's self-stabilization: a flow or self_stabilization
// <eoslab-figure> (its spec in the address; the presets are addresses) and a heavy-ball trajectory
// figure (in the address as `hb:…`) whose momentum β is its own and whose objective, η, steps and
// start follow the first's. This page only ties them together: for β > 0 the heavy ball is laid
// over the first figure's loss and sharpness; the readouts are read off the results.

import { readable, sameSpec } from '../pkg/eoslab.js';
import { siteNav } from './site.js';

const $ = (id) => document.getElementById(id);
const figure = $('dynamics');
const heavyBall = $('heavy-ball');

/** Coordinates of an iterate shown in a readout. */
const READOUT_MAX_COORDS = 4;

const max = (values) => values.reduce((a, b) => Math.max(a, b), -Infinity);
const last = (values) => (values.length ? values[values.length - 1] : NaN);
/** A readout's numbers: as read (six digits) in the text, exactly in the title. */
const numbers = (...values) => ({ values });
const iterate = (x = []) => ({ values: x.slice(0, READOUT_MAX_COORDS), more: x.length > READOUT_MAX_COORDS ? `, … (${x.length} coordinates)` : '' });
const words = (text) => ({ text });

/** The first step at which GD's sharpness reached 2/η, or "never". */
function flowOnset(r) {
  const i = r.gd_sharpness.findIndex((s) => s >= r.stability_threshold);
  return i < 0 ? words('never') : numbers(r.sharpness_steps[i]);
}

const diverged = (r) => words(r.gd_diverged === null ? 'no' : `at step ${r.gd_diverged}`);

/** Readouts of each kind: [id, label, value(result)]. */
const READOUTS = {
  flow: [
    ['final-distance', 'final distance ‖θ_GD − θ_flow‖', (r) => numbers(last(r.distance))],
    ['max-distance', 'largest distance ‖θ_GD − θ_flow‖', (r) => numbers(max(r.distance))],
    ['final-time', 'final time η·t', (r) => numbers(last(r.time))],
    ['onset', 'first step with GD sharpness ≥ 2/η', flowOnset],
    ['threshold', 'stability threshold 2/η', (r) => numbers(r.stability_threshold)],
    ['final-sharpness', 'final sharpness: GD, flow', (r) => numbers(last(r.gd_sharpness), last(r.flow_sharpness))],
    ['final-gd', 'final GD iterate', (r) => iterate(last(r.gd_iterates))],
    ['final-flow', 'final flow point θ(η·t)', (r) => iterate(last(r.flow_iterates))],
    ['diverged', 'GD diverged', diverged],
    ['rk', 'Runge–Kutta steps: accepted, rejected', (r) => numbers(r.rk.accepted, r.rk.rejected)],
  ],
  self_stabilization: [
    ['onset', 'onset step k₀ (sharpness reaches 2/η)', (r) => numbers(r.start)],
    ['threshold', 'stability threshold 2/η', (r) => numbers(r.stability_threshold)],
    ['max-dagger-sharpness', 'largest S(θ†) over the tracked steps', (r) => numbers(max(r.constrained_sharpness))],
    ['max-prediction-error', 'largest ‖θ_GD − θ_pred‖', (r) => numbers(max(r.gd_to_predicted))],
    ['final-to-dagger', 'final ‖θ_GD − θ†‖', (r) => numbers(last(r.gd_to_constrained))],
    ['final-to-flow', 'final ‖θ_GD − θ_flow‖', (r) => numbers(last(r.gd_to_flow))],
    ['final-sharpness', 'final sharpness: GD, flow, θ†', (r) => numbers(last(r.gd_sharpness), last(r.flow_sharpness), last(r.constrained_sharpness))],
    ['alpha-beta', 'final α, β at θ†', (r) => numbers(last(r.alpha), last(r.beta))],
    ['diverged', 'GD diverged', diverged],
    ['work', 'projection iterations, Hessian-vector products', (r) => numbers(r.projection_iterations, r.hvps)],
  ],
  heavy_ball: [
    ['hb-threshold', 'heavy ball: threshold (2 + 2β)/η', (t) => numbers(t.stability_threshold)],
    ['hb-final-loss', 'heavy ball: final loss', (t) => numbers(last(t.loss))],
    ['hb-final-sharpness', 'heavy ball: final sharpness', (t) => numbers(last(t.sharpness))],
    ['hb-outcome', 'heavy ball: outcome', (t) => words(t.outcome_label)],
  ],
};

const TITLES = { flow: 'GD against gradient flow', self_stabilization: 'Self-stabilization: GD, flow, θ† and prediction' };

function row(id, label, shown) {
  const div = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  const out = document.createElement('output');
  out.id = id;
  out.className = 'number';
  if (shown.values) {
    out.textContent = shown.values.map((v) => (Number.isFinite(v) ? readable(v) : '—')).join(', ') + (shown.more ?? '');
    out.title = shown.values.map(String).join(', ');
  } else out.textContent = shown.text;
  dd.append(out);
  div.append(dt, dd);
  return div;
}

/** The heavy-ball run laid over the figure, when it is of the figure's spec with β > 0. */
function overlay() {
  const hb = heavyBall.result;
  return hb && hb.momentum > 0 && sameSpec(heavyBallSpec(), heavyBall.spec) ? hb : null;
}

/** The readouts of the figure's result (none while its spec is refused). */
function showReadouts(r = figure.result) {
  const rows = [];
  if (r) for (const [id, label, value] of READOUTS[r.kind] ?? []) rows.push(row(id, label, value(r)));
  const hb = r && overlay();
  if (hb) for (const [id, label, value] of READOUTS.heavy_ball) rows.push(row(id, label, value(hb)));
  $('readouts').replaceChildren(...rows);
  $('readouts-title').textContent = TITLES[r?.kind ?? figure.spec?.kind] ?? TITLES.flow;
}

/** The heavy ball's spec: the figure's objective, η, steps and start, with its own momentum. */
function heavyBallSpec() {
  const { objective, eta, steps, x0 } = figure.spec;
  const spec = { kind: 'trajectory', objective, eta, steps };
  if (x0 !== undefined) spec.x0 = x0;
  spec.momentum = heavyBall.spec?.momentum ?? 0;
  return spec;
}

function follow() {
  const spec = heavyBallSpec();
  if (!sameSpec(spec, heavyBall.spec)) heavyBall.spec = spec;
  figure.overlay = overlay();
  showReadouts();
}

figure.addEventListener('result', follow);
figure.addEventListener('error', () => showReadouts(null));
heavyBall.addEventListener('result', () => {
  figure.overlay = overlay();
  if (figure.dataset.state === 'done') showReadouts();
});

siteNav();
