/* tslint:disable */
/* eslint-disable */

/**
 * A basin map on the page: rows arrive in chunks, in any order.
 */
export class BasinPlot {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The cell under the data point (x, y) of the plot: `[i, j]`.
     */
    cellAt(x: number, y: number): Uint32Array;
    /**
     * The start of grid cell (i, j) (clamped to the grid) and, once its row has arrived, its
     * class, the minimiser it reached, its steps and its period.
     */
    cell(i: number, j: number): any;
    /**
     * `{points, total, counts}`: the points of the rows present, all points, and how many of
     * those present fall in each class (by the class names of the core).
     */
    counts(): any;
    /**
     * Draws the map of the rows present, with the known minimisers and the selected start
     * (`selected_x`, `selected_y`; NaN for none); returns the plotting area's pixel rectangle and
     * data range (each axis spans the grid's cells).
     */
    draw(canvas: HTMLCanvasElement, dpr: number, selected_x: number, selected_y: number): any;
    /**
     * Puts the rows of a chunk from `BasinScan.rows` in place from row `start`.
     */
    insert(start: number, chunk: any): void;
    /**
     * The legend of exactly the colours the rows present show: `[{name, colour}]`, one entry
     * per class present and, for the converged classes, one per minimiser reached (its own shade),
     * `colour` as `#rrggbb`.
     */
    legend(): any;
    /**
     * Validates a spec of kind "basin"; no row is computed yet.
     */
    constructor(spec: any);
    /**
     * The panel "map" of the rows present as an SVG document of `width × height` CSS pixels.
     */
    svg(panel: string, width: number, height: number): string;
    /**
     * How many rows have arrived.
     */
    readonly filled: number;
    /**
     * Grid points along the first coordinate.
     */
    readonly nx: number;
    /**
     * Grid points along the second coordinate (rows).
     */
    readonly ny: number;
}

/**
 * A validated basin map in a worker: `rows(start, end)` computes rows of starts.
 */
export class BasinScan {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Validates a spec of kind "basin" (errors name the field).
     */
    constructor(spec: any);
    /**
     * Rows `start..end` as `{class, minimizer, steps, period}` (typed arrays, row-major).
     */
    rows(start: number, end: number): any;
    /**
     * The number of rows (grid values of the second coordinate).
     */
    readonly size: number;
}

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
 * A bifurcation scan on the page: the columns arrive in chunks, in any order.
 */
export class BifurcationPlot {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The column nearest the grid value `value`: its value, η, common period (null while not
     * computed), and per start the period, Lyapunov exponent and divergence step.
     */
    column(value: number): any;
    /**
     * Draws the Lyapunov exponents of the columns present, with a marker at `marker`.
     */
    drawLyapunov(canvas: HTMLCanvasElement, dpr: number, marker: number): any;
    /**
     * Draws the diagram of the columns present, titled `title`, with a marker at the grid value
     * `marker`; returns the plotting area's pixel rectangle and data range.
     */
    draw(canvas: HTMLCanvasElement, dpr: number, marker: number, title: string): any;
    /**
     * Puts the columns of a chunk from `BifurcationScan.scan` in place from column `start`.
     */
    insert(start: number, chunk: any): void;
    /**
     * Validates a spec of kind "bifurcation"; no column is computed yet.
     */
    constructor(spec: any);
    /**
     * The whole result (as `run` returns it) once every column has arrived.
     */
    result(): any;
    /**
     * The panel "diagram" or "lyapunov" of the columns present as an SVG document of
     * `width × height` CSS pixels, with a marker at `marker` (NaN: none).
     */
    svg(panel: string, width: number, height: number, marker: number): string;
    /**
     * The grid of the scanned parameter.
     */
    values(): Float64Array;
    /**
     * How many columns have arrived.
     */
    readonly filled: number;
    /**
     * The number of columns.
     */
    readonly size: number;
}

/**
 * A validated bifurcation scan in a worker: `scan(start, end)` computes columns.
 */
export class BifurcationScan {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Validates a spec of kind "bifurcation" (errors name the field).
     */
    constructor(spec: any);
    /**
     * Columns `start..end` as `{samples, lengths, period, diverged_at, lyapunov}` (typed arrays:
     * each run's samples one after the other, how many each has, its period (0: none), its
     * divergence step (0: none) and its Lyapunov exponent (NaN: none), runs column by column).
     */
    scan(start: number, end: number): any;
    /**
     * The number of columns (grid values).
     */
    readonly size: number;
}

/**
 * The basin map's classes in code order, each with its colour (`#rrggbb`), for the legend.
 */
export function basinClasses(): any;

/**
 * Times a named workload of `eoslab_core::benchmarks` (the same workloads the native bench runs):
 * returns `{name, median_ms, samples, calls}`, `calls` being the evaluations in one run.
 */
export function bench(name: string, reps: number): any;

/**
 * Draws one panel of a `flow` result ("loss", "sharpness", "distance") or of a
 * `self_stabilization` result (those and "plane") returned by `run`, on a canvas whose size is in
 * device pixels. `heavyBall`, a `trajectory` result (with momentum) or null/undefined, is laid
 * over the loss and sharpness panels. `drawPanel` with the option `heavyBall`.
 */
