// What the pages of the site share: the header's links, canvas sizing, number formatting, the URL
// hash, the controls built from an objective's schema, the error messages of the core shown beside
// the controls they concern, the ready/updates markers the tests wait on, resize handling and
// downloads. DOM only: no mathematics here.

export const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// The header's links between the pages

export { PAGES, siteNav } from './site.js';

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

/**
 * The number an address entry holds; when its text is not a number, the problem is appended to
 * `problems` and `fallback` is returned.
 */
export function numberFromHash(key, raw, fallback, problems) {
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isNaN(v)) return v;
  problems.push(`${key}=“${raw}” is not a number (using the default ${key}=${fallback})`);
  return fallback;
}

/** Like `numberFromHash`, for a comma-separated start point (`fallback` "" is the objective's own). */
export function pointFromHash(key, raw, fallback, problems) {
  const v = parseNumberList(raw);
  if (!v.some(Number.isNaN)) return v;
  problems.push(`${key}=“${raw}” is not a list of numbers (using ${fallback === '' ? "the objective's default start" : `the default ${fallback}`})`);
  return fallback;
}

// ---------------------------------------------------------------------------------------------
// Controls built from an objective's schema (`objectives()` of the core)

/** A real parameter gets a slider too when its range is no wider than this. */
const SLIDER_MAX_SPAN = 100;
/** A text parameter longer than this is edited in a textarea. */
const TEXTAREA_MIN_LEN = 200;

/**
 * The control of one parameter: a form element (with a slider for a real of modest range), its
 * label, help and error elements; `onChange()` is called when the user changes it. `read()` gives
 * the value for the spec, `write(v)` shows one and `hashValue()` gives its text for the address
 * (null when it holds nothing to keep).
 */
export function paramControl(param, onChange) {
  const id = `param-${param.name}`;
  const wrap = document.createElement('div');
  wrap.className = 'control';
  wrap.dataset.param = param.name;

  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = param.name;
  wrap.append(label);

  let input;
  let slider = null;
  const numeric = param.type === 'real' || param.type === 'integer';
  if (numeric) {
    input = document.createElement('input');
    input.type = 'number';
    input.inputMode = param.type === 'integer' ? 'numeric' : 'decimal';
    input.step = param.type === 'integer' ? '1' : 'any';
    input.min = String(param.min);
    input.max = String(param.max);
    if (param.type === 'real' && param.max - param.min <= SLIDER_MAX_SPAN) {
      slider = document.createElement('input');
      slider.type = 'range';
      slider.id = `${id}-range`;
      slider.min = String(param.min);
      slider.max = String(param.max);
      slider.step = String((param.max - param.min) / 1000);
      slider.setAttribute('aria-label', `${param.name} (slider)`);
    }
  } else if (param.type === 'choice') {
    input = document.createElement('select');
    for (const option of param.options) input.append(new Option(option, option));
  } else if (param.type === 'text' && param.max_len > TEXTAREA_MIN_LEN) {
    input = document.createElement('textarea');
    input.rows = 2;
    input.spellcheck = false;
  } else {
    input = document.createElement('input');
    input.type = 'text';
    input.spellcheck = false;
    if (param.type === 'list') input.inputMode = 'decimal';
  }
  input.id = id;
  input.name = id;
  input.setAttribute('aria-describedby', `${id}-help ${id}-error`);

  if (slider) {
    const inputs = document.createElement('div');
    inputs.className = 'inputs';
    inputs.append(slider, input);
    wrap.append(inputs);
  } else {
    wrap.append(input);
  }

  const help = document.createElement('small');
  help.className = 'help';
  help.id = `${id}-help`;
  help.textContent = `${param.description}${rangeNote(param)}`;
  const error = document.createElement('output');
  error.className = 'error';
  error.id = `${id}-error`;
  error.htmlFor = id;
  error.setAttribute('aria-live', 'polite');
  wrap.append(help, error);

  const syncSlider = () => {
    if (slider && Number.isFinite(input.valueAsNumber)) slider.value = String(input.valueAsNumber);
  };
  input.addEventListener('input', () => {
    syncSlider();
    onChange();
  });
  slider?.addEventListener('input', () => {
    input.value = slider.value;
    onChange();
  });

  const control = {
    param,
    key: `objective.${param.name}`,
    element: wrap,
    input,
    slider,
    error,
    read() {
      if (numeric) return input.valueAsNumber; // NaN when the field holds no number
      if (param.type === 'list') return parseNumberList(input.value);
      return input.value;
    },
    write(value) {
      if (numeric) input.value = Number.isFinite(value) ? String(value) : '';
      else if (param.type === 'list') input.value = value.join(', ');
      else input.value = value;
      syncSlider();
    },
    hashValue() {
      const v = control.read();
      if (numeric) return Number.isNaN(v) ? null : String(v);
      if (param.type === 'list') return v.length === 0 || v.some(Number.isNaN) ? null : v.join(',');
      return v;
    },
  };
  return control;
}

