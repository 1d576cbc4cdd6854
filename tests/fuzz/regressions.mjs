// The reports of issue 11 as fuzz cases, exactly as written there, each run in a fresh process
// by case.mjs (`node case.mjs MODULE regression NAME`) with the same checks as a generated case:
// every call returns finite numbers or throws an Error with a field, and the module still
// answers the reference call afterwards.

const deep = (n) => { let d = {}; for (let i = 0; i < n; i++) d = { o: d }; return d; };
const basinSpec = { kind: 'basin', objective: { name: 'unstable_convergence', which: 'f4' }, eta: 0.4, nx: 6, ny: 4, steps: 200 };
const bifurcationSpec = { kind: 'bifurcation', eta_min: 0.5, eta_max: 1.3, n_eta: 5, transient: 300, record: 8 };
const step = (label, call) => ({ label, call });
const runs = (label, specs) => specs.map((s, i) => step(`${label} ${i}`, (m) => m.run(s)));

export const REGRESSIONS = {
  // 1. BasinPlot.insert(-1, chunk) and BifurcationPlot.insert(-1, chunk) (also 2**32 - 1).
  'item-1-insert-wraps': [
    step('BasinScan', (m, s) => { s.bs = new m.BasinScan(basinSpec); s.bp = new m.BasinPlot(basinSpec); }),
    step('BasinPlot.insert(-1, chunk)', (m, s) => s.bp.insert(-1, s.bs.rows(0, 2))),
    step('BasinPlot.insert(2**32 - 1, chunk)', (m, s) => s.bp.insert(2 ** 32 - 1, s.bs.rows(0, 2))),
    step('BasinPlot.insert(0, chunk) then counts', (m, s) => { s.bp.insert(0, s.bs.rows(0, 4)); return s.bp.counts(); }),
    step('BasinPlot.free()', (m, s) => s.bp.free()),
    step('BifurcationScan', (m, s) => { s.fs = new m.BifurcationScan(bifurcationSpec); s.fp = new m.BifurcationPlot(bifurcationSpec); }),
    step('BifurcationPlot.insert(-1, chunk)', (m, s) => s.fp.insert(-1, s.fs.scan(0, 5))),
    step('BifurcationPlot.insert(2**32 - 1, chunk)', (m, s) => s.fp.insert(2 ** 32 - 1, s.fs.scan(0, 5))),
    step('BifurcationPlot.insert(0, chunk) then result', (m, s) => { s.fp.insert(0, s.fs.scan(0, 5)); return s.fp.result(); }),
    step('BifurcationPlot.free()', (m, s) => s.fp.free()),
  ],
  // 2. An objective nested ~2300–3000 deep; also through schedule and observable.
  'item-2-deep-nesting': [2300, 3000].flatMap((n) => [
    step(`objective ${n} deep`, (m) => m.run({ kind: 'trajectory', eta: 1.1, objective: deep(n) })),
    step(`schedule ${n} deep`, (m) => m.run({ kind: 'trajectory', eta: 1.1, schedule: deep(n) })),
    step(`observable ${n} deep`, (m) => m.run({ ...bifurcationSpec, observable: deep(n) })),
  ]),
  // 3. Cyclic specs (o.o = o), throwing getters and Proxies; a deep spec after them; ~600 Proxy calls.
  'item-3-cycles-getters-proxies': [
    step('o.o = o as the objective', (m) => { const o = {}; o.o = o; return m.run({ kind: 'trajectory', eta: 1.1, objective: o }); }),
    step('a deep spec after it', (m) => m.run({ kind: 'trajectory', eta: 1.1, objective: deep(3000) })),
    step('a throwing getter', (m) => m.run({ kind: 'trajectory', get eta() { throw new Error('getter'); } })),
    ...Array.from({ length: 600 }, (_, i) => step(`throwing Proxy ${i}`, (m) => m.run(new Proxy({}, {
      get() { throw new Error('trap'); },
      ownKeys() { return ['kind', 'eta']; },
      getOwnPropertyDescriptor() { return { value: 1, enumerable: true, configurable: true }; },
    })))),
  ],
  // 4. A non-string where a string is expected.
  'item-4-non-strings': [
    step('drawTrajectory(canvas, 1, result, 1)', (m) => m.drawTrajectory({}, 1, m.run({ kind: 'trajectory', eta: 1.1, x0: [0.5], steps: 20 }), 1)),
    step('drawDynamics(c, 7, r, 1, null)', (m) => m.drawDynamics({}, 7, m.run({ kind: 'flow', eta: 1.1, x0: [0.3], steps: 20 }), 1, null)),
    step('bench(1, 1)', (m) => m.bench(1, 1)),
    step('BifurcationPlot.draw(c, 1, 0.5, 42)', (m) => new m.BifurcationPlot(bifurcationSpec).draw({}, 1, 0.5, 42)),
  ],
  // 5. NaN or ∞ in results.
  'item-5-non-finite-results': [
    ...runs('η = 1e-308', [
      { kind: 'trajectory', eta: 1e-308, x0: [0.5], steps: 1 },
      { kind: 'flow', eta: 1e-308, x0: [0.5], steps: 1 },
      { kind: 'sweep', eta_min: 1e-308, eta_max: 2e-308, n_eta: 2, steps: 1 },
      { kind: 'self_stabilization', eta: 1e-308, steps: 1 },
    ]),
    ...runs('formula', [
      { kind: 'trajectory', eta: 0.1, objective: { name: 'formula', formula: '0/0 + x', variables: 'x' }, x0: [0.5] },
      { kind: 'trajectory', eta: 0.1, objective: { name: 'formula', formula: '1e308*10 + x^2', variables: 'x' }, x0: [0.5] },
      { kind: 'curvature', objective: { name: 'formula', formula: 'log(x)', variables: 'x' }, x: [-1] },
      { kind: 'sweep', eta_min: 0.1, eta_max: 0.5, n_eta: 3, steps: 50, objective: { name: 'formula', formula: 'log(x)', variables: 'x' }, x0: [-1] },
      { kind: 'bifurcation', eta_min: 0.1, eta_max: 0.5, n_eta: 3, record: 4, transient: 5, objective: { name: 'formula', formula: 'log(x)', variables: 'x' }, starts: [[-1]], observable: 'loss' },
      { kind: 'self_stabilization', eta: 0.1, steps: 50, objective: { name: 'formula', formula: '1e308*10 + x^2 + y^2', variables: 'x, y' } },
    ]),
    ...runs('two_factor self-stabilization', [15, 16, 40].map((steps) => (
      { kind: 'self_stabilization', objective: { name: 'two_factor' }, eta: 0.5, x0: [2.5, 0.41], steps }))),
  ],
  // 6. Errors without a field: after free(), a BigInt index, a missing eta, Symbol and function values.
  'item-6-fields': [
    step('new BasinPlot, free()', (m, s) => { s.p = new m.BasinPlot(basinSpec); s.p.free(); }),
    step('counts() after free()', (m, s) => s.p.counts()),
    step('insert() after free()', (m, s) => s.p.insert(0, {})),
    step('free() again', (m, s) => s.p.free()),
    step('a BigInt index', (m) => new m.BasinPlot(basinSpec).insert(1n, {})),
    ...['trajectory', 'orbit', 'basin', 'flow', 'self_stabilization'].map((kind) => step(`${kind} without eta`, (m) => m.run({ kind }))),
    step('sweep without eta_max', (m) => m.run({ kind: 'sweep', eta_min: 0.1 })),
    step('a Symbol', (m) => m.run({ kind: 'trajectory', eta: 1.1, steps: Symbol('s') })),
    step('a function', (m) => m.run({ kind: 'trajectory', eta: 1.1, x0: [() => 1] })),
  ],
  // 7. Huge inputs: x0 of 10⁷ entries, 10⁶ unknown fields, objectiveInfo of a 10⁷-element array.
  'item-7-huge-inputs': [
    step('x0 of 10^7 entries', (m) => m.run({ kind: 'trajectory', eta: 1.1, x0: new Array(1e7).fill(0.5) })),
    step('10^6 unknown fields', (m) => { const o = { kind: 'trajectory', eta: 1.1 }; for (let i = 0; i < 1e6; i++) o['f' + i] = i; return m.run(o); }),
    step('objectiveInfo of 10^7 elements', (m) => m.objectiveInfo(new Array(1e7).fill(0))),
  ],
};
