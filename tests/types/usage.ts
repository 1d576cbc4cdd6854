// How the typed API of pkg/eoslab.js is meant to be used; type-checked by tsc in
// tests/e2e/types.test.mjs together with every spec example of docs/spec.md. The lines under an
// expect-error directive must fail to type-check: a wrong kind, field or result field is caught.

import { run, objectives, SpecError, EoslabFigure } from '../../pkg/eoslab.js';
import type { Spec, TrajectoryResult, BifurcationResult } from '../../pkg/eoslab.js';

// The README's example: the result is typed by the spec's kind.
const trajectory = run({ kind: 'trajectory', eta: 1.1, x0: [0.5] });
const label: string = trajectory.outcome_label;
const orbit = trajectory.outcome.status === 'periodic' ? trajectory.outcome.orbit : [];
const sameType: TrajectoryResult = trajectory;

const scan: BifurcationResult = run({ kind: 'bifurcation', eta_min: 0.5, eta_max: 1.3, n_eta: 5, record: 8 });
const periods: (number | null)[] = scan.runs.map((runs) => runs[0].period);

// @ts-expect-error a bifurcation result has no outcome
run({ kind: 'bifurcation', eta_min: 0.5, eta_max: 1.3 }).outcome;
// @ts-expect-error η is required for a trajectory
run({ kind: 'trajectory', x0: [0.5] });
// @ts-expect-error no such kind
run({ kind: 'trajectories', eta: 1 });
// @ts-expect-error no such field
run({ kind: 'trajectory', eta: 1, learning_rate: 1 });

const names: string[] = objectives().map((o) => o.name);

try {
  run({ kind: 'trajectory', eta: -1 });
} catch (e) {
  if (e instanceof SpecError) {
    const field: string = e.field;
    console.log(field, e.message);
  }
}

const figure = document.createElement('eoslab-figure');
const typedFigure: EoslabFigure = figure;
const spec: Spec = { kind: 'trajectory', eta: 1.1, steps: 300 };
figure.spec = spec;
figure.addEventListener('result', (event) => console.log(event.detail.kind));
figure.addEventListener('error', (event) => console.log(event.detail.field, event.detail.message));
const csv: string = figure.toCSV();
const png: Promise<Blob> = figure.toPNG('loss');

export { label, orbit, sameType, periods, names, typedFigure, csv, png };
