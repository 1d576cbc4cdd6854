// Labelled controls for spec paths ("eta steps objective.mu x0"), built from the objective schema
// (`objectives()` of the core) and the spec fields documented in docs/spec.md. Each control is a
// real form element with a label, a help line giving the accepted range, and an <output> where
// the core's refusal of that field is shown. DOM only: the core still does all the checking.

import { getPath } from './state.js';

/** Spec fields (docs/spec.md): label, type and documented range. */
const FIELDS = {
  eta: { label: 'learning rate η', type: 'real', min: 0, max: 1e6, help: '0 < η ≤ 10⁶' },
  steps: { label: 'steps', type: 'integer', min: 1, max: 100000, help: '1 to 100,000' },
  x0: { label: 'start x₀', type: 'list', help: 'one coordinate per parameter, comma-separated' },
  momentum: { label: 'momentum β', type: 'real', min: 0, max: 0.999, help: '0 to 0.999' },
  sharpness_every: { label: 'sharpness every', type: 'integer', min: 0, max: 100000, help: 'steps between estimates; 0: never' },
  eta_min: { label: 'η from', type: 'real', min: 0, max: 1e6, help: '0 < η ≤ 10⁶' },
  eta_max: { label: 'η to', type: 'real', min: 0, max: 1e6, help: 'above η from' },
  n_eta: { label: 'η values', type: 'integer', min: 1, max: 10000, help: '1 to 10,000' },
  transient: { label: 'transient', type: 'integer', min: 0, max: 100000, help: 'steps discarded, 0 to 100,000' },
  record: { label: 'samples', type: 'integer', min: 1, max: 4096, help: 'kept per run, 1 to 4,096' },
  x_min: { label: 'x from', type: 'real', min: -1e6, max: 1e6, help: '|x| ≤ 10⁶' },
  x_max: { label: 'x to', type: 'real', min: -1e6, max: 1e6, help: 'above x from' },
  y_min: { label: 'y from', type: 'real', min: -1e6, max: 1e6, help: '|y| ≤ 10⁶' },
  y_max: { label: 'y to', type: 'real', min: -1e6, max: 1e6, help: 'above y from' },
  nx: { label: 'grid x', type: 'integer', min: 1, max: 1024, help: '1 to 1,024 starts' },
  ny: { label: 'grid y', type: 'integer', min: 1, max: 1024, help: '1 to 1,024 starts' },
  tol: { label: 'tolerance', type: 'real', min: 1e-15, max: 1e-3, help: '10⁻¹⁵ to 10⁻³' },
  'sharpness.k': { label: 'top-k eigenvalues', type: 'integer', min: 1, max: 64, help: 'k = 1 to 64, by Lanczos' },
  'schedule.kind': {
    label: 'learning-rate schedule',
    type: 'choice',
    options: [['constant', 'constant η'], ['step_decay', 'step decay η → η·factor'], ['warmup', 'linear warm-up'], ['cyclic', 'cyclic (triangle)']],
    help: '',
  },
  'schedule.at': { label: 'decay at step', type: 'integer', min: 0, max: 100000, help: 'step decay: from this step on' },
  'schedule.factor': { label: 'decay factor', type: 'real', min: 0, max: 1, help: 'step decay: η·factor' },
};

/** A real parameter gets a slider beside its number field when its range is no wider than this. */
const SLIDER_MAX_SPAN = 100;

/** The objective a spec uses (docs/spec.md: basin maps default to f₄, everything else to the double well). */
export function objectiveName(spec) {
  return spec.objective?.name ?? (spec.kind === 'basin' ? 'unstable_convergence' : 'double_well');
}

/** The descriptor of a path for a spec, or null when no control can be made for it. */
function describe(path, spec, schemas) {
  if (path === 'objective.name') {
    return { label: 'objective', type: 'choice', options: schemas.map((s) => [s.name, s.title, s.group]), help: '', fallback: objectiveName(spec) };
  }
  if (path.startsWith('objective.')) {
    const schema = schemas.find((s) => s.name === objectiveName(spec));
    const param = schema?.params.find((p) => `objective.${p.name}` === path);
    if (!param) return null;
    const range = param.type === 'real' || param.type === 'integer' ? ` (${param.min} to ${param.max})` : '';
    return {
      label: param.name,
      type: param.type,
      min: param.min,
      max: param.max,
      options: param.options?.map((o) => [o, o]),
      help: `${param.description}${range}`,
      fallback: param.default,
      slider: param.type === 'real' && param.max - param.min <= SLIDER_MAX_SPAN,
    };
  }
  return FIELDS[path] ?? null;
}

