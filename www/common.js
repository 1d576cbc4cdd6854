// What the pages of the site share: canvas sizing, number formatting, the URL hash, the error
// messages of the core shown beside the controls they concern, the ready/updates markers the tests
// wait on, resize handling and downloads. DOM only: no mathematics here.

export const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Canvases

export function dpr() {
  return window.devicePixelRatio || 1;
}

/** Sets the canvas' pixel size from its CSS size × devicePixelRatio; true if it changed. */
export function sizeCanvas(canvas) {
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr()));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr()));
  if (canvas.width === w && canvas.height === h) return false;
  canvas.width = w;
  canvas.height = h;
  return true;
}

/**
 * Calls `onResize()` once per frame at most while any of `canvases` changes size (a window
 * resize, a panel shown or hidden).
 */
export function observeResize(canvases, onResize) {
  let frame = 0;
  const observer = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      onResize();
    });
  });
  for (const c of canvases) observer.observe(c);
  return observer;
}

// ---------------------------------------------------------------------------------------------
// Numbers as text

/** Full precision: 17 significant digits read back to the same double. */
export const fmt = (x) => (Number.isFinite(x) ? x.toPrecision(17) : String(x));
/** A point as comma-separated coordinates in full precision. */
export const point = (p) => p.map(fmt).join(', ');
/** Six significant digits, for prose. */
export const short = (x) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : String(x));

export function subscript(n) {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[d]);
}

/**
 * Comma-separated numbers as typed: every item becomes a number, NaN when it is not one (an empty
 * item included), so that the core says what is wrong. Blank text gives [].
 */
export function parseNumberList(text) {
  if (text.trim() === '') return [];
  return text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
}

// ---------------------------------------------------------------------------------------------
// The URL hash: `#key=value&key=value`

/** The hash's `key=value` parts, decoded, in order (a part without `=` has value ''). */
export function hashEntries(hash) {
  const text = hash.replace(/^#/, '');
  const entries = [];
  if (text === '') return entries;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    entries.push([decode(eq < 0 ? part : part.slice(0, eq)), eq < 0 ? '' : decode(part.slice(eq + 1))]);
  }
  return entries;
}

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Keeps commas readable (lists and points), encodes what would break the hash. */
const encode = (s) => encodeURIComponent(s).replace(/%2C/gi, ',');

/** A hash from `[key, value]` pairs. */
export function hashOfEntries(entries) {
  return '#' + entries.map(([k, v]) => `${encode(k)}=${encode(String(v))}`).join('&');
}

/** Shows (or hides, for none) what could not be read from the address. */
export function showHashProblems(el, problems) {
  el.textContent = problems.length ? `The address could not be read completely: ${problems.join('; ')}.` : '';
  el.hidden = problems.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Errors from the core, shown beside the control that sets the named spec field

/**
 * Collects the errors of one update. `controlOf(field)` maps a spec field ("eta",
 * "objective.mu", "x0[1]", …) to the key of the control that sets it, or null for the general
 * message area.
 */
export class FieldMessages {
  constructor(controlOf) {
    this.controlOf = controlOf;
    this.byControl = new Map();
    this.general = [];
  }

  add(error, context) {
    const message = error instanceof Error ? error.message : String(error);
    const key = typeof error?.field === 'string' ? this.controlOf(error.field) : null;
    if (key) {
      const list = this.byControl.get(key) ?? [];
      if (!list.includes(message)) list.push(message);
      this.byControl.set(key, list);
    } else {
      const text = context ? `${context}: ${message}` : message;
      if (!this.general.includes(text)) this.general.push(text);
    }
  }

  /**
   * Writes the messages: `controls` lists `{key, error, inputs}` (the error element and the
   * form elements to mark aria-invalid); `generalEl` takes the rest.
   */
  show(controls, generalEl) {
    for (const { key, error, inputs } of controls) {
      const list = this.byControl.get(key) ?? [];
      error.textContent = list.join(' ');
      for (const input of inputs) input.toggleAttribute('aria-invalid', list.length > 0);
    }
    generalEl.textContent = this.general.join(' ');
    generalEl.hidden = this.general.length === 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Markers for tests and benchmarks

/**
 * Returns `mark()`, to call after every drawing: the first sets `document.body.dataset.ready =
 * "1"` and `window.eoslabFirstPlotMs`, each later one increments `document.body.dataset.updates`.
 */
export function drawMarker() {
  let first = true;
  let updates = 0;
  return function mark() {
    if (first) {
      first = false;
      window.eoslabFirstPlotMs = performance.now();
      document.body.dataset.ready = '1';
    } else {
      updates += 1;
      document.body.dataset.updates = String(updates);
    }
  };
}

/** Resolves after the browser has painted what the page changed so far. */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

// ---------------------------------------------------------------------------------------------
// Downloads

export function download(name, url) {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}

export function savePng(canvas, name) {
  canvas.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    download(name, url);
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }, 'image/png');
}

export function saveText(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
