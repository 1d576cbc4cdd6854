// A panel's canvas: sized from its box times devicePixelRatio, and a readout of the value under
// the pointer (or under a keyboard cursor moved with the arrow keys) from the plotting rectangle
// the core returns ({left, right, top, bottom, x_min, x_max, y_min, y_max} in device pixels, with
// x_log / y_log when an axis is logarithmic).

import { exact, readable } from './format.js';

export function devicePixelRatio() {
  return globalThis.devicePixelRatio || 1;
}

/** Sets the canvas' pixel size from its CSS size × devicePixelRatio; true if it changed. */
export function sizeCanvas(canvas) {
  const dpr = devicePixelRatio();
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

function axis(pixel, from, to, min, max, log) {
  const f = (pixel - from) / (to - from);
  return log ? Math.exp(Math.log(min) + f * (Math.log(max) - Math.log(min))) : min + f * (max - min);
}

/** The data point under CSS pixel (px, py) of a canvas drawn with `rect`, or null outside it. */
export function dataAt(canvas, rect, px, py) {
  if (!rect) return null;
  const dpr = canvas.width / Math.max(1, canvas.clientWidth);
  const [x, y] = [px * dpr, py * dpr];
  if (x < rect.left || x > rect.right || y < rect.top || y > rect.bottom) return null;
  return {
    x: axis(x, rect.left, rect.right, rect.x_min, rect.x_max, rect.x_log),
    y: axis(y, rect.bottom, rect.top, rect.y_min, rect.y_max, rect.y_log),
  };
}

/** "x = 1.11606, y = 0.2" for the readout, and the exact values for its title. */
export function readout(point) {
  return {
    text: `x = ${readable(point.x)}, y = ${readable(point.y)}`,
    title: `x = ${exact(point.x)}, y = ${exact(point.y)}`,
  };
}

/** A sideways drag shorter than this (CSS pixels) is a click. */
const DRAG_MIN_PX = 5;

/**
 * Follows the pointer and the keyboard over a panel's canvas: `at(point, source)` with the data
 * point (null when it leaves the plot), `pick(point)` on a click, Enter or Space. The keyboard
 * cursor starts at the plot's centre and moves 1/50 of it per arrow key (1/10 with Shift). With
 * `drag`, a sideways drag across the plot shows `band` over the dragged window and, once released,
 * calls `drag(from, to)` with the data points at its ends (instead of a click).
 */
export function trackPointer(canvas, rectOf, { at, pick, drag = null, band = null }) {
  let cursor = null; // CSS pixels
  let pressed = null; // where a drag began (CSS pixels)
  let dragged = false;
  const pointAt = (px, py) => dataAt(canvas, rectOf(), px, py);
  const showBand = (x0, x1) => {
    if (!band) return;
    band.hidden = x1 === undefined;
    if (x1 === undefined) return;
    band.style.left = `${canvas.offsetLeft + Math.min(x0, x1)}px`;
    band.style.width = `${Math.abs(x1 - x0)}px`;
    band.style.top = `${canvas.offsetTop}px`;
    band.style.height = `${canvas.clientHeight}px`;
  };
  canvas.addEventListener('pointerdown', (e) => {
    if (!drag || !pointAt(e.offsetX, e.offsetY)) return;
    pressed = [e.offsetX, e.offsetY];
    dragged = false;
    canvas.setPointerCapture?.(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    at(pointAt(e.offsetX, e.offsetY));
    if (pressed && Math.abs(e.offsetX - pressed[0]) > DRAG_MIN_PX) showBand(pressed[0], e.offsetX);
  });
  canvas.addEventListener('pointerup', (e) => {
    if (!pressed) return;
    const from = pressed;
    pressed = null;
    showBand();
    if (Math.abs(e.offsetX - from[0]) <= DRAG_MIN_PX) return;
    // The ends are clamped to the plot: a drag may end beyond it.
    const rect = rectOf();
    const dpr = canvas.width / Math.max(1, canvas.clientWidth);
    const clamp = (x) => Math.min(rect.right / dpr, Math.max(rect.left / dpr, x));
    const [a, b] = [pointAt(clamp(from[0]), from[1]), pointAt(clamp(e.offsetX), from[1])];
    dragged = true;
    if (a && b) drag(a, b);
  });
  canvas.addEventListener('pointercancel', () => {
    pressed = null;
    showBand();
  });
  canvas.addEventListener('pointerleave', () => at(null));
  canvas.addEventListener('click', (e) => {
    if (dragged) {
      dragged = false;
      return;
    }
    const p = pointAt(e.offsetX, e.offsetY);
    if (p) pick(p);
  });
  canvas.addEventListener('keydown', (e) => {
    const rect = rectOf();
    if (!rect) return;
    const dpr = canvas.width / Math.max(1, canvas.clientWidth);
    const [l, r, t, b] = [rect.left / dpr, rect.right / dpr, rect.top / dpr, rect.bottom / dpr];
    cursor ??= [(l + r) / 2, (t + b) / 2];
    const step = e.shiftKey ? 10 : 50;
    const moves = { ArrowLeft: [-(r - l) / step, 0], ArrowRight: [(r - l) / step, 0], ArrowUp: [0, -(b - t) / step], ArrowDown: [0, (b - t) / step] };
    if (moves[e.key]) {
      cursor = [Math.min(r, Math.max(l, cursor[0] + moves[e.key][0])), Math.min(b, Math.max(t, cursor[1] + moves[e.key][1]))];
      at(pointAt(...cursor));
      e.preventDefault();
    } else if (e.key === 'Enter' || e.key === ' ') {
      const p = pointAt(...cursor);
      if (p) pick(p);
      e.preventDefault();
    }
  });
  canvas.addEventListener('focus', () => {
    const rect = rectOf();
    if (rect) {
      const dpr = canvas.width / Math.max(1, canvas.clientWidth);
      cursor ??= [(rect.left + rect.right) / 2 / dpr, (rect.top + rect.bottom) / 2 / dpr];
      at(pointAt(...cursor));
    }
  });
  canvas.addEventListener('blur', () => at(null));
}
