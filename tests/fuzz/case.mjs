// One fuzz case in a fresh node process: `node case.mjs MODULE SEED INDEX` (a generated case) or
// `node case.mjs MODULE regression NAME` (one of the reports, regressions.mjs). It runs
// the case's calls on the module and checks each outcome:
//   - a call that returns must return no non-finite number anywhere (NaN, ±∞), save the
//     documented NaN sentinel of a bifurcation chunk's `lyapunov` (no exponent);
//   - a call that throws must throw an `Error` whose `field` is a non-empty string;
// then that the module still answers the reference call (GD on the double well at η = 1.1 from
// 0.5 settles on the 2-cycle (√(1 + 3/η) ± √(1 − 1/η))/2). It prints one JSON line
// {ok, returned, refused: {field: count}, problems: [{label, problem}], reference} and exits 0,
// or 1 on a violation.

import { pathToFileURL } from 'node:url';
import { generateCase } from './generate.mjs';
import { REGRESSIONS } from './regressions.mjs';

const [modulePath, seedOrMode, indexOrName] = process.argv.slice(2);
const m = await import(pathToFileURL(modulePath).href);

/** The first non-finite number in `value` (path and value), or null. */
function nonFinite(value, path = 'result', seen = new Set()) {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} = ${value}`;
  if (value === null || typeof value !== 'object' || seen.has(value)) return null;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    if (path.endsWith('.lyapunov') && value instanceof Float64Array) {
      const i = value.findIndex((x) => Number.isFinite(x) === false && !Number.isNaN(x));
      return i < 0 ? null : `${path}[${i}] = ${value[i]}`;
    }
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] === 'number' && !Number.isFinite(value[i])) return `${path}[${i}] = ${value[i]}`;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinite(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`, seen);
    if (found) return found;
  }
  return null;
}

function referenceAnswers() {
  const r = m.run({ kind: 'trajectory', eta: 1.1, x0: [0.5], steps: 200 });
  const pts = r.outcome.orbit.map((p) => p[0]).sort((a, b) => b - a);
  const s = Math.sqrt(1 + 3 / 1.1), d = Math.sqrt(1 - 1 / 1.1);
  const ok = r.outcome.period === 2 && Math.abs(pts[0] - (s + d) / 2) < 1e-12 && Math.abs(pts[1] - (s - d) / 2) < 1e-12;
  return ok ? 'answers' : `wrong reference answer ${JSON.stringify(pts)}`;
}

const steps = seedOrMode === 'regression'
  ? REGRESSIONS[indexOrName]
  : generateCase(Number(seedOrMode), Number(indexOrName), m.objectives());
if (!steps) {
  console.error(`no regression named ${indexOrName}`);
  process.exit(2);
}

const state = {};
const report = { ok: true, returned: 0, refused: {}, problems: [] };
for (const step of steps) {
  let problem = null;
  try {
    const value = step.call(m, state);
    report.returned += 1;
    const bad = nonFinite(value);
    if (bad) problem = `non-finite number in a result: ${bad}`;
  } catch (e) {
    const message = String(e?.message ?? e).slice(0, 300);
    if (!(e instanceof Error)) problem = `threw a non-Error: ${message}`;
    else if (typeof e.field !== 'string' || e.field === '') problem = `${e.constructor.name} without a field: ${message}`;
    else {
      const field = e.field.replace(/\[\d+\]/g, '[i]').slice(0, 60);
      report.refused[field] = (report.refused[field] ?? 0) + 1;
    }
  }
  if (problem) {
    report.ok = false;
    report.problems.push({ label: step.label.slice(0, 400), problem });
  }
}
try {
  report.reference = referenceAnswers();
} catch (e) {
  report.reference = `the reference call threw: ${e?.constructor?.name}: ${String(e?.message ?? e).slice(0, 200)}`;
}
if (report.reference !== 'answers') report.ok = false;
process.stdout.write(JSON.stringify(report) + '\n');
process.exitCode = report.ok ? 0 : 1;
