/* tslint:disable */
/* eslint-disable */

/**
 * A bifurcation scan kept in wasm memory, so that redrawing (resize, a new η marker) neither
 * re-runs the scan nor copies its samples to JS.
 */
export class BifurcationFigure {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Draws the diagram with a marker at `marker_eta`; returns the plotting area's pixel rectangle
     * and data range (η horizontally), from which the page maps a click to η.
     */
    draw(canvas: HTMLCanvasElement, dpr: number, marker_eta: number): any;
    /**
     * Runs a spec of kind "bifurcation".
     */
    constructor(spec: any);
    /**
     * Per η of the grid, the period every start settled on (0 where they differ, are not
     * periodic, or diverged), for the page's readouts.
     */
    periods(): Uint32Array;
}

/**
 * Times a named workload of `eoslab_core::benchmarks` (the same workloads the native bench runs):
 * returns `{name, median_ms, samples, calls}`, `calls` being the evaluations in one run.
 */
export function bench(name: string, reps: number): any;

/**
 * Draws one panel ("landscape", "cobweb", "loss" or "sharpness") of a trajectory result
 * returned by `run` onto a canvas whose size is already in device pixels; returns the plotting
 * area's pixel rectangle with its data range.
 */
export function drawTrajectory(canvas: HTMLCanvasElement, panel: string, result: any, dpr: number): any;

/**
 * Every objective's schema (name, group, title, description, citation, parameters with type,
 * default and range): the front end builds its selector and controls from it.
 */
export function objectives(): any;

/**
 * Runs a figure spec (see docs/spec.md) and returns its result as a plain object.
 */
export function run(spec: any): any;

/**
 * Installs a panic hook that reports the message on the console: with `panic = "abort"` a panic
 * still ends the module, so the API never panics by design and this is only a last witness.
 */
export function start(): void;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_bifurcationfigure_free: (a: number, b: number) => void;
    readonly bench: (a: number, b: number, c: number) => [number, number, number];
    readonly bifurcationfigure_draw: (a: number, b: any, c: number, d: number) => [number, number, number];
    readonly bifurcationfigure_new: (a: any) => [number, number, number];
    readonly bifurcationfigure_periods: (a: number) => [number, number];
    readonly drawTrajectory: (a: any, b: number, c: number, d: any, e: number) => [number, number, number];
    readonly objectives: () => [number, number, number];
    readonly run: (a: any) => [number, number, number];
    readonly start: () => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