let serial = 0;

/** The paths of `paths` with `objective.*` spelled out as every parameter of the spec's objective. */
function expand(paths, spec, schemas) {
  const schema = schemas.find((s) => s.name === objectiveName(spec));
  return paths.flatMap((path) => (path === 'objective.*' ? (schema?.params ?? []).map((p) => `objective.${p.name}`) : [path]));
}

/**
 * Builds the controls of `paths` into `container` for `spec`; `onChange(path, value)` is called
 * when the user changes one. Returns `{controls, errorOf(field)}`: the `<output>` for a refused
 * field (a path equal to the field or containing it, as "x0" for "x0[1]"; for a refused object, as
 * "objective", the control of its name), or null.
 */
export function buildControls(container, paths, spec, schemas, onChange, defaultStart = null) {
  const controls = [];
  for (const path of expand(paths, spec, schemas)) {
    const d = describe(path, spec, schemas);
    if (!d) continue;
    const id = `eoslab-control-${++serial}`;
    const wrap = document.createElement('div');
    wrap.className = 'control';
    wrap.dataset.path = path;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = d.label;
    let input;
    let slider = null;
    if (d.type === 'choice') {
      input = document.createElement('select');
      const groups = new Map();
      for (const [value, text, group] of d.options) {
        if (group && !groups.has(group)) {
          const optgroup = document.createElement('optgroup');
          optgroup.label = group;
          groups.set(group, optgroup);
          input.append(optgroup);
        }
        (groups.get(group) ?? input).append(new Option(text, value));
      }
    } else {
      input = document.createElement('input');
      input.type = d.type === 'real' || d.type === 'integer' ? 'number' : 'text';
      if (input.type === 'number') {
        input.step = d.type === 'integer' ? '1' : 'any';
        input.inputMode = d.type === 'integer' ? 'numeric' : 'decimal';
      }
      input.spellcheck = false;
      if (d.min !== undefined && input.type === 'number') {
        input.min = String(d.min);
        input.max = String(d.max);
      }
      if (d.slider) {
        slider = document.createElement('input');
        slider.type = 'range';
        slider.min = String(d.min);
        slider.max = String(d.max);
        slider.step = String((d.max - d.min) / 1000);
        slider.setAttribute('aria-label', `${d.label} (slider)`);
      }
      if (path === 'x0' && defaultStart) input.placeholder = `default: ${defaultStart.join(', ')}`;
    }
    input.id = id;
    const help = document.createElement('small');
    help.className = 'help';
    help.id = `${id}-help`;
    help.textContent = d.help;
    const error = document.createElement('output');
    error.className = 'error';
    error.id = `${id}-error`;
    error.htmlFor = id;
    input.setAttribute('aria-describedby', `${id}-help ${id}-error`);
    wrap.append(label, ...(slider ? [slider] : []), input, help, error);
    container.append(wrap);

    const read = () => {
      if (input.type === 'number') return input.value.trim() === '' ? undefined : Number(input.value);
      if (d.type === 'list') return input.value.trim() === '' ? undefined : input.value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
      return input.value;
    };
    const write = (value) => {
      const v = value ?? d.fallback;
      if (v === undefined) input.value = '';
      else input.value = Array.isArray(v) ? v.join(', ') : String(v);
      if (slider && typeof v === 'number') slider.value = String(v);
    };
    write(getPath(spec, path));
    // Every keystroke computes (a newer spec cancels the older one); Enter or leaving the field too.
    input.addEventListener('change', () => onChange(path, read()));
    input.addEventListener('input', () => input.validity.badInput || onChange(path, read()));
    slider?.addEventListener('input', () => {
      input.value = slider.value;
      onChange(path, read());
    });
    controls.push({ path, input, slider, error, write });
  }
  return {
    controls,
    errorOf(field) {
      // A refusal of a whole object ("objective") goes beside the control choosing it ("objective.name").
      const match = controls.find((c) => field === c.path || field.startsWith(`${c.path}[`) || field.startsWith(`${c.path}.`)) ?? controls.find((c) => c.path === `${field}.name`);
      return match?.error ?? null;
    },
    update(spec) {
      for (const c of controls) if (document.activeElement !== c.input && c.input.getRootNode().activeElement !== c.input) c.write(getPath(spec, c.path));
    },
  };
}
