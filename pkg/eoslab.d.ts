// Declarations for pkg/eoslab.js, copied from www/lib/eoslab.d.ts by `cargo xtask build`.
// The typed API of pkg/eoslab.js (copied there by `cargo xtask build`). Every spec kind and
// result of docs/spec.md, the typed errors and the <eoslab-figure> element. The declarations are
// checked against the core by tests/e2e/types.test.mjs (every declared field of each kind's result
// is what `run` returns, every declared spec field is one the core accepts) and type-checked with
// the examples of docs/spec.md by tsc (tests/types/).

export * from './eoslab_web.js';

/** A point: one coordinate per parameter of the objective. */
export type Point = number[];

/** An objective and any of its parameters (`objectives()` lists them); missing ones take defaults. */
export interface ObjectiveSpec {
  name: string;
  [param: string]: number | string | number[] | undefined;
}

/** An objective echoed in a result, every parameter spelled out. */
export type Objective = ObjectiveSpec;

export interface SharpnessSpec {
  method?: 'lanczos' | 'power' | 'dense';
  k?: number;
  tol?: number;
  max_iter?: number;
  seed?: number;
}

export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step_decay'; at: number; factor: number }
  | { kind: 'warmup'; steps: number }
  | { kind: 'cyclic'; period: number; low: number };

export interface FlowOptions {
  rtol?: number;
  atol?: number;
  max_steps?: number;
}

export interface ParameterScan {
  name: string;
  min: number;
  max: number;
  n?: number;
}

export type Observable =
  | 'coordinate'
  | 'loss'
  | 'sharpness'
  | string
  | { kind: 'coordinate'; index: number }
  | { kind: 'loss' }
  | { kind: 'sharpness' }
  | { kind: 'named'; name: string };

export interface TrajectorySpec {
  kind: 'trajectory';
  objective?: ObjectiveSpec;
  eta: number;
  x0?: Point;
  steps?: number;
  iterates?: 'auto' | 'all' | 'ends';
  schedule?: Schedule;
  sharpness?: SharpnessSpec;
  sharpness_every?: number;
  momentum?: number;
}

export interface FlowSpec {
  kind: 'flow';
  objective?: ObjectiveSpec;
  eta: number;
  x0?: Point;
  steps?: number;
  flow?: FlowOptions;
  iterates?: 'auto' | 'all' | 'ends';
  sharpness?: SharpnessSpec;
  sharpness_every?: number;
}

export interface SelfStabilizationSpec {
  kind: 'self_stabilization';
  objective?: ObjectiveSpec;
  eta: number;
  x0?: Point;
  steps?: number;
  start?: number;
  flow?: FlowOptions;
  projection?: { tol?: number; max_iter?: number };
  sharpness?: SharpnessSpec;
}

export interface BifurcationSpec {
  kind: 'bifurcation';
  objective?: ObjectiveSpec;
  eta_min?: number;
  eta_max?: number;
  n_eta?: number;
  parameter?: ParameterScan;
  eta?: number;
  transient?: number;
  record?: number;
  starts?: Point[];
  observable?: Observable;
}

export interface OnsetsSpec {
  kind: 'onsets';
  objective?: ObjectiveSpec;
  eta_min?: number;
  eta_max?: number;
  n_eta?: number;
  parameter?: ParameterScan;
  eta?: number;
  start?: Point;
  max_onsets?: number;
  tol?: number;
  transient?: number;
}

export interface BasinSpec {
  kind: 'basin';
  objective?: ObjectiveSpec;
  eta: number;
  x_min?: number;
  x_max?: number;
  y_min?: number;
  y_max?: number;
  nx?: number;
  ny?: number;
  steps?: number;
  tol?: number;
}

export interface SweepSpec {
  kind: 'sweep';
  objective?: ObjectiveSpec;
  eta_min: number;
  eta_max: number;
  n_eta?: number;
  parameter?: ParameterScan;
  x0?: Point;
  steps?: number;
  tol?: number;
}

export interface OrbitSpec {
  kind: 'orbit';
  objective?: ObjectiveSpec;
  eta: number;
  period?: number;
  start?: Point;
  warmup?: number;
  max_iter?: number;
  tol?: number;
  line_search?: boolean;
}

export interface CurvatureSpec {
  kind: 'curvature';
  objective?: ObjectiveSpec;
  x?: Point;
  sharpness?: SharpnessSpec;
  vectors?: boolean;
}

export type Spec =
  | TrajectorySpec
  | FlowSpec
  | SelfStabilizationSpec
  | BifurcationSpec
  | OnsetsSpec
  | BasinSpec
  | SweepSpec
  | OrbitSpec
  | CurvatureSpec;

