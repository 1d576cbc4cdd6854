// THE one adapter between the figure element and the core's drawing exports. Everything the
// element knows about panels goes through here: which panels a result kind has, drawing one on a
// canvas, its SVG, and the chunked scans (bifurcation, basin) that are drawn as they arrive.
// Today it sits on drawTrajectory / drawDynamics / BifurcationPlot / BasinPlot; when crate/web
// gains `panels`, `drawPanel` and `panelSVG` (crate/figure), only this file changes.

import * as core from '../../pkg/eoslab_web.js';
import { SpecError, typed } from './errors.js';

/** Panels per kind: [name, title]; `natural` picks the default set for a result. */
const PANELS = {
  trajectory: [
    ['landscape', 'landscape with the iterates'],
    ['cobweb', 'cobweb of the GD map'],
    ['plane', 'the GD path on the loss'],
    ['loss', 'loss'],
    ['regimes', 'loss by regime'],
    ['sharpness', 'sharpness against 2/η'],
  ],
  flow: [
    ['loss', 'loss: GD and flow'],
    ['sharpness', 'sharpness: GD and flow'],
    ['distance', 'distance GD–flow'],
  ],
  self_stabilization: [
    ['loss', 'loss'],
    ['sharpness', 'sharpness'],
    ['distance', 'distances from GD'],
    ['plane', 'GD around θ† and the prediction'],
  ],
  bifurcation: [
    ['diagram', 'bifurcation diagram'],
    ['lyapunov', 'Lyapunov exponent'],
  ],
  basin: [['map', 'basin map']],
};

/** The dimension of a trajectory result's objective (its first iterate's length). */
function dimension(result) {
  return result?.iterates?.[0]?.length ?? 0;
}

/** Whether `panel` is in the natural set of `kind` (for a result of dimension `dim`). */
function natural(kind, panel, dim) {
  if (kind === 'trajectory') {
    if (panel === 'landscape' || panel === 'cobweb') return dim === 1;
    if (panel === 'plane') return dim === 2;
    return panel === 'loss' || panel === 'sharpness';
  }
  return true;
}

/** Every panel of a kind, `{name, title, natural}`; an unknown kind is refused naming "kind". */
export function panels(kind, result = null) {
  const list = PANELS[kind];
  if (list === undefined) {
    if (['sweep', 'orbit', 'curvature', 'onsets'].includes(kind)) return [];
    throw new SpecError(`no panels for kind "${kind}"`, 'kind');
  }
  const dim = dimension(result);
  return list.map(([name, title]) => ({ name, title, natural: natural(kind, name, dim) }));
}

/** Whether a kind is computed as a chunked scan (drawn as the chunks arrive). */
export function isScan(kind) {
  return kind === 'bifurcation' || kind === 'basin';
}

/** GD steps per chunk of bifurcation columns, starts per chunk of basin rows. */
const CHUNK_STEPS = 200_000;
const CHUNK_POINTS = 8192;

/**
 * A chunked scan being filled on the page: `{size, chunk(workers), insert, filled, draw, result,
 * free}`. Constructing it validates the spec (a `SpecError` naming the field).
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
      if (panel === 'diagram') return typed(() => plot.draw(canvas, dpr, marker, 'bifurcation diagram'));
      if (panel === 'lyapunov') return typed(() => plot.drawLyapunov(canvas, dpr, marker));
      throw new SpecError(`no panel "${panel}" for a bifurcation`, 'panel');
    },
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
    /** The start of the cell under a point of the map. */
    pick: (x, y) => {
      const [i, j] = typed(() => plot.cellAt(x, y));
      return typed(() => plot.cell(i, j));
    },
    /** The map as the core's `run` gives it (without `objective` and `minimizers`). */
    result: () => ({
      kind: 'basin',
      eta: spec.eta,
      x: Array.from({ length: nx }, (_, i) => plot.cell(i, 0).x0[0]),
      y: Array.from({ length: ny }, (_, j) => plot.cell(0, j).x0[1]),
      classes: core.basinClasses().map((c) => c.name ?? c),
      class: Array.from(points.class),
      minimizer: Array.from(points.minimizer),
      steps: Array.from(points.steps),
      period: Array.from(points.period),
      counts: plot.counts().counts,
    }),
    free: () => plot.free(),
  };
}

/** Draws a panel of a whole result (not a scan) on a canvas sized in device pixels. */
export function drawResult(canvas, panel, result, dpr) {
  if (result.kind === 'trajectory') return typed(() => core.drawTrajectory(canvas, panel, result, dpr));
  if (result.kind === 'flow' || result.kind === 'self_stabilization') return typed(() => core.drawDynamics(canvas, panel, result, dpr, null));
  throw new SpecError(`no panel "${panel}" for a result of kind "${result.kind}"`, 'panel');
}

/** The SVG of a panel: needs crate/web's panelSVG (the shared drawing crate). */
export function panelSVG(panel, result, width, height) {
  if (typeof core.panelSVG !== 'function') throw new Error('SVG export needs the core\'s panelSVG, which this build lacks');
  return typed(() => core.panelSVG(panel, result, width, height));
}
