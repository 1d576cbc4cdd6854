// Browser end-to-end tests of the objective zoo (www/zoo.html), one <eoslab-figure> whose controls
// come from the schemas: real Chromium, real selections and typing, assertions on the numbers the
// page shows against facts computed here from the papers' closed forms (never read back from the
// page), and on the controls built from the schemas.
//
// The site and the browser come from ./browser.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DPR, HANG_GUARD_MS, overlappingText, useBrowser, VIEWPORT } from './browser.mjs';

const PAGE = '/www/zoo.html';
const PANELS = ['landscape', 'cobweb', 'plane', 'loss', 'sharpness'];

const shared = useBrowser();

/** How many computations the figure has settled (done, refused, cancelled). */
const settledCount = (page) => page.evaluate(() => Number(document.getElementById('zoo')?.dataset.settled ?? 0));

/** Opens the page (with an optional hash) in a fresh context at DPR 2 and waits for the figure. */
async function openZoo(t, hash = '', { viewport = VIEWPORT, deviceScaleFactor = DPR } = {}) {
  const context = await shared.browser.newContext({ viewport, deviceScaleFactor, acceptDownloads: true, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${shared.site.baseUrl}${PAGE}${hash}`);
  await page.waitForFunction(() => Number(document.getElementById('zoo')?.dataset.settled ?? 0) >= 1 && document.getElementById('zoo').dataset.state !== 'running');
  return { page, problems, assertNoErrors: () => assert.deepEqual(problems, [], 'the page logged errors') };
}

/** Does `action`, then waits until the figure has settled again and holds every path: value of `expected`. */
async function afterUpdate(page, action, expected = {}) {
  const before = await settledCount(page);
  await action();
  await page.waitForFunction(
    ([n, expected]) => {
      const f = document.getElementById('zoo');
      if (Number(f.dataset.settled ?? 0) <= n || f.dataset.state === 'running') return false;
      const get = (path) => path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), f.spec);
      return Object.entries(expected).every(([path, value]) => JSON.stringify(get(path)) === JSON.stringify(value));
    },
    [before, expected],
  );
}

/** The form element of a control (by its spec path), its error output, help and label. */
const field = (path) => `#zoo .control[data-path="${path}"] :is(input:not([type=range]), select, textarea)`;
const fieldError = (path) => `#zoo .control[data-path="${path}"] output`;
const fieldHelp = (path) => `#zoo .control[data-path="${path}"] .help`;
const fieldLabel = (path) => `#zoo .control[data-path="${path}"] label`;
const fieldSlider = (path) => `#zoo .control[data-path="${path}"] input[type=range]`;
const PARAM_CONTROLS = '#zoo .control[data-path^="objective."]:not([data-path="objective.name"])';

/** The figure's spec value at `path`, as JSON. */
const specValue = (page, path) =>
  page.evaluate((path) => JSON.stringify(path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), document.getElementById('zoo').spec)), path);

/** Picks an option of a select like a user; waits for the new computation unless it was picked already. */
async function choose(page, path, value) {
  const select = page.locator(field(path));
  if ((await select.inputValue()) === value) return;
  await afterUpdate(page, () => select.selectOption(value), { [path]: value });
}

/** Picks an objective in the selector like a user. */
const chooseObjective = (page, name) => choose(page, 'objective.name', name);

/**
 * Types into a control (by its spec path) and waits for the figure to hold `value` (the figure
 * computes nothing when the spec already holds it).
 */
async function typeInto(page, path, text, value = Number(text)) {
  if ((await specValue(page, path)) === JSON.stringify(value)) return page.locator(field(path)).fill(text);
  await afterUpdate(page, () => page.locator(field(path)).fill(text), { [path]: value });
}

/** Sets the GD controls one by one. */
async function setGd(page, { eta, steps, x0 }) {
  if (eta !== undefined) await typeInto(page, 'eta', String(eta));
  if (steps !== undefined) await typeInto(page, 'steps', String(steps));
  if (x0 !== undefined) await typeInto(page, 'x0', x0.join(', '), x0);
}

const text = (page, selector) => page.locator(selector).textContent();
/** The exact numbers behind a readout (its title; the text shows six digits). */
const numbers = async (page, selector) => (await page.locator(selector).getAttribute('title')).split(', ').map(Number);
const number = async (page, selector) => (await numbers(page, selector))[0];

/** What the readouts show, as numbers. */
async function readouts(page) {
  const prevTitle = await page.locator('#zoo-prev-iterate').getAttribute('title');
  return {
    period: await text(page, '#zoo-period'),
    loss: await number(page, '#zoo-final-loss'),
    sharpness: await number(page, '#zoo-final-sharpness'),
    threshold: await number(page, '#zoo-threshold'),
    last: await numbers(page, '#zoo-last-iterate'),
    prev: prevTitle ? prevTitle.split(', ').map(Number) : [],
    dim: Number(await text(page, '#zoo-dim')),
  };
}

function near(actual, expected, tol, what) {
  assert.ok(Number.isFinite(actual) && Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}

const normSquared = (xs) => xs.reduce((s, x) => s + x * x, 0);

async function screenshot(page, name) {
  await page.screenshot({ path: join(shared.site.screenshotDir, `zoo-${name}.png`), fullPage: true });
}

/** Per panel: shown or not, pixel and CSS sizes and how many opaque non-white pixels it holds. */
function panelReport(page) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      const c = document.getElementById('zoo').shadowRoot.querySelector(`figure[data-panel="${id}"] canvas`);
      if (!c) {
        out[id] = { hidden: true };
        continue;
      }
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked += 1;
      }
      out[id] = { hidden: false, width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight, inked, role: c.getAttribute('role'), label: c.getAttribute('aria-label') };
    }
    return out;
  }, PANELS);
}