export type Outcome =
  | { status: 'periodic'; period: number; orbit: Point[]; orbit_sharpness: number[]; multiplier: number }
  | { status: 'chaotic' }
  | { status: 'not_classified' }
  | { status: 'diverged'; step: number };

export interface Regimes {
  progressive_sharpening?: { from: number; to: number; sharpness: [number, number] };
  edge_of_stability: [number, number][];
  catapult?: { peak_step: number; peak_ratio: number };
  balance?: [number, number];
  monotone_from: number;
  convergence: 'stable' | 'unstable' | 'none';
}

export interface TrajectoryResult {
  kind: 'trajectory';
  objective: Objective;
  eta: number;
  iterates: Point[];
  iterate_steps: number[];
  loss: number[];
  sharpness: number[];
  sharpness_steps: number[];
  top_eigenvalues?: number[][];
  sharpness_hvps: number;
  sharpness_unconverged: number[];
  directional?: Record<string, (number | null)[]>;
  momentum: number;
  stability_threshold: number;
  learning_rates?: number[];
  outcome: Outcome;
  outcome_label: string;
  observables?: Record<string, number[]>;
  regimes: Regimes;
}

export interface RkCounts {
  accepted: number;
  rejected: number;
  evaluations: number;
}

export interface FlowResult {
  kind: 'flow';
  objective: Objective;
  eta: number;
  time: number[];
  iterate_steps: number[];
  gd_iterates: Point[];
  flow_iterates: Point[];
  distance: number[];
  gd_loss: number[];
  flow_loss: number[];
  sharpness_steps: number[];
  gd_sharpness: number[];
  flow_sharpness: number[];
  stability_threshold: number;
  gd_diverged: number | null;
  rk: RkCounts;
}

export interface SelfStabilizationResult {
  kind: 'self_stabilization';
  objective: Objective;
  eta: number;
  stability_threshold: number;
  gd_loss: number[];
  gd_sharpness: number[];
  gd_diverged: number | null;
  /** The step at which the predicted dynamics diverged (the prediction's series stop there), or null. */
  predicted_diverged: number | null;
  start: number;
  time: number[];
  flow_loss: number[];
  flow_sharpness: number[];
  constrained_loss: number[];
  constrained_sharpness: number[];
  predicted_loss: number[];
  predicted_sharpness: number[];
  gd_to_flow: number[];
  gd_to_constrained: number[];
  gd_to_predicted: number[];
  x: number[];
  y: number[];
  x_pred: number[];
  y_pred: number[];
  alpha: number[];
  beta: number[];
  projection_iterations: number[];
  hvps: number;
  rk: RkCounts;
}

export interface BifurcationRun {
  samples: number[];
  period: number | null;
  diverged_at: number | null;
  lyapunov: number | null;
}

export interface BifurcationResult {
  kind: 'bifurcation';
  objective: Objective;
  starts: Point[];
  observable: Observable;
  parameter: string;
  values: number[];
  eta: number[];
  runs: BifurcationRun[][];
}

export interface OnsetsResult {
  kind: 'onsets';
  objective: Objective;
  parameter: string;
  eta: number | null;
  onsets: { value: number; uncertainty: number; period: number }[];
  ratios: number[];
  ended: string;
}

export interface BasinResult {
  kind: 'basin';
  objective: Objective;
  eta: number;
  x: number[];
  y: number[];
  classes: string[];
  minimizers: Point[];
  class: number[];
  minimizer: number[];
  steps: number[];
  period: number[];
  counts: number[];
}

export interface SweepResult {
  kind: 'sweep';
  objective: Objective;
  eta: number[];
  stability_threshold: number[];
  parameter: string | null;
  values: number[];
  diverged_at: (number | null)[];
  converged: boolean[];
  limiting_sharpness: (number | null)[];
  final_loss: (number | null)[];
  catapult_peak_ratio: (number | null)[];
  initial_observables: Record<string, number[]>;
  limiting_observables: Record<string, (number | null)[]>;
}

export interface Multiplier {
  re: number;
  im: number;
}

export interface OrbitResult {
  kind: 'orbit';
  objective: Objective;
  eta: number;
  period: number;
  start: Point;
  orbit: Point[];
  residual: number;
  converged: boolean;
  stop: 'converged' | 'max_iter' | 'stalled' | 'diverged';
  iterations: number;
  minimal_period: number;
  multipliers: Multiplier[];
  spectral_radius: number;
  stable: boolean;
  neutral: number;
  loss: number[];
  sharpness: number[];
}

