// THE one adapter between the figure element and the core's drawing exports (crate/figure through
// crate/web): which panels a result kind has (`panels`), drawing one on a canvas (`drawPanel`),
// its SVG (`panelSVG`), and the chunked scans (bifurcation, basin) drawn as they arrive
// (`BifurcationPlot`, `BasinPlot`, with their own `draw` and `svg`). Nothing else in the element
// calls a drawing export.

import * as core from '../../pkg/eoslab_web.js';
import { SpecError, typed } from './errors.js';

/** Whether the page asks for dark colours (the plots follow prefers-color-scheme). */
function dark() {
  return Boolean(globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches);
}

/** The dimension of a trajectory result's objective (its first iterate's length). */
function dimension(result) {
  return result?.iterates?.[0]?.length ?? 0;
}

/**
 * The trajectory panels that need a dimension: the landscape and cobweb one parameter, the plane
 * two. For a result of that dimension they join the natural set (the explorer's and the zoo's
 * views), for any other they stay out of it (the core would refuse them).
 */
const BY_DIMENSION = { landscape: 1, cobweb: 1, plane: 2 };

/**
 * Every panel of a kind, `{name, title, natural}`: the core's list, with a trajectory's natural set
 * following its result's dimension (see BY_DIMENSION); an unknown kind is refused naming "kind".
 */
export function panels(kind, result = null) {
  return typed(() => core.panels(kind)).map((p) => {
    const needs = kind === 'trajectory' ? BY_DIMENSION[p.name] : undefined;
    return needs === undefined ? p : { ...p, natural: result !== null && dimension(result) === needs };
  });
}

/** Whether a kind is computed as a chunked scan (drawn as the chunks arrive). */
export function isScan(kind) {
  return kind === 'bifurcation' || kind === 'basin';
}

/** GD steps per chunk of bifurcation columns, starts per chunk of basin rows. */
const CHUNK_STEPS = 200_000;
const CHUNK_POINTS = 8192;

/**
 * A chunked scan being filled on the page: `{size, chunk(workers), insert, filled, draw, svg,
 * pick, result, free}`. Constructing it validates the spec (a `SpecError` naming the field).
 */
export function scanOf(spec) {
  return spec.kind === 'basin' ? basinScan(spec) : bifurcationScan(spec);
}

function bifurcationScan(spec) {
  const plot = typed(() => new core.BifurcationPlot(spec));
  const runs = (Array.isArray(spec.starts) ? spec.starts.length : 2) * ((spec.transient ?? 1000) + (spec.record ?? 256));
  return {
    size: plot.size,
    chunk: (workers) => Math.max(1, Math.min(Math.ceil(plot.size / (4 * workers)), Math.floor(CHUNK_STEPS / Math.max(1, runs)))),
    insert: (start, data) => typed(() => plot.insert(start, data)),
    get filled() {
      return plot.filled;
    },
    draw(canvas, panel, dpr, { marker = NaN } = {}) {
      if (panel === 'diagram') return typed(() => plot.draw(canvas, dpr, marker ?? NaN, 'bifurcation diagram'));
      if (panel === 'lyapunov') return typed(() => plot.drawLyapunov(canvas, dpr, marker ?? NaN));
      throw new SpecError(`no panel "${panel}" for a bifurcation`, 'panel');
    },
    svg: (panel, width, height, { marker = NaN } = {}) => typed(() => plot.svg(panel, width, height, marker ?? NaN)),
    /** The column nearest a value of the scanned parameter. */
    pick: (x) => typed(() => plot.column(x)),
    result: () => typed(() => plot.result()),
    free: () => plot.free(),
  };
}

function basinScan(spec) {
  const plot = typed(() => new core.BasinPlot(spec));
  const { nx, ny } = plot;
  const points = { class: new Uint8Array(nx * ny), minimizer: new Int32Array(nx * ny), steps: new Uint32Array(nx * ny), period: new Uint32Array(nx * ny) };
  return {
    size: ny,
    chunk: (workers) => Math.max(1, Math.min(Math.round(CHUNK_POINTS / nx), Math.ceil(ny / (2 * workers)))),
    insert(start, data) {
      typed(() => plot.insert(start, data));
      for (const key of Object.keys(points)) points[key].set(data[key], start * nx);
    },
    get filled() {
      return plot.filled;
    },
    draw(canvas, panel, dpr, { marker = null } = {}) {
      if (panel !== 'map') throw new SpecError(`no panel "${panel}" for a basin map`, 'panel');
      return typed(() => plot.draw(canvas, dpr, marker?.[0] ?? NaN, marker?.[1] ?? NaN));
    },
    svg: (panel, width, height) => typed(() => plot.svg(panel, width, height)),
    /** The start of the cell under a point of the map. */
    pick: (x, y) => {
      const [i, j] = typed(() => plot.cellAt(x, y));
      return typed(() => plot.cell(i, j));
    },
    /**
     * The map as the core's `run` gives it (without `objective` and `minimizers`). Its per-start
     * arrays (a million entries for a 1024² map: 125 ms each to make) are made from the chunks
     * when first read, so finishing a scan does not hold up the page's thread.
     */
    result() {
      const map = {
        kind: 'basin',
        eta: spec.eta,
        x: Array.from({ length: nx }, (_, i) => plot.cell(i, 0).x0[0]),
        y: Array.from({ length: ny }, (_, j) => plot.cell(0, j).x0[1]),
        classes: core.basinClasses().map((c) => c.name),
        counts: plot.counts().counts,
      };
      const lazy = {
        class: () => Array.from(points.class),
        minimizer: () => Array.from(points.minimizer),
        steps: () => Array.from(points.steps),
        period: () => Array.from(points.period),
      };
      for (const [key, make] of Object.entries(lazy)) {
        let value;
        Object.defineProperty(map, key, { enumerable: true, get: () => (value ??= make()) });
      }
      return map;
    },
    free: () => plot.free(),
  };
}

/**
 * The drawing options of a figure: its pinned runs (`{label, result}`), a heavy-ball run laid over
 * a flow or self-stabilization result (or null), and dark colours when asked.
 */
function drawingOptions({ pinned = [], heavyBall = null } = {}) {
  return { pinned, heavyBall, dark: dark() };
}

/** Draws a panel of a whole result (not a scan) on a canvas sized in device pixels. */
export function drawResult(canvas, panel, result, dpr, options = {}) {
  return typed(() => core.drawPanel(canvas, panel, result, dpr, drawingOptions(options)));
}

/** The SVG of a panel of a whole result, `width × height` CSS pixels, text as <text>. */
export function panelSVG(panel, result, width, height, options = {}) {
  return typed(() => core.panelSVG(panel, result, width, height, drawingOptions(options)));
}
