// The double-well explorer: a trajectory figure (η, x₀, steps, μ; its spec in the address) and a
// bifurcation figure over η (its range in the address as `scan:…`), both <eoslab-figure>s. This
// page only ties them together and says in words where GD ends up: the diagram follows μ and
// marks η; a click on it sets η; the readouts come from the trajectory's result.

import { readable } from '../pkg/eoslab.js';
import { siteNav } from './site.js';

const $ = (id) => document.getElementById(id);
const trajectory = $('trajectory');
const scan = $('scan');

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPTS[d]);
/** A number as read (six digits), its exact value in the title. */
function show(id, values, suffix = '') {
  const el = $(id);
  el.textContent = values.map(readable).join(', ') + suffix;
  el.title = values.map(String).join(', ');
}

function showThresholds(mu) {
  $('thresholds').textContent =
    `For μ = ${readable(mu)}: first period doubling at η = 1/μ = ${readable(1 / mu)}, ` +
    `the second at η = (√5 − 1)/μ = ${readable((Math.sqrt(5) - 1) / mu)}, divergence beyond η = 2/μ = ${readable(2 / mu)}.`;
}

function showScanPeriod() {
  const column = scan.result || scan.dataset.state === 'running' ? scan.at(trajectory.spec.eta, 0) : null;
  const el = $('scan-period');
  if (!column) el.textContent = '—';
  else if (Math.abs(column.eta - trajectory.spec.eta) > (scan.spec.eta_max - scan.spec.eta_min) / Math.max(1, scan.spec.n_eta - 1)) el.textContent = 'η is outside the scanned range';
  else el.textContent = column.period ? String(column.period) : 'not periodic, mixed or diverged';
}

function clearReadouts() {
  for (const id of ['period', 'last-iterate', 'prev-iterate', 'orbit', 'orbit-sharpness', 'multiplier']) $(id).textContent = '—';
  $('last-index').textContent = '';
  $('prev-index').textContent = '';
}

trajectory.addEventListener('result', ({ detail: t }) => {
  const n = t.iterates.length;
  $('period').textContent = t.outcome_label;
  $('last-index').textContent = `x${subscript(t.iterate_steps[n - 1])}`;
  show('last-iterate', t.iterates[n - 1]);
  $('prev-index').textContent = n >= 2 ? `x${subscript(t.iterate_steps[n - 2])}` : '';
  if (n >= 2) show('prev-iterate', t.iterates[n - 2]);
  const o = t.outcome;
  if (o.status === 'periodic') {
    show('orbit', o.orbit.flat());
    show('orbit-sharpness', o.orbit_sharpness, `  (2/η = ${readable(t.stability_threshold)})`);
    show('multiplier', [o.multiplier], ' (attracting: below 1)');
  } else {
    $('orbit').textContent = o.status === 'chaotic' ? 'no attracting orbit (chaotic)' : `none: ${t.outcome_label}`;
    $('orbit-sharpness').textContent = `— (2/η = ${readable(t.stability_threshold)})`;
    $('multiplier').textContent = '—';
  }
  showThresholds(t.objective.mu);
  // The diagram follows μ (a new scan) and marks η.
  scan.marker = t.eta;
  if (scan.spec.objective.mu !== t.objective.mu) scan.spec = { ...scan.spec, objective: { ...scan.spec.objective, mu: t.objective.mu } };
  showScanPeriod();
});
trajectory.addEventListener('error', clearReadouts);
scan.addEventListener('result', showScanPeriod);
scan.addEventListener('pick', ({ detail }) => {
  trajectory.spec = { ...trajectory.spec, eta: Number(readable(detail.eta ?? detail.x)) };
});

siteNav();
