// The exercises (www/exercises/*.md), checked with the core (pkg/eoslab.js) in node: every file
// parses; every question's worked solution passes its own check and every plausible wrong answer
// the file lists fails with the feedback it names; every number the prose quotes with three or more
// decimals is one of the file's facts, and every fact is what the core computes; the validator names
// file, line and field for bad files; the bundle exercises.js is fresh; the arithmetic and TeX
// readers do what they say.
//
//     node --test tests/exercises/

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../e2e/static-server.mjs';
import { BUNDLE, bundleText, loadExercises } from '../../www/exercises/bundle.mjs';
import { check, formatNumber, rememberingRun, resolve, substitute, take } from '../../www/exercises/check.js';
import { evaluate } from '../../www/exercises/expr.js';
import { LEVELS, PAPERS, parseExercise } from '../../www/exercises/format.js';
import { texToMathML } from '../../www/exercises/tex.js';

const core = await import(pathToFileURL(join(REPO_ROOT, 'pkg', 'eoslab.js')).href);
const run = rememberingRun((spec) => core.run(spec));
const exercises = loadExercises();

test('there are at least 12 exercises, spanning every paper and every level', () => {
  assert.ok(exercises.length >= 12, `${exercises.length} exercises`);
  assert.deepEqual([...new Set(exercises.map((e) => e.paper))].sort(), Object.keys(PAPERS).sort());
  assert.deepEqual([...new Set(exercises.map((e) => e.level))].sort(), Object.keys(LEVELS).map(Number));
  for (const e of exercises) {
    assert.ok(e.goals.length >= 1 && e.questions.length >= 1 && e.figures.length >= 1, e.id);
    assert.ok(e.hints.length >= 1, `${e.id} has hints`);
  }
});

for (const exercise of exercises) {
  test(`${exercise.id}: every worked solution passes and every listed wrong answer fails with its feedback`, () => {
    for (const question of exercise.questions) {
      const right = check(question, question.solution, run);
      assert.equal(right.ok, true, `${exercise.id} ${question.id}: the solution ${JSON.stringify(question.solution)} fails: ${right.feedback}`);
      for (const wrong of question.wrong) {
        const verdict = check(question, wrong.answer, run);
        assert.equal(verdict.ok, false, `${exercise.id} ${question.id}: ${JSON.stringify(wrong.answer)} passes`);
        assert.ok(verdict.feedback.includes(wrong.says), `${exercise.id} ${question.id}: feedback for ${JSON.stringify(wrong.answer)} is “${verdict.feedback}”, without “${wrong.says}”`);
        assert.doesNotMatch(verdict.feedback, /NaN|undefined|\{answer\}/, 'feedback is readable');
      }
      if (question.type === 'choice') {
        const expected = resolve(question.answer, run);
        assert.ok(question.options.some((o) => String(o.value) === String(expected)), `${question.id}: the core's answer ${expected} is an option`);
      }
    }
  });

  test(`${exercise.id}: its facts are what the core computes, and its prose quotes only facts`, () => {
    for (const fact of exercise.facts) {
      const computed = resolve(fact, run);
      const decimals = (String(fact.value).split('.')[1] ?? '').length;
      const tolerance = fact.tolerance ?? 0.5 * 10 ** -decimals;
      assert.ok(Math.abs(computed - fact.value) <= tolerance * (1 + 1e-9), `${exercise.id}: fact ${fact.value} is ${computed} by the core`);
    }
    const prose = [
      exercise.statement.text,
      exercise.solution.text,
      ...exercise.hints.map((h) => h.text),
      ...exercise.figures.map((f) => f.caption),
      ...exercise.questions.flatMap((q) => [q.prompt, q.right, q.too_low, q.too_high, ...(q.mistakes ?? []).map((m) => m.feedback), ...(q.options ?? []).flatMap((o) => [o.text, o.feedback]), ...(q.require ?? []).flatMap((c) => Object.values(c.feedback))]),
    ].filter(Boolean);
    for (const text of prose) {
      for (const quoted of text.match(/−?-?\d+\.\d{3,}/g) ?? []) {
        const value = Number(quoted.replace('−', '-'));
        const decimals = quoted.split('.')[1].length;
        const backed = exercise.facts.some((fact) => Math.abs(resolve(fact, run) - value) <= 0.5 * 10 ** -decimals * (1 + 1e-9));
        assert.ok(backed, `${exercise.id}: “${quoted}” in “${text.slice(0, 80)}…” is not one of its facts`);
      }
    }
  });

  test(`${exercise.id}: every figure's spec runs in the core`, () => {
    for (const figure of exercise.figures) {
      const result = core.run(figure.spec);
      assert.equal(result.kind, figure.spec.kind);
    }
  });
}