/** Exactly `shown` panels are present, sized at DPR × their CSS size and drawn. */
async function assertPanels(page, shown) {
  const report = await panelReport(page);
  for (const id of PANELS) {
    const c = report[id];
    assert.equal(c.hidden, !shown.includes(id), `${id} is ${shown.includes(id) ? 'shown' : 'hidden'}: ${JSON.stringify(c)}`);
    if (c.hidden) continue;
    assert.ok(c.cssWidth > 100 && c.cssHeight > 100, `${id} has a real size: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.width - DPR * c.cssWidth) <= 1, `${id} width is ${DPR} × its CSS width: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.height - DPR * c.cssHeight) <= 1, `${id} height is ${DPR} × its CSS height: ${JSON.stringify(c)}`);
    assert.ok(c.inked > 2000, `${id} has drawn pixels: ${JSON.stringify(c)}`);
  }
}

/**
 * The schemas as the core lists them: `objectives()` of the one-file module, called by the test
 * itself (not read from the page's DOM).
 */
function schemas(page) {
  return page.evaluate(async () => (await import('../pkg/eoslab.js')).objectives());
}

/** The figure's CSV, downloaded with its button: the header and one object per row, by column. */
async function csvRows(page) {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#zoo button[data-act="csv"]').click()]);
  const [header, ...rows] = (await readFile(await csv.path(), 'utf8')).trim().split('\n').map((r) => r.split(','));
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? null : Number(r[i])]))) };
}

// ---------------------------------------------------------------------------------------------
// The page itself

test('the selector lists every registered objective, grouped, and the controls follow each schema', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  const listed = await schemas(page);

  // One optgroup per group in registry order, one option per objective.
  const shown = await page.evaluate(() =>
    [...document.getElementById('zoo').shadowRoot.querySelectorAll('.control[data-path="objective.name"] optgroup')].map((g) => ({
      group: g.label,
      names: [...g.querySelectorAll('option')].map((o) => o.value),
    })),
  );
  const byGroup = new Map();
  for (const s of listed) byGroup.set(s.group, [...(byGroup.get(s.group) ?? []), s.name]);
  assert.deepEqual(shown, [...byGroup].map(([group, names]) => ({ group, names })));

  // The first objective is shown with its title, description, citation and default parameters.
  const first = listed[0];
  assert.equal(await page.locator(field('objective.name')).inputValue(), first.name);
  assert.equal(await text(page, '#objective-title'), first.title);
  assert.equal(await text(page, '#objective-description'), first.description);
  assert.equal(await text(page, '#objective-citation'), first.citation);

  // Every control of every schema whose defaults run quickly: type, range, label, help, error.
  // (matrix_factorization and the single neuron are opened with small sizes, see the report.)
  const quick = { matrix_factorization: '&objective.n=2&objective.r=1&objective.spectrum=[1]', single_neuron_population: '&objective.dim=2', single_neuron_empirical: '&objective.dim=2&objective.n=20' };
  for (const s of listed) {
    await afterUpdate(page, () => page.evaluate((h) => { location.hash = h; }, `#objective.name=${s.name}${quick[s.name] ?? ''}`), { 'objective.name': s.name });
    assert.equal(await text(page, '#objective-title'), s.title, `${s.name} title`);
    assert.equal(await page.locator(PARAM_CONTROLS).count(), s.params.length, `${s.name}: one control per parameter`);
    for (const p of s.params) {
      const input = page.locator(field(`objective.${p.name}`));
      const what = `${s.name}.${p.name}`;
      assert.equal(await page.locator(fieldLabel(`objective.${p.name}`)).textContent(), p.name, `${what} label`);
      assert.ok((await text(page, fieldHelp(`objective.${p.name}`))).startsWith(p.description), `${what} help`);
      assert.equal(await page.locator(fieldError(`objective.${p.name}`)).count(), 1, `${what} error element`);
      const tag = await input.evaluate((el) => el.tagName.toLowerCase());
      const type = await input.getAttribute('type');
      if (p.type === 'real' || p.type === 'integer') {
        assert.equal(type, 'number', what);
        assert.equal(Number(await input.getAttribute('min')), p.min, `${what} min`);
        assert.equal(Number(await input.getAttribute('max')), p.max, `${what} max`);
        assert.equal(await input.getAttribute('step'), p.type === 'integer' ? '1' : 'any', `${what} step`);
        if (!(s.name in quick)) assert.equal(Number(await input.inputValue()), p.default, `${what} default`);
        const hasSlider = (await page.locator(fieldSlider(`objective.${p.name}`)).count()) === 1;
        assert.equal(hasSlider, p.type === 'real' && p.max - p.min <= 100, `${what} slider`);
      } else if (p.type === 'choice') {
        assert.equal(tag, 'select', what);
        assert.deepEqual(await input.evaluate((el) => [...el.options].map((o) => o.value)), p.options, `${what} options`);
        assert.equal(await input.inputValue(), p.default, `${what} default`);
      } else if (p.type === 'text') {
        assert.ok(tag === 'textarea' || type === 'text', `${what} is a text field`);
        assert.equal(await input.inputValue(), p.default, `${what} default`);
      } else if (p.type === 'list') {
        assert.equal(type, 'text', what);
        if (!(s.name in quick)) assert.deepEqual((await input.inputValue()).split(',').map(Number), p.default, `${what} default`);
      }
    }
  }
  assertNoErrors();
});

