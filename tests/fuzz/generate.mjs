// The fuzz generator: case `index` of seed `seed` is a list of calls on the one-file module
// (pkg/eoslab.js), made by a seeded PRNG, so a case is reproduced from (seed, index) alone and a
// child process builds its own (case.mjs). Cases cover every kind and every objective
// (`objectives()` lists them), with mutated types, non-finite values, bounds ±1, deep, cyclic
// and huge inputs, throwing getters and Proxies, formula soup, and the stateful classes called
// out of order (after `free()`, before a chunk arrived, with foreign chunks).
//
// A step is `{label, call(m, state)}`; `label` says what the step does, for the report.

/** mulberry32: a small, well-mixed 32-bit PRNG. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    real: (lo, hi) => lo + next() * (hi - lo),
    logReal: (lo, hi) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))),
  };
  return r;
}

/** The kinds and, per kind, a cheap valid spec (small grids, few steps) that mutations start from. */
export const KINDS = {
  trajectory: () => ({ kind: 'trajectory', eta: 1.1, x0: [0.5], steps: 60 }),
  bifurcation: () => ({ kind: 'bifurcation', eta_min: 0.5, eta_max: 1.4, n_eta: 12, transient: 100, record: 16 }),
  curvature: () => ({ kind: 'curvature', x: [0.5] }),
  onsets: () => ({ kind: 'onsets', eta_min: 0.5, eta_max: 1.3, n_eta: 40, max_onsets: 2, transient: 2000 }),
  basin: () => ({ kind: 'basin', eta: 0.4, nx: 8, ny: 6, steps: 100 }),
  sweep: () => ({ kind: 'sweep', eta_min: 0.1, eta_max: 1.2, n_eta: 6, steps: 100 }),
  flow: () => ({ kind: 'flow', eta: 0.5, x0: [0.3], steps: 30 }),
  self_stabilization: () => ({
    kind: 'self_stabilization', eta: 0.1, steps: 60, x0: [0.3, -0.1414, 0],
    objective: { name: 'self_stabilization_toy', alpha: 1, beta: 1, eta: 0.1 },
  }),
  orbit: () => ({ kind: 'orbit', eta: 1.1, period: 2 }),
};

/** Fields of each kind with their documented ranges (docs/spec.md), for bounds ±1 and mutation. */
const FIELDS = {
  trajectory: { eta: [0, 1e6], steps: [1, 100000, 'int'], sharpness_every: [0, 100000, 'int'], momentum: [0, 0.999] },
  bifurcation: { eta_min: [0, 1e6], eta_max: [0, 1e6], n_eta: [1, 10000, 'int'], transient: [0, 100000, 'int'], record: [1, 4096, 'int'] },
  curvature: {},
  onsets: { n_eta: [2, 10000, 'int'], max_onsets: [1, 10, 'int'], tol: [1e-14, 1e-6], transient: [1, 1e6, 'int'] },
  basin: { eta: [0, 1e6], nx: [1, 1024, 'int'], ny: [1, 1024, 'int'], steps: [1, 100000, 'int'], tol: [1e-15, 1e-3], x_min: [-1e6, 1e6], x_max: [-1e6, 1e6] },
  sweep: { eta_min: [0, 1e6], eta_max: [0, 1e6], n_eta: [1, 10000, 'int'], steps: [1, 1e6, 'int'], tol: [1e-15, 1e-3] },
  flow: { eta: [0, 1e6], steps: [1, 100000, 'int'], sharpness_every: [0, 100000, 'int'] },
  self_stabilization: { eta: [0, 1e6], steps: [1, 20000, 'int'], start: [0, 20000, 'int'] },
  orbit: { eta: [0, 1e6], period: [1, 64, 'int'], warmup: [0, 1e6, 'int'], max_iter: [1, 1000, 'int'], tol: [1e-15, 1e-3] },
};

/** Values of every JS type, for type mutations (built fresh: some are stateful). */
function strangeValue(r) {
  const kinds = [
    () => 'a string', () => '', () => true, () => null, () => undefined, () => [], () => [1, 'x'], () => ({}),
    () => ({ kind: 'constant' }), () => 10n, () => Symbol('s'), () => () => 1, () => NaN, () => Infinity,
    () => -Infinity, () => -0, () => 5e-324, () => 1e308, () => -1, () => 2 ** 32 - 1, () => 2 ** 53 + 2, () => 0.5,
    () => new Float64Array([1, 2]), () => new Date(0), () => new Map([[1, 2]]), () => /re/,
    () => Object.create(null), () => new Number(3), () => '1e3', () => '\u0000\uD800',
  ];
  return r.pick(kinds)();
}