test('numeric feedback describes the run at the student\'s value (the issue\'s period-2 example)', () => {
  const exercise = exercises.find((e) => e.id === 'double-well-period-four');
  const question = exercise.questions.find((q) => q.id === 'period-four');
  const verdict = check(question, { eta: '1.1' }, run);
  assert.equal(verdict.ok, false);
  assert.equal(verdict.feedback, 'With η = 1.1, GD settles on a period-2 orbit. Your η gives period 2: the second doubling comes later. Increase η.');
  // η = √5 − 1 + 0.01 lies between the core's second and third onsets: period 4.
  const onsets = core.run({ kind: 'onsets', eta_min: 0.5, eta_max: 1.4 }).onsets;
  assert.ok(Math.abs(onsets[1].value - (Math.sqrt(5) - 1)) < 1e-12);
  assert.equal(check(question, { eta: String(onsets[1].value + 0.01) }, run).ok, true);
  assert.equal(check(question, { eta: String(onsets[2].value + 0.001) }, run).ok, false);
});

test('a run the core refuses is feedback naming the field, and unreadable answers say why', () => {
  const question = exercises.find((e) => e.id === 'unstable-convergence-f4').questions.find((q) => q.id === 'unstable');
  assert.equal(check(question, { x0: '1, 2, 3' }, run).feedback, '(x₀, y₀) needs 2 numbers, separated by commas (got 3).');
  assert.equal(check(question, { x0: '20, 1' }, run).feedback, '(x₀, y₀) must be at most 10 here.');
  const numeric = exercises.find((e) => e.id === 'quadratic-threshold').questions.find((q) => q.id === 'threshold');
  assert.match(check(numeric, '0.5 +', run).feedback, /^I could not read your answer as a number: “0.5 \+” ends too early\.$/);
  const refusing = { ...numeric, probe: { ...numeric.probe, steps: '$answer' } };
  assert.match(check(refusing, '0.5', run).feedback, /^The core refused this run \(steps: /);
});

test('the checker\'s helpers: paths, substitution, remembering runs', () => {
  assert.equal(take({ a: [{ b: 1 }, { b: 2 }] }, 'a.-1.b'), 2);
  assert.equal(take({ a: null }, 'a.b'), undefined);
  assert.deepEqual(take({ a: [[1, 2, 3, 4]] }, 'a.0.1:3'), [2, 3]);
  assert.deepEqual(substitute({ eta: '$eta', x0: '$x0', params: 'a = $a', keep: '$other' }, { eta: 0.4, x0: [1, 2], a: 30 }), { eta: 0.4, x0: [1, 2], params: 'a = 30', keep: '$other' });
  let calls = 0;
  const counted = rememberingRun((spec) => ({ n: ++calls, spec }));
  counted({ kind: 'x' });
  counted({ kind: 'x' });
  assert.equal(calls, 1);
  assert.equal(formatNumber(-1.23456789), '−1.23457');
  assert.equal(formatNumber(3.2e-136), '3.200e−136');
});

test('the arithmetic reader evaluates what students type, and nothing else', () => {
  assert.equal(evaluate('sqrt(5) - 1'), Math.sqrt(5) - 1);
  assert.equal(evaluate('2/0.4'), 5);
  assert.equal(evaluate('2^3^2'), 512);
  assert.equal(evaluate('-2^2'), -4);
  assert.equal(evaluate('1,5'), 1.5);
  assert.equal(evaluate('√4 × 3'), 6);
  assert.equal(evaluate('2/v', { v: 4 }), 0.5);
  assert.equal(evaluate('1.2e-3'), 0.0012);
  assert.throws(() => evaluate('alert(1)'), /“alert” is not a number I can read/);
  assert.throws(() => evaluate('1/0'), /is not a finite number/);
  assert.throws(() => evaluate('(1 + 2'), /\) is missing/);
  assert.throws(() => evaluate(''), /the answer is empty/);
});

