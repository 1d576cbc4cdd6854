// The exercise checker: pure functions from (question, answer, run) to {ok, feedback}, where `run`
// is the core's run(spec) (pkg/eoslab.js in a page, in node or in a notebook). Answers are judged
// against what the core computes, not against stored numbers: a numeric answer against a value the
// core derives (the η of an onset, an orbit point), a choice against the option the core's result
// selects, a student's own run by running it and testing conditions on the result. Feedback says in
// words what the student's answer does ("at η = 1.3 GD settles on a period-4 orbit"), never just
// "wrong". The question format is docs/exercises.md's.

import { evaluate } from './expr.js';

/** A number as a student reads it: at most 6 significant digits, a true minus sign. */
export function formatNumber(x) {
  if (!Number.isFinite(x)) return String(x);
  const text = Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-4) ? x.toExponential(3) : String(Number(x.toPrecision(6)));
  return text.replace('-', '−');
}

/**
 * `run` remembering its results by spec, for checks that run the same reference spec for every
 * answer (the pages and the tests wrap the core's run with it). Refusals are not remembered.
 */
export function rememberingRun(run) {
  const results = new Map();
  return (spec) => {
    const key = JSON.stringify(spec);
    if (!results.has(key)) results.set(key, run(spec));
    return results.get(key);
  };
}

/**
 * The value at a dotted path of a result: "onsets.1.value"; negative indices count from the end
 * ("loss.-1"), and "i:j" takes elements i to j − 1 of a list ("orbit.0.0:4").
 */
export function take(result, path) {
  let value = result;
  for (const key of String(path).split('.')) {
    if (value === null || value === undefined) return undefined;
    const slice = key.match(/^(-?\d+):(-?\d+)$/);
    if (Array.isArray(value) && slice) value = value.slice(Number(slice[1]), Number(slice[2]));
    else value = Array.isArray(value) && /^-\d+$/.test(key) ? value[value.length + Number(key)] : value[key];
  }
  return value;
}

/**
 * A copy of `spec` with every string "$name" replaced by `values[name]` (a number or a point), and
 * "$name" inside a longer string (a formula's parameters, "a = $a") by the number's text.
 */
export function substitute(spec, values) {
  if (typeof spec === 'string') {
    if (spec.startsWith('$') && Object.hasOwn(values, spec.slice(1))) return values[spec.slice(1)];
    return spec.replace(/\$([A-Za-z_]\w*)/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
  }
  if (Array.isArray(spec)) return spec.map((item) => substitute(item, values));
  if (spec && typeof spec === 'object') return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, substitute(v, values)]));
  return spec;
}

/** Summaries of a series a reference or condition may ask for instead of the series itself. */
export const REDUCERS = {
  max: (xs) => Math.max(...xs),
  min: (xs) => Math.min(...xs),
  norm: (xs) => Math.hypot(...xs),
  last_quarter_mean: (xs) => {
    const tail = xs.slice(Math.floor((xs.length * 3) / 4));
    return tail.reduce((a, b) => a + b, 0) / tail.length;
  },
};

/**
 * The value of `path` in `result`, reduced by `reduce` if given and transformed by `expr` if given:
 * `expr` is arithmetic in `v` (the value) and the result's top-level numbers (`eta`,
 * `stability_threshold`, …).
 */
export function measure(result, { take: path, reduce, expr }) {
  let value = take(result, path);
  if (reduce !== undefined && Array.isArray(value)) value = value.length ? REDUCERS[reduce](value.filter((x) => x !== null)) : undefined;
  if (expr === undefined || typeof value !== 'number') return value;
  const numbers = Object.fromEntries(Object.entries(result).filter(([, x]) => typeof x === 'number'));
  return evaluate(expr, { ...numbers, v: value });
}

/**
 * The value a reference stands for: a literal (number or string), or `{run, take, reduce, expr}`:
 * the core runs the spec `run`, and `measure` reads its result (e.g. `"take": "eigenvalues.0",
 * "expr": "2/v"`).
 */
export function resolve(ref, run) {
  if (ref === null || typeof ref !== 'object') return ref;
  const value = measure(run(ref.run), ref);
  if (value === undefined) throw new Error(`the core's result has no ${ref.take}`);
  return value;
}

/** What a result shows, in a sentence a student understands (empty for kinds without one). */
export function describe(result) {
  if (result.kind === 'trajectory') {
    const outcome = result.outcome;
    const method = result.momentum > 0 ? 'heavy-ball GD' : 'GD';
    if (outcome.status === 'diverged') return `${method} diverges: the iterates leave every bound at step ${outcome.step}`;
    if (outcome.status === 'chaotic') return 'GD stays bounded but never settles on an orbit: it is chaotic';
    if (outcome.status === 'periodic' && outcome.period === 1) {
      return result.regimes.convergence === 'unstable'
        ? 'GD converges to a minimum, but unstably: the loss goes up on the way'
        : 'GD converges to a minimum with the loss falling at every step';
    }
    if (outcome.status === 'periodic') return `GD settles on a period-${outcome.period} orbit`;
    return `${method} stays finite; the loss ends at ${formatNumber(take(result, 'loss.-1'))}`;
  }
  if (result.kind === 'flow') {
    if (result.gd_diverged !== null) return `GD diverges at step ${result.gd_diverged}, leaving the gradient flow behind`;
    return `GD ends ${formatNumber(take(result, 'distance.-1'))} away from the gradient flow, and was at most ${formatNumber(REDUCERS.max(result.distance))} away`;
  }
  if (result.kind === 'orbit') {
    const kind = result.stable ? 'an attracting' : 'a repelling';
    return result.converged ? `Newton's method finds ${kind} period-${result.minimal_period} orbit` : "Newton's method finds no orbit there";
  }
  return '';
}