export function drawDynamics(canvas: HTMLCanvasElement, panel: string, result: any, dpr: number, heavy_ball: any): any;

/**
 * Draws the panel `panel` of a result of `run` (any kind) on a canvas already sized in device
 * pixels, at `dpr` device pixels per CSS pixel, with `options` (`{pinned, dark, marker,
 * heavyBall}`, optional); returns the plotting area's `PlotRect` (pixel rectangle, data ranges,
 * `x_log`, `y_log`).
 */
export function drawPanel(canvas: HTMLCanvasElement, panel: string, result: any, dpr: number, options: any): any;

/**
 * Draws one panel ("landscape", "cobweb", "plane", "loss", "regimes" or "sharpness") of a
 * trajectory result returned by `run` onto a canvas whose size is already in device pixels;
 * returns the plotting area's pixel rectangle with its data range. `drawPanel` for trajectories.
 */
export function drawTrajectory(canvas: HTMLCanvasElement, panel: string, result: any, dpr: number): any;

/**
 * What a scan page needs to know of an objective to offer its controls: `{dim, observables,
 * start}` (its number of parameters, the names of its named observables, its default start).
 */
export function objectiveInfo(objective: any): any;

/**
 * Every objective's schema (name, group, title, description, citation, parameters with type,
 * default and range): the front end builds its selector and controls from it.
 */
export function objectives(): any;

/**
 * The panel `panel` of a result of `run` as an SVG document of `width × height` CSS pixels (text
 * as `<text>` elements), with the same `options` as `drawPanel`. The same panel of the same
 * result gives the same SVG here and from the native command.
 */
export function panelSVG(panel: string, result: any, width: number, height: number, options: any): string;

/**
 * Every panel a result of `kind` can be drawn as: `[{name, title, natural}]`, `natural` marking
 * the kind's default set. An unknown kind is an error naming "kind".
 */
export function panels(kind: string): any;

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
    readonly __wbg_basinplot_free: (a: number, b: number) => void;
    readonly __wbg_basinscan_free: (a: number, b: number) => void;
    readonly __wbg_bifurcationfigure_free: (a: number, b: number) => void;
    readonly __wbg_bifurcationplot_free: (a: number, b: number) => void;
    readonly __wbg_bifurcationscan_free: (a: number, b: number) => void;
    readonly basinClasses: () => [number, number, number];
    readonly basinplot_cell: (a: number, b: any, c: any) => [number, number, number];
    readonly basinplot_cellAt: (a: number, b: any, c: any) => [number, number, number, number];
    readonly basinplot_counts: (a: number) => [number, number, number];
    readonly basinplot_draw: (a: number, b: any, c: any, d: any, e: any) => [number, number, number];
    readonly basinplot_filled: (a: number) => number;
    readonly basinplot_insert: (a: number, b: any, c: any) => [number, number];
    readonly basinplot_legend: (a: number) => [number, number, number];
    readonly basinplot_new: (a: any) => [number, number, number];
    readonly basinplot_nx: (a: number) => number;
    readonly basinplot_ny: (a: number) => number;
    readonly basinplot_svg: (a: number, b: any, c: any, d: any) => [number, number, number, number];
    readonly basinscan_new: (a: any) => [number, number, number];
    readonly basinscan_rows: (a: number, b: any, c: any) => [number, number, number];
    readonly basinscan_size: (a: number) => number;
    readonly bench: (a: any, b: any) => [number, number, number];
    readonly bifurcationfigure_draw: (a: number, b: any, c: any, d: any) => [number, number, number];
    readonly bifurcationfigure_new: (a: any) => [number, number, number];
    readonly bifurcationfigure_periods: (a: number) => [number, number];
    readonly bifurcationplot_column: (a: number, b: any) => [number, number, number];
    readonly bifurcationplot_draw: (a: number, b: any, c: any, d: any, e: any) => [number, number, number];
    readonly bifurcationplot_drawLyapunov: (a: number, b: any, c: any, d: any) => [number, number, number];
    readonly bifurcationplot_filled: (a: number) => number;
    readonly bifurcationplot_insert: (a: number, b: any, c: any) => [number, number];
    readonly bifurcationplot_new: (a: any) => [number, number, number];
    readonly bifurcationplot_result: (a: number) => [number, number, number];
    readonly bifurcationplot_size: (a: number) => number;
    readonly bifurcationplot_svg: (a: number, b: any, c: any, d: any, e: any) => [number, number, number, number];
    readonly bifurcationplot_values: (a: number) => [number, number];
    readonly bifurcationscan_new: (a: any) => [number, number, number];
    readonly bifurcationscan_scan: (a: number, b: any, c: any) => [number, number, number];
    readonly bifurcationscan_size: (a: number) => number;
    readonly drawDynamics: (a: any, b: any, c: any, d: any, e: any) => [number, number, number];
    readonly drawPanel: (a: any, b: any, c: any, d: any, e: any) => [number, number, number];
    readonly drawTrajectory: (a: any, b: any, c: any, d: any) => [number, number, number];
    readonly objectiveInfo: (a: any) => [number, number, number];
    readonly objectives: () => [number, number, number];
    readonly panelSVG: (a: any, b: any, c: any, d: any, e: any) => [number, number, number, number];
    readonly panels: (a: any) => [number, number, number];
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