test('the TeX subset becomes MathML, and TeX outside it is refused by name', () => {
  assert.equal(texToMathML('\\frac{2}{\\eta}'), '<math><mfrac><mn>2</mn><mi>η</mi></mfrac></math>');
  assert.equal(texToMathML('x_t^2'), '<math><msubsup><mi>x</mi><mi>t</mi><mn>2</mn></msubsup></math>');
  assert.equal(texToMathML('\\sqrt{a - b}', true), '<math display="block"><msqrt><mrow><mi>a</mi><mo>−</mo><mi>b</mi></mrow></msqrt></math>');
  assert.equal(texToMathML('a < b'), '<math><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi></mrow></math>');
  assert.throws(() => texToMathML('\\int f'), /uses \\int, which the exercise renderer does not know/);
  assert.throws(() => texToMathML('{x'), /unclosed \{/);
});

test('www/exercises/exercises.js is fresh (node www/exercises/bundle.mjs writes it)', () => {
  assert.equal(readFileSync(BUNDLE, 'utf8'), bundleText(), 'www/exercises/exercises.js is stale: run node www/exercises/bundle.mjs');
});

// -------------------------------------------------------------------------------------------------
// The validator on bad files: each names the file, the line and the field.

const GOOD = readFileSync(join(REPO_ROOT, 'www/exercises/quadratic-threshold.md'), 'utf8');
const FILE = 'www/exercises/quadratic-threshold.md';

/** The line number (1-based) of the first line of GOOD containing `text`. */
const lineOf = (text) => GOOD.split('\n').findIndex((line) => line.includes(text)) + 1;

function refusal(text, file = FILE) {
  try {
    parseExercise(text, file);
  } catch (error) {
    return { message: error.message, line: error.line, field: error.field };
  }
  assert.fail('the bad file was accepted');
}

test('bad exercise files are refused with file, line and field', () => {
  const cases = [
    [GOOD.replace('level: 1', 'level: 7'), lineOf('level: 1'), 'level', /must be one of 1–5/],
    [GOOD.replace('paper: cohen', 'paper: 007'), lineOf('paper: cohen'), 'paper', /unknown paper “007”/],
    [GOOD.replace('title: The stability', 'titel: The stability'), lineOf('title: The stability'), 'titel', /unknown field/],
    [GOOD.replace(/^goals:\n( {2}- .*\n)+/m, ''), 7, 'goals', /missing from the front matter/],
    [GOOD.replace('"tolerance": 0.001,', '"tolerance": -1,'), lineOf('"tolerance": 0.001,'), 'question threshold.tolerance', /must be a number > 0/],
    [GOOD.replace('"too_low": "GD still converges', '"too_lo": "GD still converges'), lineOf('"too_low": "GD still converges'), 'question threshold.too_lo', /unknown field/],
    [GOOD.replace('"right": "Right: for 1/a', '"rite": "Right: for 1/a'), lineOf('"right": "Right: for 1/a'), 'question oscillate.rite', /unknown field/],
    [GOOD.replace('{"value": 0.5, "run"', '{"value": "half", "run"'), lineOf('{"value": 0.5, "run"'), 'facts.1.value', /must be a number/],
    [GOOD.replace('{"answer": "0.6", "says": "past the threshold"}', '{"answer": "0.6", "say": "past the threshold"}'), lineOf('{"answer": "0.6", "says"'), 'question threshold.wrong.1.say', /unknown field \(known: answer, says\)/],
    [GOOD.replace('"panels": ["cobweb", "loss"]', '"panels": ["cobweb", "lost"]'), lineOf('"panels": ["cobweb", "loss"]'), 'figure.panels', /unknown panel “lost”/],
    [GOOD.replace('"controls": ["eta", "x0"]', '"controls": ["mu"]'), lineOf('"controls": ["eta", "x0"]'), 'figure.controls', /must be a list of eta, x0/],
    [GOOD.replace('"type": "run",', '"type": "essay",'), lineOf('"type": "run",'), 'question oscillate.type', /must be "numeric", "choice" or "run"/],
    [GOOD.replace('"tolerance": 0.001,\n', '"tolerance": 0.001,,\n'), lineOf('"tolerance": 0.001,'), 'Question threshold', /invalid JSON/],
    [GOOD.replace('## Hint\nWrite one step', 'More words.\n\n## Hint\nWrite one step'), lineOf('Write one step') - 1, 'Question oscillate', /nothing may follow the ```json block/],
    [GOOD.replace('## Hint\nWrite one step', '## Hints\nWrite one step'), lineOf('## Hint'), 'Hints', /unknown section/],
    [GOOD.replace('the minimum, but with the', 'the minimum, but with $the'), lineOf('the minimum, but with the'), 'Question oscillate', /unclosed \$/],
    [GOOD.replace('"caption": "GD on $f(x) = 2x^2$', '"caption": "GD on $f(x) = 2x^2'), lineOf('"caption": "GD on'), 'figure.caption', /unclosed \$/],
    [GOOD.replace('exactly when $|1 - \\eta a| < 1$', 'exactly when $|1 - \\etaa a| < 1$'), lineOf('This tends to 0 exactly when'), 'Solution', /uses \\etaa/],
    [GOOD.replace('$x \\leftarrow x - \\eta f\'(x)$', '$x \\gets \\eta \\nablaa$'), lineOf('Gradient descent with learning rate'), 'Statement', /uses \\nablaa/],
    [GOOD.replace('"wrong": [\n    {"answer": {"eta": "0.2"}', '"wrongs": [\n    {"answer": {"eta": "0.2"}'), lineOf('{"answer": {"eta": "0.2"}') - 1, 'question oscillate.wrongs', /unknown field/],
  ];
  for (const [text, line, field, message] of cases) {
    const got = refusal(text);
    assert.equal(got.field, field, got.message);
    assert.equal(got.line, line, got.message);
    assert.match(got.message, message);
    assert.ok(got.message.startsWith(`${FILE}:${line}: ${field}: `), got.message);
  }
  assert.match(refusal(GOOD, 'www/exercises/other-name.md').message, /^www\/exercises\/other-name.md:2: id: must equal the file's name \(other-name\)$/);
  assert.match(refusal('no front matter', 'x.md').message, /^x.md:1: front matter: the file must start with a line "---"/);
  const noSolution = GOOD.slice(0, GOOD.indexOf('## Solution'));
  assert.match(refusal(noSolution).message, /: Solution: missing: add a "## Solution" section/);
});