/**
 * A parameter's value from its text in the address: `{value}`, or `{problem}` when the text is
 * malformed for the parameter's type (not a number, not an offered option).
 */
export function parseParam(param, raw) {
  if (param.type === 'real' || param.type === 'integer') {
    const v = raw.trim() === '' ? NaN : Number(raw);
    return Number.isNaN(v) ? { problem: 'is not a number' } : { value: v };
  }
  if (param.type === 'choice') {
    return param.options.includes(raw) ? { value: raw } : { problem: `is not one of ${param.options.join(', ')}` };
  }
  if (param.type === 'list') {
    const v = parseNumberList(raw);
    return v.length === 0 || v.some(Number.isNaN) ? { problem: 'is not a list of numbers' } : { value: v };
  }
  return { value: raw };
}

/** The accepted range in words, appended to the help text (the core still does the checking). */
function rangeNote(param) {
  switch (param.type) {
    case 'real':
    case 'integer':
      return ` (${param.min} to ${param.max})`;
    case 'list':
      return ` (comma-separated, up to ${param.max_len} numbers from ${param.min} to ${param.max})`;
    default:
      return '';
  }
}

/** A parameter's default as the address writes it. */
export function formatDefault(param) {
  return Array.isArray(param.default) ? param.default.join(',') : String(param.default);
}

/**
 * Builds the controls of a schema's parameters into `container`, showing `values` where given and
 * the schema's defaults elsewhere; `onChange()` is called when the user changes one.
 */
export function objectiveControls(container, schema, values, onChange) {
  const controls = schema.params.map((p) => paramControl(p, onChange));
  for (const c of controls) c.write(c.param.name in values ? values[c.param.name] : c.param.default);
  container.replaceChildren(...controls.map((c) => c.element));
  return controls;
}

/** Fills a selector from the schemas, one optgroup per group, in registry order. */
export function buildSelector(select, schemas) {
  const groups = new Map();
  for (const schema of schemas) {
    if (!groups.has(schema.group)) {
      const optgroup = document.createElement('optgroup');
      optgroup.label = schema.group;
      groups.set(schema.group, optgroup);
      select.append(optgroup);
    }
    groups.get(schema.group).append(new Option(schema.title, schema.name));
  }
}

/**
 * Reads the address' `objective` and `objective.<parameter>` entries against the schemas:
 * `{schema, params}`, where `schema` falls back to `fallback` when the named one is unknown, and
 * every malformed entry is appended to `problems`. Entries with other keys are ignored here.
 */
export function objectiveFromHash(entries, schemas, fallback, problems) {
  const named = entries.find(([k]) => k === 'objective');
  let schema = fallback;
  if (named) {
    const found = schemas.find((s) => s.name === named[1]);
    if (found) schema = found;
    else problems.push(`unknown objective “${named[1]}” (showing ${schema.name}; known: ${schemas.map((s) => s.name).join(', ')})`);
  }
  const params = {};
  for (const [key, raw] of entries) {
    if (!key.startsWith('objective.')) continue;
    const param = schema.params.find((p) => `objective.${p.name}` === key);
    if (!param) {
      problems.push(`${schema.name} has no parameter “${key.slice('objective.'.length)}” (ignored)`);
      continue;
    }
    const parsed = parseParam(param, raw);
    if ('problem' in parsed) problems.push(`${key}=“${raw}” ${parsed.problem} (using the default ${formatDefault(param)})`);
    else params[param.name] = parsed.value;
  }
  return { schema, params };
}

/** The address entries of an objective and its parameter controls (those that hold a value). */
export function objectiveHashEntries(schema, controls) {
  const entries = [['objective', schema.name]];
  for (const c of controls) {
    const v = c.hashValue();
    if (v !== null) entries.push([c.key, v]);
  }
  return entries;
}

/** The message places of the objective selector and its parameter controls, for FieldMessages.show. */
export function objectiveMessagePlaces(controls) {
  return [
    { key: 'objective', error: $('objective-error'), inputs: [$('objective')] },
    ...controls.map((c) => ({ key: c.key, error: c.error, inputs: [c.input, c.slider].filter(Boolean) })),
  ];
}

/**
 * The control key of an objective field ("objective", "objective.mu"), or null when the field is
 * not the objective's (or names a parameter without a control).
 */
export function objectiveControlOf(field, controls) {
  if (field === 'objective' || field === 'objective.name') return 'objective';
  const param = /^objective\.([^.[]+)/.exec(field)?.[1];
  if (param && controls.some((c) => c.param.name === param)) return `objective.${param}`;
  return null;
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

/**
 * `fn` wrapped so that calls within one frame (a burst of input events, a dragged slider, chunks
 * arriving together) run it once, at the next animation frame; `.schedule()` asks for that.
 */
export function oncePerFrame(fn) {
  let pending = 0;
  const run = (...args) => {
    if (pending) cancelAnimationFrame(pending);
    pending = 0;
    return fn(...args);
  };
  run.schedule = () => {
    if (!pending) {
      pending = requestAnimationFrame(() => {
        pending = 0;
        fn();
      });
    }
  };
  return run;
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
