// The exercise file format (docs/exercises.md): Markdown with a front-matter block, then sections
// `## Statement`, `## Figure` (a ```json block), `## Question <id>` (prose, then a ```json block),
// `## Hint`, `## Solution` and `## Facts` (a ```json list). parseExercise validates a file and
// returns the exercise as plain data, or throws an ExerciseFormatError naming the file, the line
// and the field.

import { REDUCERS } from './check.js';
import { proseToHtml } from './prose.js';

/** The papers an exercise can be about, by the key its `paper:` field uses. */
export const PAPERS = {
  cohen: 'Cohen, Kaur, Li, Kolter, Talwalkar: Gradient Descent on Neural Networks Typically Occurs at the Edge of Stability (ICLR 2021)',
  '000': 'Wang, Xu, Zhao, Tao: Good regularity creates large learning rate implicit biases: edge of stability, balancing, and catapult',
  '001': 'Damian, Nichani, Lee: Self-Stabilization: The Implicit Bias of Gradient Descent at the Edge of Stability',
  '002': 'Chen, Bruna: Beyond the Edge of Stability via Two-step Gradient Updates',
  '003': 'Exploring the Edge of Stability: a fine-grained analysis of gradient descent in shallow ReLU networks',
  '004': 'Chen, Peng, Li, Zhao: On the Unstable Convergence Regime of Gradient Descent (AAAI 2024)',
};

/** The levels, from first-year calculus to research. */
export const LEVELS = {
  1: 'first-year calculus',
  2: 'multivariable calculus and linear algebra',
  3: 'discrete dynamical systems',
  4: 'graduate optimisation',
  5: 'research',
};

/** The panels a figure of each spec kind can show (the page's drawing adapter draws these). */
export const PANELS = {
  trajectory: ['landscape', 'cobweb', 'plane', 'loss', 'regimes', 'sharpness'],
  bifurcation: ['bifurcation'],
  flow: ['loss', 'sharpness', 'distance'],
};

/** The figure controls a student may be given. */
export const CONTROLS = ['eta', 'x0'];