export interface CurvatureResult {
  kind: 'curvature';
  objective: Objective;
  loss: number;
  gradient_norm: number;
  method: string;
  eigenvalues: number[];
  residuals: number[];
  converged: boolean;
  iterations: number;
  hvps: number;
  eigenvectors?: Point[];
  gradient_cosine: number | null;
  self_stabilization: { grad_sharpness_norm: number; alpha: number; beta: number; delta: number | null };
  directional?: Record<string, number | null>;
}

/** The result of each kind of spec. */
export interface ResultOf {
  trajectory: TrajectoryResult;
  flow: FlowResult;
  self_stabilization: SelfStabilizationResult;
  bifurcation: BifurcationResult;
  onsets: OnsetsResult;
  basin: BasinResult;
  sweep: SweepResult;
  orbit: OrbitResult;
  curvature: CurvatureResult;
}

export type Result = ResultOf[keyof ResultOf];

/** Runs a spec; its result is typed by the spec's kind. A refused spec throws a `SpecError`. */
export function run(spec: TrajectorySpec): TrajectoryResult;
export function run(spec: FlowSpec): FlowResult;
export function run(spec: SelfStabilizationSpec): SelfStabilizationResult;
export function run(spec: BifurcationSpec): BifurcationResult;
export function run(spec: OnsetsSpec): OnsetsResult;
export function run(spec: BasinSpec): BasinResult;
export function run(spec: SweepSpec): SweepResult;
export function run(spec: OrbitSpec): OrbitResult;
export function run(spec: CurvatureSpec): CurvatureResult;
export function run(spec: Spec): Result;

export interface ParamSchema {
  name: string;
  description: string;
  type: 'real' | 'integer' | 'choice' | 'text' | 'list';
  default: number | string | number[];
  min?: number;
  max?: number;
  options?: string[];
  max_len?: number;
}

export interface ObjectiveSchema {
  name: string;
  group: string;
  title: string;
  description: string;
  citation: string;
  params: ParamSchema[];
}

/** Every objective's schema. */
export function objectives(): ObjectiveSchema[];

/** The core refused a spec: `field` is the path of the field it concerns ("" for the whole spec). */
export class SpecError extends Error {
  constructor(message: string, field?: string);
  readonly field: string;
}

/** The core trapped (a Rust panic); the figure shows it and replaces the worker. */
export class CorePanic extends Error {
  constructor(message: string);
}

/** About six significant digits, for people (2 for 2.0000000000000000). */
export function readable(x: number): string;
/** The exact value: the shortest text that reads back to the same double. */
export function exact(x: number): string;

/** A result's series as CSV (exact values). */
export function resultCsv(result: Result): string;

/** Whether two specs describe the same run: equal with their objects' keys in any order. */
export function sameSpec(a: Spec, b: Spec): boolean;

/** The compiled core, for code that starts its own workers. */
export const coreModule: WebAssembly.Module;

export interface PinnedRun {
  label: string;
  spec: Spec;
  result: Result;
}

export interface FigureErrorDetail {
  field: string;
  message: string;
  panic: boolean;
}

/** <eoslab-figure spec='…' panels='…' controls='…' hash>: see www/lib/figure.js. */
export class EoslabFigure extends HTMLElement {
  spec: Spec;
  readonly result: Result | null;
  readonly panels: string[];
  readonly pinned: PinnedRun[];
  marker: number | [number, number] | undefined;
  /** A heavy-ball run laid over a flow or self-stabilization figure's loss and sharpness panels. */
  overlay: TrajectoryResult | null;
  /** Whether the figure zooms: a bifurcation scan with the `zoom` attribute. */
  readonly zoomable: boolean;
  /** Scans the window [lo, hi] of the scanned parameter again (η, or the `parameter`'s range). */
  zoom(lo: number, hi: number): void;
  /** What a scan holds at a point of its plot (a bifurcation column, a basin cell), or null. */
  at(x: number, y: number): Record<string, unknown> | null;
  toPNG(panel: string): Promise<Blob>;
  toSVG(panel: string): string;
  toCSV(): string;
  cancel(): void;
  pin(label?: string): void;
  unpinAll(): void;
  saveRuns(): string;
  loadRuns(text: string): void;
  addEventListener(type: 'result', listener: (event: CustomEvent<Result>) => void): void;
  addEventListener(type: 'error', listener: (event: CustomEvent<FigureErrorDetail>) => void): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'eoslab-figure': EoslabFigure;
  }
}