test('first view: labelled canvases at devicePixelRatio 2, redrawn on resize; the pages link each other', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  for (const [id, c] of Object.entries(await panelReport(page))) {
    if (c.hidden) continue;
    assert.equal(c.role, 'img', `${id} role`);
    assert.ok(c.label.length > 10, `${id} aria-label`);
  }
  for (const path of ['objective.name', 'eta', 'steps', 'x0', 'sharpness_every', 'sharpness.k', 'schedule.kind']) {
    const id = await page.locator(field(path)).getAttribute('id');
    assert.equal(await page.locator(`#zoo label[for="${id}"]`).count(), 1, `${path} has a label`);
    assert.equal(await page.locator(`#zoo output[for="${id}"]`).count(), 1, `${path} has an error element`);
  }
  assert.equal(Number(await page.locator(field('steps')).inputValue()), 200, 'default steps');
  assert.equal(await text(page, '#zoo-dim'), '1');
  await assertPanels(page, ['landscape', 'cobweb', 'loss', 'sharpness']);
  near(await number(page, '#zoo-threshold'), 2 / Number(await page.locator(field('eta')).inputValue()), 1e-12, '2/η');
  await screenshot(page, 'default');

  const before = await page.evaluate(() => Number(document.getElementById('zoo').dataset.drawn));
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.waitForFunction((n) => Number(document.getElementById('zoo').dataset.drawn) > n, before);
  await page.waitForTimeout(100);
  const narrow = await panelReport(page);
  assert.ok(narrow.loss.cssWidth < 800, `the plots follow the narrower window: ${JSON.stringify(narrow.loss)}`);
  await assertPanels(page, ['landscape', 'cobweb', 'loss', 'sharpness']);
  await screenshot(page, 'narrow');

  // A small nav on both pages.
  const explorerLink = page.locator('nav a[href="index.html"]');
  assert.equal(await page.locator('nav a[href="zoo.html"]').getAttribute('aria-current'), 'page');
  await Promise.all([page.waitForURL(/index\.html/), explorerLink.click()]);
  await page.waitForFunction(() => document.getElementById('trajectory')?.dataset.state === 'done');
  assert.equal(await page.locator('nav a[href="index.html"]').getAttribute('aria-current'), 'page');
  await Promise.all([page.waitForURL(/zoo\.html/), page.locator('nav a[href="zoo.html"]').click()]);
  await page.waitForFunction(() => document.getElementById('zoo')?.dataset.state === 'done');
  assertNoErrors();
});

test('on a phone (390 × 844, DPR 3) a drawn plot is in the first screen and no text overlaps', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const loss = await page.evaluate(() => {
    const c = document.getElementById('zoo').shadowRoot.querySelector('figure.panel canvas');
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) inked += 1;
    return { bottom: c.getBoundingClientRect().bottom, width: c.width, cssWidth: c.clientWidth, inked };
  });
  assert.ok(loss.bottom <= 844, `the first plot ends within the first screen: ${JSON.stringify(loss)}`);
  assert.equal(loss.width, loss.cssWidth * 3);
  assert.ok(loss.inked > 2000, JSON.stringify(loss));
  assert.deepEqual(await overlappingText(page), [], 'no text is drawn over other text');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'zoo-phone.png') });
  await page.screenshot({ path: join(shared.site.screenshotDir, 'zoo-phone-full.png'), fullPage: true });
  assertNoErrors();
});

// ---------------------------------------------------------------------------------------------
// One objective of each group against the papers' facts

test('scalar: base model g = tanh, y = 0.5 converges to tanh x* = 0.5 with sharpness (1 − y²)² = F′(x*)²', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'base_model');
  await choose(page, 'objective.g', 'tanh');
  await typeInto(page, 'objective.y', '0.5');
  await setGd(page, { eta: 0.5, steps: 200 });
  const r = await readouts(page);
  assert.equal(r.period, '1');
  assert.equal(r.dim, 1);
  assert.ok(r.loss < 1e-20, `final loss ${r.loss} < 1e-20`);
  // At the minimiser tanh x* = y, F′(x*) = 1 − tanh² x* = 1 − y², and the sharpness is F′(x*)².
  near(r.sharpness, (1 - 0.5 ** 2) ** 2, 1e-9, 'final sharpness');
  near(r.last[0], Math.atanh(0.5), 1e-12, 'last iterate');
  near(r.threshold, 2 / 0.5, 1e-15, '2/η');
  await assertPanels(page, ['landscape', 'cobweb', 'loss', 'sharpness']);
  await screenshot(page, 'base-model');
  assertNoErrors();
});

test('two factors: (xy − 1)²/2 at a small η converges to a minimiser with sharpness x² + y²', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'two_factor');
  await typeInto(page, 'objective.d', '1');
  await typeInto(page, 'objective.mu', '1');
  await setGd(page, { eta: 0.1, steps: 500 });
  const r = await readouts(page);
  assert.equal(r.dim, 2);
  assert.ok(r.loss < 1e-20, `final loss ${r.loss} < 1e-20`);
  near(r.last[0] * r.last[1], 1, 1e-9, 'xy on the minimiser');
  near(r.sharpness, normSquared(r.last), 1e-9, 'sharpness = x² + y²');
  await assertPanels(page, ['plane', 'loss', 'sharpness']);
  await screenshot(page, 'two-factor');
  assertNoErrors();
});

test('regularity family: b = 1 and b = 6 converge to minimisers with sharpness ‖x‖² + ‖y‖²', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=regularity&objective.b=1&objective.d=1&eta=0.1&steps=2000');
  for (const b of ['1', '6']) {
    if (b !== '1') await typeInto(page, 'objective.b', b);
    const r = await readouts(page);
    assert.ok(r.loss < 1e-20, `b = ${b}: final loss ${r.loss} < 1e-20`);
    near(r.last[0] * r.last[1], 1, 1e-9, `b = ${b}: xᵀy on the minimiser`);
    near(r.sharpness, normSquared(r.last), 1e-9, `b = ${b}: sharpness = ‖x‖² + ‖y‖²`);
    await screenshot(page, `regularity-b${b}`);
  }
  assertNoErrors();
});