/** Deep, cyclic, huge and hostile values. */
function hostileValue(r) {
  const kinds = [
    () => { let d = {}; for (let i = r.int(20, 5000); i > 0; i--) d = { o: d }; return d; },
    () => { let d = []; for (let i = r.int(20, 5000); i > 0; i--) d = [d]; return d; },
    () => { const o = {}; o.o = o; return o; },
    () => { const a = [1]; a.push(a); return a; },
    () => { const o = { a: {} }; o.a.b = o; return o; },
    () => new Array(r.pick([1e5, 1e6, 1e7])),
    () => new Array(r.pick([1e4, 3e5])).fill(0.5),
    () => new Float64Array(r.pick([10, 1e6])),
    () => { const o = {}; for (let i = r.int(100, 100000); i > 0; i--) o['f' + i] = i; return o; },
    () => 'x'.repeat(r.pick([5000, 1e6])),
    () => { const o = {}; Object.defineProperty(o, 'name', { enumerable: true, get() { throw new Error('getter'); } }); return o; },
    () => new Proxy({}, { get() { throw new Error('get trap'); }, ownKeys() { return ['name', 'x']; }, getOwnPropertyDescriptor() { return { value: 1, enumerable: true, configurable: true }; } }),
    () => new Proxy({}, { ownKeys() { throw new Error('ownKeys trap'); } }),
    () => new Proxy([], { get(t, k) { if (k === 'length') return 1e9; return 0; } }),
    () => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; },
    () => { let d = {}; let x = d; for (let i = 0; i < 30; i++) { x = x.n = { a: [1, 2], b: 'y' }; } return d; },
    () => { let x = [0]; for (let i = 0; i < 40; i++) x = [x, x]; return x; }, // a DAG of 2^40 leaves
  ];
  return r.pick(kinds)();
}

/** Formula soup: token strings from the formula grammar, sometimes broken. */
function formulaSoup(r) {
  const atoms = ['x', 'y', 'z', 'a', '0', '1', '2', '0.5', '1e308', '1e-308', '3.14', 'pi', 'e'];
  const funcs = ['sin', 'cos', 'tan', 'tanh', 'exp', 'log', 'sqrt', 'abs'];
  const ops = ['+', '-', '*', '/', '^'];
  const expr = (depth) => {
    if (depth <= 0 || r.chance(0.3)) return r.pick(atoms);
    switch (r.int(0, 4)) {
      case 0: return `${expr(depth - 1)} ${r.pick(ops)} ${expr(depth - 1)}`;
      case 1: return `${r.pick(funcs)}(${expr(depth - 1)})`;
      case 2: return `(${expr(depth - 1)})`;
      case 3: return `-${expr(depth - 1)}`;
      default: return `${expr(depth - 1)}^${r.pick(['2', '-1', '0.5', '10', '1000'])}`;
    }
  };
  let text = expr(r.int(1, 9));
  if (r.chance(0.15)) text = '('.repeat(r.int(60, 260)) + 'x' + ')'.repeat(r.int(60, 260));
  if (r.chance(0.1)) text = text.repeat(r.int(2, 40));
  if (r.chance(0.15)) {
    const i = r.int(0, text.length);
    text = text.slice(0, i) + r.pick(['(', ')', '^^', ',', '$', '1e', 'x y', '\u00e9', '']) + text.slice(i);
  }
  const fixed = ['0/0 + x', '1e308*10 + x^2', 'log(x)', 'sqrt(x)', 'x^-2', '0^x', 'log(0*x)', 'exp(exp(exp(x)))', '(x-1)^2/0'];
  return r.chance(0.3) ? r.pick(fixed) : text;
}

