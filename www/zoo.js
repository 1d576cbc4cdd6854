// The objective zoo: one <eoslab-figure> with controls built from every objective's schema, its
// spec in the address; this page names the objective (title, description, citation) and says in
// words where GD ends up, from the figure's result. Nothing here knows a particular objective.

import { objectives, readable } from '../pkg/eoslab.js';
import { siteNav } from './site.js';

const $ = (id) => document.getElementById(id);
const figure = $('zoo');
const schemas = objectives();

/** Coordinates of an iterate shown in a readout; the CSV has all of them. */
const READOUT_MAX_COORDS = 16;
/** The directions paper 003 names, in the order the readout lists them. */
const DIRECTIONS = ['v_plus', 'v_minus'];
const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const subscript = (n) => String(n).replace(/\d/g, (d) => SUBSCRIPTS[d]);

/** Numbers as read (six digits) in the text, exactly in the title. */
function show(id, values, more = '') {
  $(id).textContent = values.map((v) => (v === null || v === undefined ? '—' : readable(v))).join(', ') + more;
  $(id).title = values.map(String).join(', ');
}

function iterate(id, x) {
  const rest = x.length - READOUT_MAX_COORDS;
  show(id, x.slice(0, READOUT_MAX_COORDS), rest > 0 ? `, … (${rest} more coordinates: save the CSV for all)` : '');
  $(id).title = x.map(String).join(', ');
}

function showObjective() {
  const name = figure.spec.objective?.name ?? 'double_well';
  const schema = schemas.find((s) => s.name === name);
  $('objective-title').textContent = schema?.title ?? name;
  $('objective-description').textContent = schema?.description ?? '';
  $('objective-citation').textContent = schema?.citation ?? '';
}

function clearReadouts() {
  for (const id of ['zoo-period', 'zoo-final-loss', 'zoo-final-sharpness', 'zoo-threshold', 'zoo-last-iterate', 'zoo-prev-iterate', 'zoo-dim']) {
    $(id).textContent = '—';
    $(id).title = '';
  }
  $('zoo-directional-row').hidden = true;
  $('zoo-last-index').textContent = '';
  $('zoo-prev-index').textContent = '';
  showObjective();
}

figure.addEventListener('result', ({ detail: t }) => {
  showObjective();
  const n = t.iterates.length;
  const steps = t.iterate_steps;
  $('zoo-period').textContent = t.outcome_label;
  show('zoo-final-loss', [t.loss.at(-1)]);
  if (t.sharpness.length) show('zoo-final-sharpness', [t.sharpness.at(-1)]);
  else $('zoo-final-sharpness').textContent = '—';
  show('zoo-threshold', [t.stability_threshold]);
  const names = DIRECTIONS.filter((name) => name in (t.directional ?? {}));
  $('zoo-directional-row').hidden = names.length === 0;
  if (names.length) show('zoo-directional', names.map((name) => t.directional[name].at(-1)));
  $('zoo-last-index').textContent = `x${subscript(steps[n - 1])}`;
  iterate('zoo-last-iterate', t.iterates[n - 1]);
  const hasPrev = n >= 2 && steps[n - 2] === steps[n - 1] - 1;
  $('zoo-prev-index').textContent = hasPrev ? `x${subscript(steps[n - 2])}` : '';
  if (hasPrev) iterate('zoo-prev-iterate', t.iterates[n - 2]);
  else {
    $('zoo-prev-iterate').textContent = '— (not recorded)';
    $('zoo-prev-iterate').title = '';
  }
  $('zoo-dim').textContent = String(t.iterates[0].length);
});
figure.addEventListener('error', clearReadouts);

showObjective();
siteNav();