test('unstable convergence: f₄ at η = 0.2 converges to ±(√19/(2√5), √19/(2√5)) with sharpness 19/5', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'unstable_convergence');
  await choose(page, 'objective.which', 'f4');
  await setGd(page, { eta: 0.2, steps: 2000 });
  const r = await readouts(page);
  assert.equal(r.period, '1');
  // f₄ = (1 − xy)² + (x² + y²)/20: ∂f/∂x = −2y(1 − xy) + x/10 = 0 and its mirror give the minima
  // x = y = ±m with 1 − m² = 1/20, m = √19/(2√5). The Hessian there is [[2m² + 1/10, 4m² − 2],
  // [4m² − 2, 2m² + 1/10]] = [[2, 9/5], [9/5, 2]], with eigenvalues 2 ± 9/5: the top one is 19/5.
  const m = Math.sqrt(19) / (2 * Math.sqrt(5));
  const [hxx, hxy] = [2 * m * m + 1 / 10, 4 * m * m - 2];
  near(hxx + Math.abs(hxy), 19 / 5, 1e-12, 'the closed form itself');
  near(Math.abs(r.last[0]), m, 1e-9, '|x|');
  near(Math.abs(r.last[1]), m, 1e-9, '|y|');
  assert.equal(Math.sign(r.last[0]), Math.sign(r.last[1]), 'the same sign in both coordinates');
  near(r.sharpness, hxx + Math.abs(hxy), 1e-9, 'final sharpness');
  await assertPanels(page, ['plane', 'loss', 'sharpness']);
  await screenshot(page, 'f4');
  assertNoErrors();
});

test('self-stabilization (reduced model, η₀ = η = 0.5, α = β = 1): x = ±√(2α/β), y = 0 is a period-2 orbit of GD, and a repelling one', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'self_stabilization_reduced');
  await typeInto(page, 'objective.eta', '0.5');
  await typeInto(page, 'objective.alpha', '1');
  await typeInto(page, 'objective.beta', '1');
  const [alpha, beta, eta] = [1, 1, 0.5];
  const x = Math.sqrt((2 * alpha) / beta);

  // Started on the orbit (parameters (x, u), y = √β·u), GD visits x, −x, x, … with y = 0.
  await setGd(page, { eta, steps: 20, x0: [x, 0] });
  const r = await readouts(page);
  near(Math.abs(r.last[0]), x, 1e-6, 'last iterate |x|');
  near(Math.abs(r.prev[0]), x, 1e-6, 'the one before |x|');
  assert.equal(Math.sign(r.last[0]), -Math.sign(r.prev[0]), 'x alternates in sign');
  near(r.last[1], 0, 1e-6, 'last iterate u');
  near(r.prev[1], 0, 1e-6, 'the one before u');
  // The Hessian there is [[2/η₀, √β·x], [√β·x, 0]]: top eigenvalue (s₀ + √(s₀² + 4βx²))/2.
  const s0 = 2 / eta;
  near(r.sharpness, (s0 + Math.sqrt(s0 * s0 + 4 * beta * x * x)) / 2, 1e-9, 'sharpness on the orbit');

  // But the orbit repels: the GD map's Jacobian on it is [[−1, −ηx], [−ηβx, 1]] in (x, y), with
  // determinant −(1 + 2η²α), so the two-step map has |det| = (1 + 2η²α)² > 1 for every α, β, η
  // and at least one multiplier outside the unit circle. Rounding errors grow, and GD leaves.
  assert.ok((1 + 2 * eta * eta * alpha) ** 2 > 1);
  assert.match(r.period, /^diverged at step \d+$/, 'the orbit is not attracting');
  // From the model's own start GD does not settle on it either.
  await afterUpdate(page, () => page.locator(field('x0')).fill(''), {});
  assert.match(await text(page, '#zoo-period'), /^diverged at step \d+$/);
  await screenshot(page, 'self-stabilization');
  assertNoErrors();
});

test('matrix factorisation: a rank-one target converges at a small η; a bad list entry is refused beside its control', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=matrix_factorization&objective.n=2&objective.r=1&objective.spectrum=[1]&eta=0.1&steps=200');
  let r = await readouts(page);
  assert.equal(r.dim, 4, 'X and Y are 2 × 1');
  assert.ok(r.loss < 1e-12, `final loss ${r.loss} < 1e-12`);
  // At a global minimiser XYᵀ = A, a rank-one matrix whose only singular value is 1, and the
  // singular value of the rank-one XYᵀ (X, Y ∈ ℝ²ˣ¹) is ‖X‖‖Y‖.
  near(Math.sqrt(normSquared(r.last.slice(0, 2)) * normSquared(r.last.slice(2))), 1, 1e-6, '‖X‖‖Y‖ = σ₁(A)');
  await assertPanels(page, ['loss', 'sharpness']);
  await screenshot(page, 'matrix-factorization');

  await afterUpdate(page, () => page.locator(field('objective.spectrum')).fill('1, x'), {});
  assert.match(await text(page, fieldError('objective.spectrum')), /^objective\.spectrum\[1\]: must be a finite number/);
  assert.equal(await page.locator(field('objective.spectrum')).getAttribute('aria-invalid'), 'true');
  assert.equal(await text(page, '#zoo-period'), '—');
  await typeInto(page, 'objective.spectrum', '1', [1]);
  r = await readouts(page);
  assert.equal(await text(page, fieldError('objective.spectrum')), '');
  assert.ok(r.loss < 1e-12);
  assertNoErrors();
});