/** An objective: a registered one with parameters drawn within, at or just past their ranges. */
function objective(r, schemas, dim) {
  const usable = schemas.filter((s) => dim === undefined || s.name !== 'mlp');
  const schema = r.pick(usable);
  const o = { name: schema.name };
  for (const p of schema.params) {
    if (!r.chance(0.5)) continue;
    o[p.name] = paramValue(r, p);
  }
  if (schema.name === 'formula' && r.chance(0.7)) o.formula = formulaSoup(r);
  // Networks are kept small unless a bound is being tried: a run of the largest ones is what the
  // cost model refuses, not what a fuzz case waits for.
  if (['mlp', 'two_layer_orthogonal', 'single_neuron_empirical', 'single_neuron_population'].includes(schema.name) && r.chance(0.8)) {
    for (const k of ['n', 'input_dim', 'width', 'dim', 'n_pos', 'n_neg', 'teacher_width']) if (k in o) o[k] = Math.min(o[k], 8);
    if ('hidden' in o && Array.isArray(o.hidden)) o.hidden = o.hidden.slice(0, 2).map((h) => (typeof h === 'number' ? Math.min(h, 8) : h));
  }
  if (['two_factor', 'regularity'].includes(schema.name) && typeof o.d === 'number' && r.chance(0.8)) o.d = Math.min(o.d, 4);
  if (schema.name === 'matrix_factorization' && r.chance(0.8)) for (const k of ['n', 'r']) if (typeof o[k] === 'number') o[k] = Math.min(o[k], 6);
  return o;
}

function paramValue(r, p) {
  const roll = r.next();
  if (roll < 0.05) return strangeValue(r);
  switch (p.type) {
    case 'real':
    case 'integer': {
      const int = p.type === 'integer';
      const step = int ? 1 : Math.max(Math.abs(p.max - p.min) * 1e-9, 1e-12);
      if (roll < 0.25) return r.pick([p.min - step, p.min, p.max, p.max + step]);
      const v = p.min > 0 && p.max / p.min > 100 ? r.logReal(p.min, p.max) : r.real(p.min, p.max);
      return int ? Math.round(v) : v;
    }
    case 'choice':
      return roll < 0.1 ? 'nonexistent' : r.pick(p.options);
    case 'list': {
      const n = roll < 0.1 ? (p.max_len ?? 8) + 1 : r.int(0, Math.min(4, p.max_len ?? 4));
      return Array.from({ length: n }, () => (r.chance(0.1) ? r.pick([p.min - 1, p.max + 1, NaN]) : Math.round(r.real(p.min ?? 1, Math.min(p.max ?? 8, 8)))));
    }
    case 'text':
      return roll < 0.1 ? 'x'.repeat(600) : r.pick(['x, y', 'x', 'a, b', '', 'x, x', 'sin', 'x y']);
    default:
      return strangeValue(r);
  }
}

/** A spec of `kind`, mutated one way or another. */
function spec(r, schemas, kind = r.pick(Object.keys(KINDS))) {
  const s = KINDS[kind]();
  const fields = FIELDS[kind];
  const names = Object.keys(fields);
  const mutation = r.int(0, 9);
  if (mutation <= 2 && kind !== 'self_stabilization') {
    // Another objective: drop the point fields, whose dimension would not match (the defaults are used).
    s.objective = objective(r, schemas);
    for (const k of ['x0', 'x', 'start']) delete s[k];
    if (r.chance(0.35)) s.objective = { name: 'formula', formula: formulaSoup(r), variables: kind === 'basin' || r.chance(0.5) ? 'x, y' : 'x' };
  } else if (mutation === 3 && names.length) {
    // Bounds ±1 on one field (others cheap).
    const k = r.pick(names);
    const [lo, hi, int] = fields[k];
    const eps = int ? 1 : Math.max(hi * 1e-9, 1e-300);
    s[k] = r.pick([lo - eps, lo, lo + eps, hi - eps, hi, hi + eps]);
    if (int) s[k] = Math.round(s[k]);
    if (s[k] > 20000) for (const other of ['n_eta', 'nx', 'ny', 'record']) if (other in s && other !== k) s[other] = 2;
  } else if (mutation === 4) {
    const k = r.pick([...names, 'objective', 'x0', 'schedule', 'observable', 'sharpness', 'flow', 'parameter', 'starts', 'iterates', 'kind', 'bogus']);
    s[k] = strangeValue(r);
  } else if (mutation === 5) {
    const k = r.pick([...names, 'objective', 'x0', 'schedule', 'observable', 'sharpness', 'parameter', 'starts']);
    s[k] = hostileValue(r);
  } else if (mutation === 6 && names.length) {
    s[r.pick(names)] = r.pick([NaN, Infinity, -Infinity, -0, 5e-324, 1e-308, 1e-300, -1e-308]);
  } else if (mutation === 7) {
    // A field nested inside: schedules, sharpness options, observables, parameters.
    const nested = {
      schedule: () => ({ kind: r.pick(['constant', 'step_decay', 'warmup', 'cyclic', 'x']), at: r.int(-1, 100), factor: r.pick([0.5, 0, -1, NaN, 2]), steps: r.int(-1, 100), period: r.int(-1, 50), low: r.pick([0.1, 0, 2]) }),
      sharpness: () => ({ method: r.pick(['lanczos', 'power', 'dense', 'x']), k: r.int(0, 65), tol: r.pick([1e-10, 1e-15, 0.2, NaN]), max_iter: r.int(-1, 5000) }),
      observable: () => r.pick(['loss', 'sharpness', 'coordinate', 'product', 'balance', 'x', { kind: 'coordinate', index: r.int(-1, 3) }, { kind: 'named', name: 'product' }]),
      parameter: () => ({ name: r.pick(['mu', 'd', 'b', 'x']), min: r.real(-2, 2), max: r.real(-2, 3), n: r.int(-1, 12) }),
      flow: () => ({ rtol: r.pick([1e-9, 1e-14, 1, NaN]), atol: r.pick([1e-12, 1e-16, 1]), max_steps: r.int(-1, 200000) }),
      starts: () => Array.from({ length: r.int(0, 18) }, () => [r.real(-2, 2)]),
      x0: () => Array.from({ length: r.int(0, 3) }, () => r.pick([0.5, 1e6, 1e6 + 1, -1e6 - 1, 0, NaN])),
    };
    const k = r.pick(Object.keys(nested));
    s[k] = nested[k]();
  } else if (mutation === 8) {
    // A required field missing.
    delete s[r.pick(['eta', 'eta_min', 'eta_max', 'kind', ...names])];
  }
  // mutation 9 (and the fall-throughs): the cheap valid spec itself.
  return s;
}

