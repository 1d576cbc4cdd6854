// The bifurcation explorer: one bifurcation <eoslab-figure> (its spec in the address; it zooms
// into a dragged window and scans it again, and draws the Lyapunov exponent under the diagram).
// This page only reads a column: the one clicked (or picked with Enter), marked on the diagram.

import { readable } from '../pkg/eoslab.js';
import { siteNav } from './site.js';

const $ = (id) => document.getElementById(id);
const scan = $('bifurcation');

/** The column read first: the double well's 2-cycle (1 < ημ < √5 − 1). */
const FIRST_COLUMN = 1.1;

/** Numbers as read (six digits) in the text, exactly in the title; null entries as `none`. */
function show(id, values, none = '—') {
  $(id).textContent = values.map((v) => (v === null ? none : readable(v))).join(', ');
  $(id).title = values.map(String).join(', ');
}

/** The marked column's readouts (none while the spec is refused). */
function showColumn(refused = false) {
  const column = !refused && (scan.result || scan.dataset.state === 'running') ? scan.at(scan.marker) : null;
  const name = scan.spec?.parameter?.name ?? 'η';
  if (!column) {
    for (const id of ['at-value', 'at-period', 'at-lyapunov', 'at-eta', 'at-diverged']) $(id).textContent = '—';
    return;
  }
  $('at-value').textContent = `${name} = ${readable(column.value)}`;
  $('at-value').title = String(column.value);
  $('at-period').textContent = column.period ? String(column.period) : 'none (not periodic, mixed or diverged)';
  show('at-lyapunov', column.lyapunov, 'none');
  show('at-eta', [column.eta]);
  $('at-diverged').textContent = column.diverged_at.map((k) => (k === null ? 'no' : `at step ${k}`)).join(', ');
}

scan.marker = FIRST_COLUMN;
scan.addEventListener('result', () => showColumn());
scan.addEventListener('error', () => showColumn(true));
scan.addEventListener('pick', ({ detail }) => {
  scan.marker = detail.value;
  showColumn();
});

siteNav();
