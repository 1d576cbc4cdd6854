// The gallery's checks (docs/gallery.md, "Checks"): a figure's claim as a numeric assertion on the
// results of its specs, evaluated exactly as tests/paper/gallery.rs evaluates it natively, so a
// page (or a browser test) reading the `result` events of the figure's <eoslab-figure> elements
// reaches the same value and the same verdict. DOM-free.

/** 2/η of a spec, the stability threshold the checks compare with. */
function threshold(spec) {
  if (typeof spec.eta !== 'number') throw new Error('a check against 2/η needs a spec with eta');
  return 2 / spec.eta;
}

/** The value at a dot-separated path (numeric segments index arrays). */
function atPath(result, path) {
  let value = result;
  for (const segment of path.split('.')) {
    const index = /^\d+$/.test(segment) ? Number(segment) : null;
    if (index !== null && Array.isArray(value)) value = value[index];
    else if (value !== null && typeof value === 'object' && segment in value) value = value[segment];
    else throw new Error(`no field ${path} in the result`);
  }
  return value;
}

const number = (v) => (typeof v === 'number' ? v : null);

/** The series a check reads: the field, or one column of a 2-D field (nulls kept). */
function series(result, c) {
  const rows = atPath(result, c.field);
  if (!Array.isArray(rows) && !ArrayBuffer.isView(rows)) throw new Error(`${c.field} is not an array`);
  return Array.from(rows, (row) => number(c.column === undefined ? row : row[c.column]));
}

/** A check's reduction of a result to one value. */
export function reduce(spec, result, c) {
  const at = c.at ?? 'value';
  if (at === 'value') return atPath(result, c.field);
  const raw = series(result, c);
  if (at.startsWith('max_ratio_to:')) {
    const denominators = series(result, { field: at.slice('max_ratio_to:'.length) });
    let max = null;
    raw.forEach((a, i) => {
      const b = denominators[i];
      if (a !== null && b !== null && b !== undefined) max = max === null ? a / b : Math.max(max, a / b);
    });
    return max;
  }
  if (at === 'length') return raw.length;
  if (at.startsWith('at_index:')) return raw[Number(at.slice('at_index:'.length))] ?? null;
  for (const [prefix, sign] of [['decreases_after:', -1], ['increases_after:', 1]]) {
    if (!at.startsWith(prefix)) continue;
    const after = raw.slice(Number(at.slice(prefix.length)));
    let moves = 0;
    for (let i = 1; i < after.length; i++) if (after[i - 1] !== null && after[i] !== null && sign * (after[i] - after[i - 1]) > 0) moves++;
    return moves;
  }
  if (at.startsWith('first_index_at_least:')) {
    const level = at.slice('first_index_at_least:'.length);
    const [factor, base] = level.includes('*') ? [Number(level.split('*')[0]), level.split('*')[1]] : [1, level];
    const bound = factor * (base === '2/eta' ? threshold(spec) : Number(base));
    const index = raw.findIndex((x) => x !== null && x >= bound);
    return index < 0 ? null : index;
  }
  const xs = raw.filter((x) => x !== null);
  if (xs.length === 0) throw new Error(`${c.field} has no numbers`);
  if (at.startsWith('sign_changes_about:')) {
    const a = Number(at.slice('sign_changes_about:'.length));
    let changes = 0;
    for (let i = 1; i < xs.length; i++) if ((xs[i - 1] - a) * (xs[i] - a) < 0) changes++;
    return changes;
  }
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  switch (at) {
    case 'first':
      return xs[0];
    case 'last':
      return xs.at(-1);
    case 'max':
      return Math.max(...xs);
    case 'min':
      return Math.min(...xs);
    case 'mean':
      return mean(xs);
    case 'last_quarter_mean':
      return mean(xs.slice(xs.length - Math.max(1, Math.floor(xs.length / 4))));
    default:
      throw new Error(`unknown reduction ${at}`);
  }
}

/**
 * Evaluates a check on the results of a figure's specs: `{value, of, holds}`, `of` being what the
 * value is compared with (the factor applied).
 */
export function evaluate(specs, results, c) {
  const value = reduce(specs[c.spec], results[c.spec], c);
  let of = c.of;
  if (of !== null && typeof of === 'object') of = reduce(specs[of.spec ?? c.spec], results[of.spec ?? c.spec], of);
  else if (of === '2/eta') of = threshold(specs[c.spec]);
  if (typeof of === 'number' && typeof c.factor === 'number') of *= c.factor;
  if (c.relation === '==') return { value, of, holds: value === of };
  if (typeof value !== 'number' || typeof of !== 'number') return { value, of, holds: false };
  const holds = {
    '<': () => value < of,
    '<=': () => value <= of,
    '>': () => value > of,
    '>=': () => value >= of,
    within: () => Math.abs(value / of - 1) <= c.tol,
    near: () => Math.abs(value - of) <= c.tol,
  }[c.relation];
  if (!holds) throw new Error(`unknown relation ${c.relation}`);
  return { value, of, holds: holds() };
}

/** Whether a computed value is the one figures.json records (to `value_tol`, 1% by default). */
export function sameAsRecorded(value, c) {
  const tol = c.value_tol ?? 0.01;
  if (typeof value === 'number' && typeof c.value === 'number') return Math.abs(value - c.value) <= tol * Math.max(Math.abs(value), Math.abs(c.value)) + 1e-9;
  return value === c.value;
}