/** The steps of case `index` of seed `seed`. */
export function generateCase(seed, index, schemas) {
  const r = rng((seed * 1000003 + index * 7919) >>> 0);
  const steps = [];
  const add = (label, call) => steps.push({ label, call });
  const flavour = r.int(0, 9);
  if (flavour <= 4) {
    // One to three run() calls.
    for (let i = r.int(1, 3); i > 0; i--) {
      const s = spec(r, schemas);
      add(`run ${describe(s)}`, (m) => m.run(s));
    }
  } else if (flavour <= 7) {
    // A stateful class, called out of order.
    const basin = r.chance(0.5);
    const s = basin ? KINDS.basin() : KINDS.bifurcation();
    if (r.chance(0.3)) Object.assign(s, spec(r, schemas, basin ? 'basin' : 'bifurcation'));
    const scanClass = basin ? 'BasinScan' : 'BifurcationScan';
    const plotClass = basin ? 'BasinPlot' : 'BifurcationPlot';
    add(`new ${scanClass} ${describe(s)}`, (m, st) => (st.scan = new m[scanClass](s)));
    add(`new ${plotClass}`, (m, st) => (st.plot = new m[plotClass](s)));
    const index = () => r.pick([0, 1, 2, 3, -1, 2 ** 32 - 1, 2 ** 31, 1.5, NaN, 1n, '1', null, undefined, 1e9]);
    for (let i = r.int(2, 10); i > 0; i--) {
      const a = index(), b = index();
      const op = r.int(0, 9);
      if (op <= 2) add(`scan chunk ${String(a)}..${String(b)} then insert`, (m, st) => {
        const chunk = basin ? st.scan?.rows(a, b) : st.scan?.scan(a, b);
        return st.plot?.insert(r.chance(0.7) ? a : index(), chunk);
      });
      else if (op === 3) add(`insert a strange chunk at ${String(a)}`, (m, st) => st.plot?.insert(a, r.chance(0.5) ? strangeValue(r) : { class: new Uint8Array(8), minimizer: new Int32Array(8), steps: new Uint32Array(8), period: new Uint8Array(8), starts: 2, samples: new Float64Array([Infinity]), lengths: new Uint32Array([1]), lyapunov: new Float64Array([NaN]), diverged_at: new Uint32Array(1) }));
      else if (op === 4) add('result/counts', (m, st) => (basin ? st.plot?.counts() : st.plot?.result()));
      else if (op === 5) add(`cell/column ${String(a)} ${String(b)}`, (m, st) => (basin ? st.plot?.cell(a, b) : st.plot?.column(a)));
      else if (op === 6) add(`draw on a non-canvas`, (m, st) => st.plot?.draw({}, r.pick([1, NaN, 'x']), 0.5, r.pick(['t', 42, null])));
      else if (op === 7) add('free the plot', (m, st) => st.plot?.free());
      else if (op === 8) add(`svg ${String(a)}×${String(b)} and the legend`, (m, st) => {
        const panel = r.pick([basin ? 'map' : 'diagram', 'lyapunov', 7, null, 'pie']);
        const svg = basin ? st.plot?.svg(panel, a, b) : st.plot?.svg(panel, a, b, r.pick([NaN, 1, 'x']));
        return basin ? [svg, st.plot?.legend()] : svg;
      });
      else add('free the scan', (m, st) => st.scan?.free());
    }
  } else if (flavour === 8) {
    // The other functions, with strange arguments.
    const pick = r.int(0, 7);
    const result = spec(r, schemas, r.pick(['trajectory', 'flow']));
    if (pick === 0) add('objectiveInfo', (m) => m.objectiveInfo(r.chance(0.5) ? objective(r, schemas) : hostileValue(r)));
    else if (pick === 1) add(`drawTrajectory of ${describe(result)}`, (m) => m.drawTrajectory({}, r.pick(['loss', 1, null, 'nope']), r.chance(0.7) ? m.run(result) : strangeValue(r), r.pick([1, 0, NaN, '2', 10n])));
    else if (pick === 2) add(`drawDynamics of ${describe(result)}`, (m) => m.drawDynamics({}, r.pick(['loss', 7, 'plane']), r.chance(0.7) ? m.run(result) : hostileValue(r), 1, r.pick([null, undefined, {}, 1])));
    else if (pick === 3) add('bench with a strange name', (m) => m.bench(r.pick([1, 'nope', null, 10n, 'mlp_small_gradient']), r.pick([1, -1, 'x', 2 ** 40])));
    else if (pick === 4) add('BifurcationFigure', (m, st) => { st.fig = new m.BifurcationFigure(spec(r, schemas, 'bifurcation')); return st.fig.periods(); });
    else if (pick === 5) add('panels of a strange kind', (m) => m.panels(r.pick(['trajectory', 'pie', 1, null, 10n, strangeValue(r)])));
    else {
      // The drawing API of issue 10: a result (or a strange one) with strange sizes and options.
      const size = () => r.pick([300, 16, 15, 8193, NaN, '300', 10n, null]);
      const options = () => r.pick([undefined, null, { dark: true }, { shiny: 1 }, { pinned: strangeValue(r) }, { heavyBall: hostileValue(r) }, [], hostileValue(r)]);
      const drawn = (m) => (r.chance(0.7) ? m.run(result) : hostileValue(r));
      const panel = () => r.pick(['loss', 'landscape', 'plane', 5, null, 'pie']);
      if (pick === 6) add(`panelSVG of ${describe(result)}`, (m) => m.panelSVG(panel(), drawn(m), size(), size(), options()));
      else add(`drawPanel of ${describe(result)} on a non-canvas`, (m) => m.drawPanel({}, panel(), drawn(m), r.pick([1, NaN, '2']), options()));
    }
  } else {
    // Hostile whole specs.
    const h = hostileValue(r);
    add('run a hostile value', (m) => m.run(h));
    add('run it as an objective', (m) => m.run({ kind: 'trajectory', eta: 1.1, objective: h }));
  }
  return steps;
}