/** A problem in an exercise file: `file:line: field: message`. */
export class ExerciseFormatError extends Error {
  constructor(file, line, field, message) {
    super(`${file}:${line}: ${field}: ${message}`);
    this.name = 'ExerciseFormatError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

const FRONT_FIELDS = ['id', 'title', 'paper', 'phenomenon', 'level', 'goals'];

/** Reads the front matter: `key: value` lines and `goals:` followed by `- item` lines. */
function frontMatter(lines, fail) {
  if (lines[0]?.trim() !== '---') fail(1, 'front matter', 'the file must start with a line "---" opening the front matter');
  const end = lines.indexOf('---', 1);
  if (end < 0) fail(1, 'front matter', 'no line "---" closes the front matter');
  const fields = {};
  const at = {};
  let list = null;
  for (let i = 1; i < end; i += 1) {
    const line = lines[i];
    if (!line.trim()) continue;
    const item = line.match(/^\s+- (.+)$/);
    if (item) {
      if (!list) fail(i + 1, 'front matter', 'a "- " item must follow a field such as "goals:"');
      fields[list].push(item[1].trim());
      continue;
    }
    const pair = line.match(/^([a-z_]+):\s*(.*)$/);
    if (!pair) fail(i + 1, 'front matter', `cannot read “${line.trim()}”: write "field: value"`);
    const [, key, value] = pair;
    if (!FRONT_FIELDS.includes(key)) fail(i + 1, key, `unknown field (known: ${FRONT_FIELDS.join(', ')})`);
    if (key in fields) fail(i + 1, key, 'given twice');
    at[key] = i + 1;
    if (value === '') {
      fields[key] = [];
      list = key;
    } else {
      fields[key] = value.trim();
      list = null;
    }
  }
  for (const key of FRONT_FIELDS) if (!(key in fields)) fail(end + 1, key, 'missing from the front matter');
  return { fields, at, end };
}

/** The offset of element `index` of the JSON array whose `[` is at or after `from` (strings skipped). */
function elementOffset(block, from, index) {
  let depth = 0;
  let count = -1;
  let inString = false;
  for (let i = block.indexOf('[', from); i >= 0 && i < block.length; i += 1) {
    const c = block[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && !/[\s,\]]/.test(c) && (count < 0 || /[[,]/.test(block.slice(0, i).trimEnd().slice(-1)))) {
      count += 1;
      if (count === index) return i;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) break;
    }
  }
  return from;
}

/** The line of `path` inside a JSON block starting at line `first` (the block's line if not found). */
function lineOf(block, first, path) {
  let offset = 0;
  for (const key of path) {
    if (typeof key === 'number') {
      offset = elementOffset(block, offset, key);
      continue;
    }
    const found = block.indexOf(`"${key}"`, offset);
    if (found < 0) break;
    offset = found;
  }
  return first + block.slice(0, offset).split('\n').length - 1;
}

/** Parses the single ```json block of a section: {value, line (its first), text, prose (the text before it)}. */
function jsonBlock(section, fail) {
  const open = section.body.findIndex((line) => line.trim() === '```json');
  if (open < 0) fail(section.line, section.field, 'needs a ```json block');
  const close = section.body.findIndex((line, i) => i > open && line.trim() === '```');
  if (close < 0) fail(section.line + open + 1, section.field, 'the ```json block is not closed by ```');
  const extra = section.body.findIndex((line, i) => i > close && line.trim() !== '');
  if (extra >= 0) fail(section.line + extra + 1, section.field, 'nothing may follow the ```json block in this section');
  const text = section.body.slice(open + 1, close).join('\n');
  const first = section.line + open + 2;
  try {
    return { value: JSON.parse(text), line: first, text, prose: section.body.slice(0, open).join('\n').trim() };
  } catch (error) {
    const position = Number(error.message.match(/position (\d+)/)?.[1] ?? 0);
    fail(first + text.slice(0, position).split('\n').length - 1, section.field, `invalid JSON: ${error.message}`);
  }
}

/** Splits the body into `## ` sections: {title, line, body}. */
function sections(lines, from) {
  const found = [];
  for (let i = from; i < lines.length; i += 1) {
    const heading = lines[i].match(/^## (.+)$/);
    if (heading) found.push({ title: heading[1].trim(), line: i + 1, body: [] });
    else if (found.length) found[found.length - 1].body.push(lines[i]);
    else if (lines[i].trim()) return { stray: i + 1 };
  }
  return { found };
}

/**
 * Validates a JSON value against a small schema and reports the first problem with its field path.
 * `rules` maps a field to [required, test(value) → error message or ''].
 */
function fields(object, rules, path, report) {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return report(path, 'must be a JSON object');
  for (const key of Object.keys(object)) if (!(key in rules)) report([...path, key], `unknown field (known: ${Object.keys(rules).join(', ')})`);
  for (const [key, [required, test]] of Object.entries(rules)) {
    if (!(key in object)) {
      if (required) report([...path, key], 'is required');
      continue;
    }
    const problem = test(object[key], [...path, key]);
    if (problem) report([...path, key], problem);
  }
}

const isText = (v) => (typeof v === 'string' && v.trim() !== '' ? '' : 'must be a non-empty string');
const isNumber = (v) => (typeof v === 'number' && Number.isFinite(v) ? '' : 'must be a number');
const isPositive = (v) => (typeof v === 'number' && v > 0 ? '' : 'must be a number > 0');
const isNonNegative = (v) => (typeof v === 'number' && v >= 0 ? '' : 'must be a number ≥ 0');
const isSpec = (v) => (v && typeof v === 'object' && typeof v.kind === 'string' ? '' : 'must be a spec: a JSON object with a "kind" (docs/spec.md)');
const isReducer = (v) => (v in REDUCERS ? '' : `must be one of ${Object.keys(REDUCERS).join(', ')}`);
const isTextList = (v) => (Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s) ? '' : 'must be a non-empty list of strings');

/** Checks a reference to a value: a literal, or {run, take, expr}. */
function reference(report) {
  return (value, path) => {
    if (typeof value === 'number' || typeof value === 'string') return '';
    fields(value, { run: [true, isSpec], take: [true, isText], reduce: [false, isReducer], expr: [false, isText] }, path, report);
    return '';
  };
}

function listOf(rules, report, minimum = 1) {
  return (value, path) => {
    if (!Array.isArray(value) || value.length < minimum) return `must be a list of at least ${minimum}`;
    value.forEach((item, i) => fields(item, rules, [...path, i], report));
    return '';
  };
}

/** The question schema, by type. */
function questionRules(type, report) {
  const ref = reference(report);
  const examples = {
    type: [true, () => ''],
    solution: [true, () => ''],
    wrong: [true, listOf({ answer: [true, () => ''], says: [true, isText] }, report)],
  };
  if (type === 'numeric') {
    return {
      ...examples,
      answer: [true, ref],
      tolerance: [true, isPositive],
      label: [false, isText],
      probe: [false, isSpec],
      right: [true, isText],
      too_low: [true, isText],
      too_high: [true, isText],
      mistakes: [false, listOf({ value: [true, ref], tolerance: [false, isPositive], feedback: [true, isText] }, report)],
    };
  }
  if (type === 'choice') {
    return {
      ...examples,
      answer: [true, ref],
      options: [true, listOf({ value: [true, (v) => (typeof v === 'string' || typeof v === 'number' ? '' : 'must be a string or a number')], text: [true, isText], feedback: [true, isText] }, report, 2)],
    };
  }
  const condition = (value, path) => {
    fields(
      value,
      {
        take: [true, isText],
        reduce: [false, isReducer],
        expr: [false, isText],
        equals: [false, () => ''],
        at_least: [false, isNumber],
        at_most: [false, isNumber],
        present: [false, (v) => (typeof v === 'boolean' ? '' : 'must be true or false')],
        feedback: [true, (f, p) => (f && typeof f === 'object' && typeof f.otherwise === 'string' ? '' : (report([...p, 'otherwise'], 'is required: the feedback for any other value'), ''))],
      },
      path,
      report,
    );
    const tests = ['equals', 'at_least', 'at_most', 'present'].filter((key) => key in (value ?? {}));
    if (tests.length === 0) report(path, 'needs one of equals, at_least, at_most, present');
    return '';
  };
  return {
    ...examples,
    inputs: [true, listOf({ name: [true, isText], label: [true, isText], size: [false, isPositive], min: [false, isNumber], max: [false, isNumber], value: [false, () => ''] }, report)],
    spec: [true, isSpec],
    require: [true, (value, path) => (Array.isArray(value) && value.length ? (value.forEach((c, i) => condition(c, [...path, i])), '') : 'must be a list of at least 1 condition')],
    right: [true, isText],
  };
}

/**
 * Where in a block of prose the problem a message describes is: the unpaired $ of an unclosed
 * one, the start of the TeX a message quotes, or else the block's first character.
 */
function problemOffset(block, message) {
  const dollars = [...block.matchAll(/\$/g)].map((m) => m.index);
  if (/unclosed \$/.test(message) && dollars.length) return dollars[dollars.length - 1];
  const quoted = message.match(/^“([^”]{1,20})/)?.[1];
  const found = quoted ? block.indexOf(quoted) : -1;
  return found >= 0 ? found : block.length - block.trimStart().length;
}

/**
 * Renders prose that starts at line `line`, block by block, so that a TeX or Markdown problem
 * becomes a format error at the line of the paragraph it is in.
 */
function prose(text, line, field, fail) {
  const html = [];
  let at = line;
  for (const block of text.split(/(\n\s*\n)/)) {
    if (block.trim() && !/^\n\s*\n$/.test(block)) {
      try {
        html.push(proseToHtml(block));
      } catch (error) {
        fail(at + block.slice(0, problemOffset(block, error.message)).split('\n').length - 1, field, error.message);
      }
    }
    at += block.split('\n').length - 1;
  }
  return html.join('\n');
}

/**
 * Parses and validates the text of an exercise file named `file` (its base name without .md must
 * equal its `id`). Returns the exercise:
 * `{id, title, paper, paper_title, phenomenon, level, level_name, goals, statement, figures,
 * questions, hints, solution, facts}`, prose as Markdown source with an `_html` twin.
 */
export function parseExercise(text, file) {
  const fail = (line, field, message) => {
    throw new ExerciseFormatError(file, line, field, message);
  };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const { fields: front, at, end } = frontMatter(lines, fail);
  const base = file.split('/').pop().replace(/\.md$/, '');
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(front.id)) fail(at.id, 'id', 'must be lower-case words joined by "-"');
  if (front.id !== base) fail(at.id, 'id', `must equal the file's name (${base})`);
  if (!(front.paper in PAPERS)) fail(at.paper, 'paper', `unknown paper “${front.paper}” (known: ${Object.keys(PAPERS).join(', ')})`);
  if (!(front.level in LEVELS)) fail(at.level, 'level', `must be one of 1–5 (${Object.entries(LEVELS).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  if (!Array.isArray(front.goals) || front.goals.length === 0) fail(at.goals, 'goals', 'must be a list of "- " items');
  for (const key of ['title', 'phenomenon']) if (typeof front[key] !== 'string') fail(at[key], key, 'must be one line of text');

  const parts = sections(lines, end + 1);
  if (parts.stray) fail(parts.stray, 'body', 'text before the first "## " section');
  const exercise = {
    id: front.id,
    title: front.title,
    paper: front.paper,
    paper_title: PAPERS[front.paper],
    phenomenon: front.phenomenon,
    level: Number(front.level),
    level_name: LEVELS[front.level],
    goals: front.goals,
    statement: null,
    figures: [],
    questions: [],
    hints: [],
    solution: null,
    facts: [],
  };
  for (const section of parts.found) {
    const question = section.title.match(/^Question ([a-z0-9-]+)$/);
    const body = section.body.join('\n').trim();
    const bodyLine = section.line + 1 + section.body.findIndex((l) => l.trim() !== '');
    section.field = section.title;
    if (section.title === 'Statement' || section.title === 'Solution' || section.title === 'Hint') {
      if (!body) fail(section.line, section.title, 'is empty');
      const key = section.title.toLowerCase();
      const rendered = { text: body, html: prose(body, bodyLine, section.title, fail), line: section.line };
      if (key === 'hint') exercise.hints.push(rendered);
      else if (exercise[key]) fail(section.line, section.title, 'given twice');
      else exercise[key] = rendered;
    } else if (section.title === 'Figure') {
      const block = jsonBlock(section, fail);
      const report = (path, message) => fail(lineOf(block.text, block.line, path), ['figure', ...path].join('.'), message);
      fields(
        block.value,
        {
          spec: [true, isSpec],
          panels: [true, isTextList],
          controls: [true, (v) => (Array.isArray(v) && v.every((c) => CONTROLS.includes(c)) ? '' : `must be a list of ${CONTROLS.join(', ')}`)],
          caption: [true, isText],
        },
        [],
        report,
      );
      const panels = PANELS[block.value.spec.kind];
      if (!panels) report(['spec', 'kind'], `a figure shows a spec of kind ${Object.keys(PANELS).join(' or ')}`);
      const unknown = block.value.panels.find((panel) => !panels.includes(panel));
      if (unknown) report(['panels'], `unknown panel “${unknown}” for a ${block.value.spec.kind} (known: ${panels.join(', ')})`);
      exercise.figures.push({ ...block.value, caption_html: prose(block.value.caption, lineOf(block.text, block.line, ['caption']), 'figure.caption', fail), line: section.line });
    } else if (question) {
      const block = jsonBlock(section, fail);
      if (!block.prose) fail(section.line, section.title, 'needs the question in words before its ```json block');
      if (exercise.questions.some((q) => q.id === question[1])) fail(section.line, section.title, 'a question with this id was given before');
      const report = (path, message) => fail(lineOf(block.text, block.line, path), [`question ${question[1]}`, ...path].join('.'), message);
      const type = block.value?.type;
      if (!['numeric', 'choice', 'run'].includes(type)) report(['type'], 'must be "numeric", "choice" or "run"');
      fields(block.value, questionRules(type, report), [], report);
      if (block.value.probe && !block.value.label) report(['label'], 'is required with a probe: the name of the answer in the feedback (e.g. "η")');
      exercise.questions.push({ id: question[1], prompt: block.prose, prompt_html: prose(block.prose, bodyLine, section.title, fail), line: section.line, ...block.value });
    } else if (section.title === 'Facts') {
      const block = jsonBlock(section, fail);
      const report = (path, message) => fail(lineOf(block.text, block.line, path), ['facts', ...path].join('.'), message);
      listOf({ value: [true, isNumber], run: [true, isSpec], take: [true, isText], reduce: [false, isReducer], expr: [false, isText], tolerance: [false, isNonNegative] }, report)(block.value, []);
      exercise.facts = block.value.map((fact) => ({ ...fact }));
    } else {
      fail(section.line, section.title, 'unknown section (known: Statement, Figure, Question <id>, Hint, Solution, Facts)');
    }
  }
  if (!exercise.statement) fail(end + 1, 'Statement', 'missing: add a "## Statement" section');
  if (!exercise.solution) fail(end + 1, 'Solution', 'missing: add a "## Solution" section (the worked solution)');
  if (exercise.questions.length === 0) fail(end + 1, 'Question', 'missing: add at least one "## Question <id>" section');
  return exercise;
}