test('networks: a single ReLU neuron learns its teacher (a‖w‖ = s, sharpness (a² + ‖w‖²)/(2d)); an MLP lowers its loss', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=single_neuron_population&objective.dim=2&eta=0.5&steps=2000');
  let r = await readouts(page);
  assert.equal(r.dim, 3, 'θ = (w₁, w₂, a)');
  const [w1, w2, a] = r.last;
  // Teacher σ(w*ᵀx) with w* = s·e₁, s = 1: the minimisers have w ∥ e₁ and a‖w‖ = s, where the
  // loss is the scalar factorisation (a‖w‖ − s)²/(4d) and the sharpness (a² + ‖w‖²)/(2d).
  assert.ok(r.loss < 1e-12, `final loss ${r.loss}`);
  near(a * w1, 1, 1e-9, 'a‖w‖ = s');
  near(w2, 0, 1e-9, 'w ∥ e₁');
  near(r.sharpness, (a * a + w1 * w1 + w2 * w2) / (2 * 2), 1e-9, 'sharpness (a² + ‖w‖²)/(2d)');
  await screenshot(page, 'single-neuron');

  // The MLP (hundreds of parameters: only the ends of the run are recorded). Switching to it shows
  // "computing…" before the run blocks the page.
  await page.evaluate(() => {
    window.statusSeen = [];
    const status = document.getElementById('zoo').shadowRoot.querySelector('.status');
    new MutationObserver(() => window.statusSeen.push(status.textContent)).observe(
      status,
      { childList: true, characterData: true, subtree: true },
    );
  });
  await chooseObjective(page, 'mlp');
  assert.ok((await page.evaluate(() => window.statusSeen)).includes('computing…'), 'computing… was shown');
  await setGd(page, { eta: 0.1, steps: 200 });
  r = await readouts(page);
  assert.ok(r.dim > 64, `an MLP has many parameters (${r.dim})`);
  assert.equal(r.period, 'not classified');
  assert.equal(await text(page, '#zoo-prev-iterate'), '— (not recorded)');
  // The loss at the start, from the page's CSV, against the final one.
  const { header, rows } = await csvRows(page);
  assert.deepEqual(header.slice(0, 4), ['step', 'eta', 'loss', 'sharpness']);
  assert.equal(rows.length, 201);
  const initialLoss = rows[0].loss;
  assert.equal(rows[200].loss, r.loss, 'the CSV ends with the readout');
  assert.ok(r.loss < initialLoss / 2, `the loss falls over the run: ${initialLoss} → ${r.loss}`);
  await assertPanels(page, ['loss', 'sharpness']);
  await screenshot(page, 'mlp');
  assertNoErrors();
});

test('your own formula: (x² − μ)²/4 with μ = 1 at η = 1.1 settles on the exact 2-cycle; a typo is refused beside the formula', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'formula');
  const schema = (await schemas(page)).find((s) => s.name === 'formula');
  // The parameters of this schema: a formula, its variables and named constants.
  assert.deepEqual(schema.params.map((p) => p.name), ['formula', 'variables', 'params']);
  await typeInto(page, 'objective.variables', 'x', 'x');
  await typeInto(page, 'objective.params', 'mu = 1', 'mu = 1');
  await typeInto(page, 'objective.formula', '(x^2 - mu)^2/4', '(x^2 - mu)^2/4');
  await setGd(page, { eta: 1.1, steps: 200 });
  const r = await readouts(page);
  assert.equal(r.period, '2');
  assert.equal(r.dim, 1);
  // Chen & Bruna §4.2: the 2-cycle (√(μ + 3/η) ± √(μ − 1/η))/2.
  const [mu, eta] = [1, 1.1];
  const hi = (Math.sqrt(mu + 3 / eta) + Math.sqrt(mu - 1 / eta)) / 2;
  const lo = (Math.sqrt(mu + 3 / eta) - Math.sqrt(mu - 1 / eta)) / 2;
  const pair = [r.last[0], r.prev[0]].sort((p, q) => q - p);
  near(pair[0], hi, 1e-9, 'upper point');
  near(pair[1], lo, 1e-9, 'lower point');
  await assertPanels(page, ['landscape', 'cobweb', 'loss', 'sharpness']);
  await screenshot(page, 'formula');

  await afterUpdate(page, () => page.locator(field('objective.formula')).fill('(x^2 - mu)^2/4 +'), {});
  assert.match(await text(page, fieldError('objective.formula')), /^objective\.formula: /);
  assert.equal(await page.locator('#zoo .message').isVisible(), false, 'no general message for a field error');
  await screenshot(page, 'formula-typo');
  assertNoErrors();
});

// ---------------------------------------------------------------------------------------------
// Errors, switching, the address