/**
 * A short description of a value for the report: a bounded walk (depth 6, 12 entries per array or
 * object, 300 characters), since a case's values may be cyclic, huge or shared 2⁴⁰ times.
 */
export function describe(value) {
  let budget = 300;
  const walk = (v, depth, seen) => {
    if (budget <= 0) return '…';
    let text;
    if (typeof v === 'bigint') text = `${v}n`;
    else if (typeof v === 'symbol' || typeof v === 'function') text = `(${typeof v})`;
    else if (v === null || typeof v !== 'object') text = typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : String(v);
    else if (seen.includes(v)) text = '(cycle)';
    else if (depth >= 6) text = '(deep)';
    else {
      let keys;
      try {
        keys = Array.isArray(v) ? v.slice(0, 12).map((_, i) => i) : Object.keys(v).slice(0, 12);
      } catch {
        return '(hostile)';
      }
      const inner = keys.map((k) => {
        let item;
        try { item = walk(v[k], depth + 1, [...seen, v]); } catch { item = '(throws)'; }
        return Array.isArray(v) ? item : `${k}:${item}`;
      });
      const more = (Array.isArray(v) ? v.length : Infinity) > 12 ? `,…(${v.length})` : '';
      text = Array.isArray(v) ? `[${inner.join(',')}${more}]` : `{${inner.join(',')}}`;
    }
    budget -= text.length;
    return text;
  };
  try {
    return walk(value, 0, []).slice(0, 400);
  } catch {
    return '(hostile)';
  }
}
