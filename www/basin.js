// The basin-map page: a basin <eoslab-figure> (its spec in the address) and a trajectory figure
// of one start (in the address as `start:…`) showing its loss coloured by regime and its path.
// This page only ties them together: a pick on the map runs that start with the map's objective,
// η and steps; the legend counts the classes of the map's result; the readouts say what the
// start's cell holds and where its run's loss turned monotone.

import { basinClasses, readable, sameSpec } from '../pkg/eoslab.js';
import { siteNav } from './site.js';

const $ = (id) => document.getElementById(id);
const map = $('map');
const start = $('start');
const CLASSES = basinClasses();

/** Numbers as read (six digits) in the text, exactly in the title; '—' when there are none. */
function show(id, values) {
  $(id).textContent = values ? values.map(readable).join(', ') : '—';
  $(id).title = values ? values.map(String).join(', ') : '';
}

function buildLegend() {
  $('legend').replaceChildren(
    ...CLASSES.map(({ name, colour }) => {
      const li = document.createElement('li');
      const key = document.createElement('span');
      key.className = 'key';
      key.style.background = colour;
      const count = document.createElement('output');
      count.id = `count-${name}`;
      const fraction = document.createElement('output');
      fraction.id = `fraction-${name}`;
      li.append(key, `${name.replace('_', ' ')}: `, count, ' (', fraction, ')');
      return li;
    }),
  );
}

function showCounts(result) {
  const total = result ? result.x.length * result.y.length : 0;
  for (const { name } of CLASSES) {
    $(`count-${name}`).textContent = result ? String(result.counts[name]) : '—';
    $(`fraction-${name}`).textContent = result ? readable(result.counts[name] / total) : '—';
    $(`fraction-${name}`).title = result ? String(result.counts[name] / total) : '';
  }
}

/** The start's readouts: its cell on the map (once computed) and its run's regimes (none while refused). */
function showStart(run = start.dataset.state === 'done' ? start.result : null) {
  const x0 = start.spec?.x0;
  show('start-x0', x0);
  const cell = x0 && map.result ? map.at(x0[0], x0[1]) : null;
  $('start-class').textContent = cell?.class ? cell.class.replace('_', ' ') + (cell.period ? ` (period ${cell.period})` : '') : '—';
  $('start-steps').textContent = cell?.steps === null || cell?.steps === undefined ? '—' : String(cell.steps);
  show('start-minimizer', cell?.minimizer ?? null);
  const regimes = run?.regimes;
  $('start-monotone').textContent = regimes ? String(regimes.monotone_from) : '—';
  $('start-catapult').textContent = regimes ? (regimes.catapult ? readable(regimes.catapult.peak_ratio) : 'none') : '—';
}

/** The start's run with the map's objective, η and steps (its x₀ its own). */
function runStart(x0 = start.spec?.x0) {
  const { objective, eta, steps } = map.spec;
  const spec = { kind: 'trajectory', objective, eta, steps, x0 };
  map.marker = x0;
  if (!sameSpec(spec, start.spec)) start.spec = spec;
  else showStart();
}

map.addEventListener('result', ({ detail }) => {
  showCounts(detail);
  runStart();
});
map.addEventListener('error', () => showCounts(null));
map.addEventListener('pick', ({ detail }) => runStart(detail.x0));
start.addEventListener('result', () => showStart());
start.addEventListener('error', () => showStart(null));

buildLegend();
showCounts(null);
siteNav();