test('a refused parameter shows the core message beside its control; fixing it clears the message', async (t) => {
  const { page, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'double_well');
  await typeInto(page, 'objective.mu', '-1');
  assert.match(await text(page, fieldError('objective.mu')), /^objective\.mu: must lie in \[0\.001, 1000\] \(got -1\)$/);
  assert.equal(await page.locator(field('objective.mu')).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#zoo .message').isVisible(), false);
  assert.equal(await text(page, '#zoo-period'), '—');
  assert.ok(await page.locator('#zoo .panels').evaluate((f) => f.classList.contains('stale')), 'the plots are dimmed');
  await screenshot(page, 'mu-negative');
  await typeInto(page, 'objective.mu', '1');
  assert.equal(await text(page, fieldError('objective.mu')), '');
  assert.equal(await page.locator(field('objective.mu')).getAttribute('aria-invalid'), null);

  await chooseObjective(page, 'regularity');
  await typeInto(page, 'objective.b', '4');
  assert.match(await text(page, fieldError('objective.b')), /^objective\.b: .*\(got 4\)$/);
  assert.equal(await text(page, fieldError('objective.d')), '');
  // The core reports one problem at a time: fix b before breaking the GD controls.
  await typeInto(page, 'objective.b', '1');
  assert.equal(await text(page, fieldError('objective.b')), '');

  await typeInto(page, 'eta', '-1');
  assert.match(await text(page, fieldError('eta')), /^eta: must be > 0/);
  await typeInto(page, 'eta', '0.1');
  await afterUpdate(page, () => page.locator(field('x0')).fill('1, 2, 3'), { x0: [1, 2, 3] });
  assert.match(await text(page, fieldError('x0')), /^x0: /);
  await afterUpdate(page, () => page.locator(field('x0')).fill('1, zz'), { x0: [1, null] });
  assert.match(await text(page, fieldError('x0')), /^x0\[1\]: must be a finite number/);
  // A blank field means the default: x₀ the objective's start, steps 200.
  await afterUpdate(page, () => page.locator(field('x0')).fill(''), {});
  await afterUpdate(page, () => page.locator(field('steps')).fill(''), {});
  assert.equal(await text(page, fieldError('steps')), '');
  assert.equal(await text(page, '#zoo-last-index'), 'x₂₀₀');
  assertNoErrors();
});

test('switching objectives rebuilds the controls, shows the new objective and clears x₀', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=double_well&objective.mu=2&eta=0.1&x0=[0.3]');
  const listed = await schemas(page);
  assert.equal(await page.locator(field('objective.mu')).count(), 1);
  assert.equal(await page.locator(field('x0')).inputValue(), '0.3');
  await chooseObjective(page, 'base_model');
  const bm = listed.find((s) => s.name === 'base_model');
  assert.equal(await page.locator(field('objective.mu')).count(), 0, 'the old controls are gone');
  assert.deepEqual(await page.locator(PARAM_CONTROLS).evaluateAll((els) => els.map((e) => e.dataset.path)), bm.params.map((p) => `objective.${p.name}`));
  assert.equal(await text(page, '#objective-title'), bm.title);
  assert.equal(await text(page, '#objective-citation'), bm.citation);
  assert.equal(await page.locator(field('x0')).inputValue(), '', 'x₀ of the old objective is dropped');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get('objective.mu')), null);
  await chooseObjective(page, 'unstable_convergence');
  await assertPanels(page, ['plane', 'loss', 'sharpness']);
  await chooseObjective(page, 'double_well');
  assert.equal(Number(await page.locator(field('objective.mu')).inputValue()), 1, 'back to the default μ');
  await assertPanels(page, ['landscape', 'cobweb', 'loss', 'sharpness']);
  assertNoErrors();
});

test('the hash round-trips: reload restores objective, parameters, η, steps and x₀; hashchange too', async (t) => {
  const { page, problems, assertNoErrors } = await openZoo(t);
  await chooseObjective(page, 'base_model');
  await choose(page, 'objective.g', 'sin');
  await choose(page, 'objective.h', 'power');
  await typeInto(page, 'objective.n', '2');
  await typeInto(page, 'objective.y', '0.25');
  await setGd(page, { eta: 0.3, steps: 150, x0: [0.7] });
  const hash = await page.evaluate(() => location.hash);
  const entries = new URLSearchParams(hash.slice(1));
  assert.deepEqual(
    Object.fromEntries(['objective.name', 'objective.g', 'objective.h', 'objective.n', 'objective.y', 'eta', 'steps', 'x0'].map((k) => [k, entries.get(k)])),
    { 'objective.name': 'base_model', 'objective.g': 'sin', 'objective.h': 'power', 'objective.n': '2', 'objective.y': '0.25', eta: '0.3', steps: '150', x0: '[0.7]' },
  );
  const shown = await readouts(page);

  await page.reload();
  await page.waitForFunction(() => document.getElementById('zoo')?.dataset.state === 'done');
  assert.deepEqual(problems, []);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.locator(field('objective.name')).inputValue(), 'base_model');
  assert.equal(await page.locator(field('objective.g')).inputValue(), 'sin');
  assert.equal(await page.locator(field('objective.h')).inputValue(), 'power');
  assert.equal(Number(await page.locator(field('objective.n')).inputValue()), 2);
  assert.equal(Number(await page.locator(field('objective.y')).inputValue()), 0.25);
  assert.equal(Number(await page.locator(field('eta')).inputValue()), 0.3);
  assert.equal(Number(await page.locator(field('steps')).inputValue()), 150);
  assert.equal(await page.locator(field('x0')).inputValue(), '0.7');
  assert.deepEqual(await readouts(page), shown, 'the same run, the same numbers');
  assert.equal(await page.locator('#zoo-last-index').textContent(), 'x₁₅₀');

  await afterUpdate(page, () => page.evaluate(() => { location.hash = '#objective.name=unstable_convergence&objective.which=f2&eta=0.05'; }), { 'objective.name': 'unstable_convergence', 'objective.which': 'f2' });
  assert.equal(await page.locator(field('objective.which')).inputValue(), 'f2');
  assert.equal(Number(await page.locator(field('eta')).inputValue()), 0.05);
  assert.equal(Number(await page.locator(field('steps')).inputValue()), 200, 'steps not in the hash: the default');
  assert.equal(await page.locator('#zoo .message').isVisible(), false);
  assertNoErrors();
});

