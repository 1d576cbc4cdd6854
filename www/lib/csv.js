// A result's series as CSV (RFC 4180, exact values: JavaScript's shortest round-trip text): one
// row per step for runs, per scan value for a bifurcation, per start for a basin map.

const cell = (v) => {
  if (v === null || v === undefined) return '';
  const text = typeof v === 'number' ? String(v) : String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function table(header, rows) {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}

/** Per step t: η_t, loss, the sharpness (top-k) where tracked, and the iterate where recorded. */
function trajectoryCsv(r) {
  const steps = r.loss.length;
  const tracked = new Map(r.sharpness_steps.map((t, i) => [t, i]));
  const recorded = new Map(r.iterate_steps.map((t, i) => [t, i]));
  const k = r.top_eigenvalues?.[0]?.length ?? 1;
  const dim = r.iterates[0]?.length ?? 0;
  const header = ['step', 'eta', 'loss', ...(k > 1 ? Array.from({ length: k }, (_, i) => `eigenvalue_${i + 1}`) : ['sharpness'])];
  const directions = Object.keys(r.directional ?? {});
  header.push(...directions.map((d) => `directional_${d}`));
  const observables = Object.keys(r.observables ?? {});
  header.push(...observables);
  header.push(...Array.from({ length: dim }, (_, i) => `x${i}`));
  const rows = [];
  for (let t = 0; t < steps; t++) {
    const s = tracked.get(t);
    const x = recorded.get(t);
    rows.push([
      t,
      t === 0 ? r.eta : (r.learning_rates?.[t - 1] ?? r.eta),
      r.loss[t],
      ...(k > 1 ? Array.from({ length: k }, (_, i) => (s === undefined ? null : r.top_eigenvalues[s][i])) : [s === undefined ? null : r.sharpness[s]]),
      ...directions.map((d) => (s === undefined ? null : r.directional[d][s])),
      ...observables.map((o) => r.observables[o][t]),
      ...Array.from({ length: dim }, (_, i) => (x === undefined ? null : r.iterates[x][i])),
    ]);
  }
  return table(header, rows);
}

/** Per scan value: the value, η, and per start its period, Lyapunov exponent, divergence and samples. */
function bifurcationCsv(r) {
  const starts = r.starts.length;
  const header = [r.parameter, 'eta'];
  for (let s = 0; s < starts; s++) header.push(`period_${s}`, `lyapunov_${s}`, `diverged_at_${s}`, `samples_${s}`);
  const rows = r.values.map((v, i) => [v, r.eta[i], ...r.runs[i].flatMap((run) => [run.period, run.lyapunov, run.diverged_at, run.samples.join(' ')])]);
  return table(header, rows);
}

/** Per start (row-major): its coordinates, class, minimiser, steps and period. */
function basinCsv(r) {
  const rows = [];
  r.y.forEach((y, j) =>
    r.x.forEach((x, i) => {
      const p = j * r.x.length + i;
      rows.push([x, y, r.classes[r.class[p]], r.minimizer[p], r.steps[p], r.period[p]]);
    }),
  );
  return table(['x', 'y', 'class', 'minimizer', 'steps', 'period'], rows);
}

/** The scalar series of the longest length, side by side (flow, self-stabilization, sweep, …). */
function seriesCsv(r) {
  const series = Object.entries(r).filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every((x) => x === null || typeof x !== 'object'));
  const length = Math.max(0, ...series.map(([, v]) => v.length));
  const columns = series.filter(([, v]) => v.length === length);
  const rows = Array.from({ length }, (_, i) => [i, ...columns.map(([, v]) => v[i])]);
  return table(['index', ...columns.map(([k]) => k)], rows);
}

/** The CSV of any result of `run` (or of a scan the figure completed). */
export function resultCsv(result) {
  switch (result.kind) {
    case 'trajectory':
      return trajectoryCsv(result);
    case 'bifurcation':
      return bifurcationCsv(result);
    case 'basin':
      return basinCsv(result);
    default:
      return seriesCsv(result);
  }
}