/** Fills "{answer}" in a feedback text. */
function fill(text, answer) {
  return String(text).replaceAll('{answer}', answer);
}

/** Runs a spec for a student, turning the core's refusal into feedback. */
function runFor(run, spec) {
  try {
    return { result: run(spec) };
  } catch (error) {
    return { refused: `The core refused this run (${error.field ? `${error.field}: ` : ''}${error.message}).` };
  }
}

function checkNumeric(question, answer, run) {
  let value;
  try {
    value = typeof answer === 'number' ? answer : evaluate(answer);
  } catch (error) {
    return { ok: false, feedback: `I could not read your answer as a number: ${error.message}.` };
  }
  const shown = formatNumber(value);
  const expected = resolve(question.answer, run);
  const close = (target, tolerance) => Math.abs(value - target) <= tolerance;
  let said = '';
  if (question.probe) {
    const probe = runFor(run, substitute(question.probe, { answer: value }));
    said = probe.refused ? `${probe.refused} ` : `At ${question.label} = ${shown}, ${describe(probe.result)}. `;
  }
  if (close(expected, question.tolerance)) return { ok: true, feedback: `${said}${fill(question.right, shown)}` };
  for (const mistake of question.mistakes ?? []) {
    if (close(resolve(mistake.value, run), mistake.tolerance ?? question.tolerance)) return { ok: false, feedback: `${said}${fill(mistake.feedback, shown)}` };
  }
  return { ok: false, feedback: `${said}${fill(value < expected ? question.too_low : question.too_high, shown)}` };
}

function checkChoice(question, answer, run) {
  const chosen = question.options.find((option) => String(option.value) === String(answer));
  if (!chosen) return { ok: false, feedback: 'Pick one of the options first.' };
  const expected = resolve(question.answer, run);
  return { ok: String(expected) === String(chosen.value), feedback: chosen.feedback };
}

/** Reads the student's inputs of a run question: name → number or point. */
function readInputs(question, answer) {
  const values = {};
  for (const input of question.inputs) {
    const raw = answer?.[input.name];
    const label = input.label;
    try {
      if (input.size) {
        const parts = Array.isArray(raw) ? raw : String(raw ?? '').split(/[\s;]+|,\s+|,(?=\S)/).filter((part) => part !== '');
        if (parts.length !== input.size) throw new Error(`${label} needs ${input.size} numbers, separated by commas (got ${parts.length})`);
        values[input.name] = parts.map((part) => (typeof part === 'number' ? part : evaluate(part)));
      } else {
        values[input.name] = typeof raw === 'number' ? raw : evaluate(raw ?? '');
      }
    } catch (error) {
      return { error: error.message.startsWith(label) ? `${error.message}.` : `${label}: ${error.message}.` };
    }
    const numbers = [values[input.name]].flat();
    if (input.min !== undefined && numbers.some((x) => x < input.min)) return { error: `${label} must be at least ${formatNumber(input.min)} here.` };
    if (input.max !== undefined && numbers.some((x) => x > input.max)) return { error: `${label} must be at most ${formatNumber(input.max)} here.` };
  }
  return { values };
}

/** Whether a value meets a condition of a run question, and the key of the feedback to give if not. */
function meets(condition, value) {
  if ('present' in condition) return [(value !== undefined && value !== null) === condition.present, value === undefined || value === null ? 'absent' : 'present'];
  if ('equals' in condition) return [value === condition.equals, String(value)];
  if (typeof value !== 'number') return [false, 'otherwise'];
  if ('at_least' in condition && value < condition.at_least) return [false, 'low'];
  if ('at_most' in condition && value > condition.at_most) return [false, 'high'];
  return [true, ''];
}

function checkRun(question, answer, run) {
  const inputs = readInputs(question, answer);
  if (inputs.error) return { ok: false, feedback: inputs.error };
  const shown = question.inputs
    .map((input) => `${input.label} = ${input.size ? `(${inputs.values[input.name].map(formatNumber).join(', ')})` : formatNumber(inputs.values[input.name])}`)
    .join(', ');
  const outcome = runFor(run, substitute(question.spec, inputs.values));
  if (outcome.refused) return { ok: false, feedback: outcome.refused };
  const said = describe(outcome.result);
  const prefix = said ? `With ${shown}, ${said}. ` : '';
  for (const condition of question.require) {
    const value = measure(outcome.result, condition);
    const [ok, key] = meets(condition, value);
    if (!ok) {
      const text = condition.feedback?.[key] ?? condition.feedback.otherwise;
      return { ok: false, feedback: `${prefix}${fill(text, typeof value === 'number' ? formatNumber(value) : String(value))}` };
    }
  }
  return { ok: true, feedback: `${prefix}${question.right}` };
}

const CHECKERS = { numeric: checkNumeric, choice: checkChoice, run: checkRun };

/**
 * Judges `answer` to `question` (a question of a parsed exercise) with the core's `run`:
 * `{ok, feedback}`. The answer is the student's text for a numeric question, the chosen option's
 * value for a choice, and `{input name: text or number}` for a run question.
 */
export function check(question, answer, run) {
  return CHECKERS[question.type](question, answer, run);
}