test('a malformed hash shows a message and falls back to defaults for what is malformed', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=regularity&objective.b=abc&objective.nu=3&eta=x&steps=300&foo=1&x0=1,zz');
  const message = page.locator('#zoo .message');
  assert.ok(await message.isVisible(), 'the message is visible');
  const said = await message.textContent();
  for (const part of ['objective.b', 'nu', 'eta', 'foo', 'x0']) assert.ok(said.includes(part), `the message names ${part}: ${said}`);
  const regularity = (await schemas(page)).find((s) => s.name === 'regularity');
  assert.equal(await page.locator(field('objective.name')).inputValue(), 'regularity', 'the well-formed objective is kept');
  assert.equal(Number(await page.locator(field('objective.b')).inputValue()), regularity.params.find((p) => p.name === 'b').default);
  assert.equal(Number(await page.locator(field('eta')).inputValue()), 0.1, 'η falls back to its default');
  assert.equal(Number(await page.locator(field('steps')).inputValue()), 300, 'the well-formed part is kept');
  assert.equal(await page.locator(field('x0')).inputValue(), '', 'x₀ falls back to the default start');
  assert.equal(await page.locator('#zoo-last-index').textContent(), 'x₃₀₀');
  await screenshot(page, 'malformed-hash');

  // An unknown objective: the first one, and the message says so.
  await afterUpdate(page, () => page.evaluate(() => { location.hash = '#objective.name=triple_well&eta=0.2'; }), { eta: 0.2 });
  assert.match(await message.textContent(), /triple_well/);
  assert.equal(await page.locator(field('objective.name')).inputValue(), (await schemas(page))[0].name);
  // Using a control clears the message: the address is rewritten from the controls.
  await typeInto(page, 'eta', '0.3');
  assert.equal(await message.isVisible(), false);
  assertNoErrors();
});

/** The page's trajectory CSV as {step, loss, sharpness} rows (sharpness null where not tracked). */
async function trajectoryCsv(page) {
  const { header, rows } = await csvRows(page);
  assert.deepEqual(header.slice(0, 4), ['step', 'eta', 'loss', 'sharpness']);
  return rows.map(({ step, loss, sharpness }) => ({ step, loss, sharpness }));
}

test('the edge of stability in the browser: the Chebyshev MLP sharpens to 2/η, then hovers within ±15% while the loss falls', async (t) => {
  // Issue 4: progressive sharpening, then the sharpness stays in a band around 2/η (±15% after it
  // first reaches it) while the loss at the end is below the loss at the crossing.
  const eta = 0.05;
  const threshold = 2 / eta;
  const { page, assertNoErrors } = await openZoo(t, `#objective.name=mlp&eta=${eta}&steps=3000&sharpness_every=10&sharpness.k=1`);
  assert.equal(await number(page, '#zoo-threshold'), threshold);
  const rows = await trajectoryCsv(page);
  assert.equal(rows.length, 3001);
  const tracked = rows.filter((r) => r.sharpness !== null);
  assert.equal(tracked.length, 301, 'every 10 steps, and the last');
  assert.ok(tracked[0].sharpness < 0.5 * threshold, `starts at ${tracked[0].sharpness}`);
  const first = tracked.findIndex((r) => r.sharpness >= threshold);
  assert.ok(first > 0, 'the sharpness reaches 2/η');
  const crossing = tracked[first].step;
  assert.ok(crossing > 100, `only after training (step ${crossing})`);
  for (const r of tracked.slice(first)) {
    assert.ok(Math.abs(r.sharpness / threshold - 1) <= 0.15, `step ${r.step}: sharpness ${r.sharpness} vs 2/η = ${threshold}`);
  }
  const lossAt = (k) => rows[k].loss;
  assert.ok(lossAt(3000) < 0.5 * lossAt(crossing), `loss ${lossAt(crossing)} at the crossing, ${lossAt(3000)} at the end`);
  const rises = rows.slice(crossing).filter((r, i, a) => i > 0 && r.loss > a[i - 1].loss).length;
  assert.ok(rises > 10, `the loss falls non-monotonically (${rises} rises)`);
  assert.equal(await number(page, '#zoo-final-sharpness'), tracked[tracked.length - 1].sharpness);
  await screenshot(page, 'edge-of-stability');
  assertNoErrors();
});

test('decaying η to η/4 during the edge of stability lets the sharpness rise again (paper 003)', async (t) => {
  const eta = 0.05;
  const { page, assertNoErrors } = await openZoo(t, `#objective.name=mlp&eta=${eta}&steps=6000&sharpness_every=10&schedule.kind=step_decay&schedule.at=2000&schedule.factor=0.25`);
  const tracked = (await trajectoryCsv(page)).filter((r) => r.sharpness !== null);
  const during = tracked.filter((r) => r.step >= 1500 && r.step < 2000).map((r) => r.sharpness);
  const after = tracked.filter((r) => r.step >= 2000).map((r) => r.sharpness);
  const mean = during.reduce((a, b) => a + b, 0) / during.length;
  assert.ok(Math.abs(mean / (2 / eta) - 1) < 0.05, `at the edge of stability before the decay (mean ${mean})`);
  after.slice(1).forEach((s, i) => assert.ok(s > after[i], `rises at every tracked step after the decay (${after[i]} → ${s})`));
  assert.ok(after[after.length - 1] > Math.max(...during), 'ends above every value it had during the edge of stability');
  await screenshot(page, 'decay');
  assertNoErrors();
});

test('sharpness and schedule controls: the core\'s messages appear beside them', async (t) => {
  // A double well has one parameter, so k = 5 is refused; a decay step makes the factor count.
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=double_well&eta=0.5&schedule.kind=step_decay&schedule.at=10&schedule.factor=0.25');
  assert.equal(await page.locator(field('schedule.kind')).inputValue(), 'step_decay');
  for (const [path, value, fixed] of [['sharpness.k', '5', '1'], ['sharpness_every', '-1', '1'], ['schedule.factor', '0', '0.25']]) {
    await typeInto(page, path, value);
    assert.ok((await text(page, fieldError(path))).startsWith(`${path}: `), `${path}: ${await text(page, fieldError(path))}`);
    await typeInto(page, path, fixed);
    assert.equal(await text(page, fieldError(path)), '');
  }
  assertNoErrors();
});

test('two-layer ReLU network (paper 003): λ₊ and λ₋ are shown, saved and drawn, and equal the core\'s Rayleigh quotients at the last iterate', async (t) => {
  const { page, assertNoErrors } = await openZoo(t, '#objective.name=two_layer_orthogonal&eta=0.5&steps=200&sharpness_every=10');
  assert.ok(await page.locator('#zoo-directional-row').isVisible(), 'the λ± readout is shown for this objective');
  const [plus, minus] = await numbers(page, '#zoo-directional');
  const { header, rows } = await csvRows(page);
  assert.deepEqual(header.slice(0, 6), ['step', 'eta', 'loss', 'sharpness', 'directional_v_minus', 'directional_v_plus']);
  const tracked = rows.filter((r) => r.sharpness !== null);
  assert.equal(tracked.length, 21, 'every 10 steps of 200, and step 0');
  for (const r of tracked) {
    // A Rayleigh quotient never exceeds the largest eigenvalue.
    for (const lambda of [r.directional_v_minus, r.directional_v_plus]) assert.ok(lambda <= r.sharpness * (1 + 1e-12), `step ${r.step}: ${lambda} > sharpness ${r.sharpness}`);
  }
  const last = tracked.at(-1);
  assert.deepEqual([last.directional_v_plus, last.directional_v_minus], [plus, minus], 'the readout is the last tracked pair');
  // The same quantities from the core's curvature analysis at the last iterate, run by the test.
  const x = header.filter((h) => /^x\d+$/.test(h)).map((h) => last[h]);
  const curvature = await page.evaluate(async (x) => {
    const m = await import('../pkg/eoslab.js');
    return m.run({ kind: 'curvature', objective: { name: 'two_layer_orthogonal' }, x });
  }, x);
  assert.ok(Math.abs(curvature.directional.v_plus - plus) <= 1e-12 * Math.abs(plus), `λ₊ ${plus} vs ${curvature.directional.v_plus}`);
  assert.ok(Math.abs(curvature.directional.v_minus - minus) <= 1e-12 * Math.abs(minus), `λ₋ ${minus} vs ${curvature.directional.v_minus}`);
  assert.ok(Math.abs(curvature.eigenvalues[0] - last.sharpness) <= 1e-8 * last.sharpness, 'and the same sharpness');
  await screenshot(page, 'two-layer-directional');
  // Other objectives have no such directions: the readout hides.
  await chooseObjective(page, 'double_well');
  assert.equal(await page.locator('#zoo-directional-row').isVisible(), false);
  assertNoErrors();
});

test('paper 003 §4 from the example link: the top three eigenvalues of the digits MLP reach 2/η in turn, and stay near it', async (t) => {
  // The same run as tests/paper/edge_of_stability.rs, clicked from the page's examples and read
  // from its CSV: 64→32→10 tanh, ½-MSE, 100 digits, η = 0.4 (2/η = 5), top-3 every 50 steps.
  const { page, assertNoErrors } = await openZoo(t);
  await afterUpdate(page, () => page.locator('#examples a', { hasText: 'top three eigenvalues' }).click(), { 'objective.name': 'mlp', eta: 0.4, 'sharpness.k': 3 });
  const threshold = 2 / 0.4;
  assert.equal(await number(page, '#zoo-threshold'), threshold);
  const { header, rows } = await csvRows(page);
  assert.deepEqual(header.slice(0, 6), ['step', 'eta', 'loss', 'eigenvalue_1', 'eigenvalue_2', 'eigenvalue_3']);
  const tracked = rows.filter((r) => r.eigenvalue_1 !== null).map((r) => ({ step: r.step, loss: r.loss, ev: [r.eigenvalue_1, r.eigenvalue_2, r.eigenvalue_3] }));
  assert.equal(tracked.length, 81, 'steps 0, 50, …, 4000');
  const crossing = [0, 1, 2].map((i) => tracked.find((r) => r.ev[i] >= 0.9 * threshold)?.step);
  assert.ok(crossing.every((s) => s !== undefined), `each of λ₁, λ₂, λ₃ reaches 0.9·2/η: ${crossing}`);
  assert.ok(500 < crossing[0] && crossing[0] < crossing[1] && crossing[1] < crossing[2], `in turn: ${crossing}`);
  const lastQuarter = tracked.filter((r) => r.step >= 3000);
  for (const i of [0, 1, 2]) {
    const mean = lastQuarter.reduce((a, r) => a + r.ev[i], 0) / lastQuarter.length;
    assert.ok(Math.abs(mean / threshold - 1) <= 0.05, `λ${i + 1} averages ${mean} over the last quarter, 2/η = ${threshold}`);
  }
  const lossAt = (step) => rows[step].loss;
  assert.ok(lossAt(4000) < 0.25 * lossAt(crossing[0]), `loss ${lossAt(crossing[0])} at λ₁'s crossing, ${lossAt(4000)} at the end`);
  await screenshot(page, 'top-three-eigenvalues');
  assertNoErrors();
});
