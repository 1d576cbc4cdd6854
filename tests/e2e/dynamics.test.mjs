// Browser end-to-end tests of the dynamics page (www/dynamics.html): a flow or self_stabilization
// <eoslab-figure> (GD against gradient flow on the double well, Cohen et al. 2021 and paper 002
// §4.2's 2-cycle; paper 001's self-stabilization on its toy model) and a heavy-ball figure laid
// over it, with the readouts checked against closed forms and against the same specs run here by
// the one-file module in node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterResult, control, openFigures, overlappingText, panelReport, type, useBrowser, DPR } from './browser.mjs';

const PAGE = '/www/dynamics.html';
const shared = useBrowser();

const open = (t, hash = '', options = {}) => openFigures(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`, options);
const text = (page, id) => page.locator(`#${id}`).textContent();
/** The exact numbers behind a readout (its title). */
const exact = async (page, id) => (await page.locator(`#${id}`).getAttribute('title')).split(', ').map(Number);
const max = (values) => values.reduce((a, b) => Math.max(a, b), -Infinity);
/** Sets the address (as a preset link does) and waits for the figure `id` to settle. */
const setHash = (page, hash, id = 'dynamics') => afterResult(page, id, () => page.evaluate((h) => { location.hash = h; }, hash));

/** The double well's 2-cycle at η (paper 002 §4.2): (√(1 + 3/η) ± √(1 − 1/η))/2 for μ = 1. */
function twoCycle(eta) {
  const [p, q] = [Math.sqrt(1 + 3 / eta), Math.sqrt(1 - 1 / eta)];
  return [(p + q) / 2, (p - q) / 2];
}

test('the page draws its panels at devicePixelRatio 2 and is linked from the other pages', async (t) => {
  const { page, assertNoErrors } = await open(t);
  const panels = await panelReport(page, 'dynamics');
  // GD against gradient flow: loss, sharpness and distance; the (x, y) plane is self-stabilization's.
  assert.deepEqual(Object.keys(panels), ['loss', 'sharpness', 'distance']);
  for (const [name, c] of Object.entries(panels)) {
    assert.equal(c.width, c.cssWidth * DPR, `${name}: ${JSON.stringify(c)}`);
    assert.ok(c.inked > 2000, `${name} has drawn pixels: ${JSON.stringify(c)}`);
  }
  assert.equal(await page.locator('nav a[aria-current="page"]').getAttribute('href'), 'dynamics.html');
  assert.equal(await text(page, 'readouts-title'), 'GD against gradient flow');
  const zoo = await openFigures(t, shared.browser, `${shared.site.baseUrl}/www/zoo.html`);
  await zoo.page.locator('nav a[href="dynamics.html"]').click();
  await zoo.page.waitForFunction(() => document.getElementById('dynamics')?.dataset.state === 'done');
  assert.match(zoo.page.url(), /\/www\/dynamics\.html/);
  assertNoErrors();
  zoo.assertNoErrors();
});

test('GD follows gradient flow to first order: halving η halves the largest GD–flow distance', async (t) => {
  const { page, assertNoErrors } = await open(t);
  // The double well from x₀ = 0.3 up to the same time η·t = 4, where the sharpness stays below
  // 2/η (about 2 against 2/η ≥ 50).
  const distances = [];
  for (const eta of [0.04, 0.02, 0.01]) {
    const steps = Math.round(4 / eta);
    assert.equal(await setHash(page, `#kind=flow&objective.name=double_well&objective.mu=1&eta=${eta}&steps=${steps}&x0=[0.3]`), 'done');
    const r = shared.eoslab.run({ kind: 'flow', eta, steps, x0: [0.3] });
    assert.deepEqual(await exact(page, 'final-time'), [r.time.at(-1)]);
    assert.ok(Math.abs(r.time.at(-1) - 4) < 1e-12);
    assert.equal(await text(page, 'onset'), 'never');
    // The page shows the core's number, to the last digit.
    const [shown] = await exact(page, 'max-distance');
    assert.equal(shown, max(r.distance));
    distances.push(shown);
  }
  for (let i = 1; i < distances.length; i++) {
    const ratio = distances[i - 1] / distances[i];
    assert.ok(ratio > 1.8 && ratio < 2.2, `halving η should halve the distance: ${distances}`);
  }
  assertNoErrors();
});

test('at η = 1.1 GD ends on its 2-cycle while the flow reaches 1: the final distance is the offset', async (t) => {
  const { page, assertNoErrors } = await open(t); // the defaults: η = 1.1, 200 steps from 0.3
  const [a, b] = twoCycle(1.1);
  const [gd] = await exact(page, 'final-gd');
  const [flow] = await exact(page, 'final-flow');
  const [distance] = await exact(page, 'final-distance');
  // After 200 steps (an even number) GD sits on one point of the cycle, the flow at the minimum.
  assert.ok(Math.min(Math.abs(gd - a), Math.abs(gd - b)) < 1e-12, `${gd} is not on the 2-cycle {${a}, ${b}}`);
  assert.ok(Math.abs(flow - 1) < 1e-9, `the flow ends at ${flow}`);
  const offset = Math.abs(gd - a) < 1e-12 ? a - 1 : 1 - b;
  assert.ok(Math.abs(distance - offset) < 1e-9, `final distance ${distance} vs the cycle's offset ${offset}`);
  // The figure's CSV ends with the same numbers: step 200 at η·t = 220.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#dynamics button[data-act="csv"]').click()]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n').map((row) => row.split(','));
  const column = (name) => rows[0].indexOf(name);
  assert.deepEqual(rows[0], ['index', 'time', 'iterate_steps', 'distance', 'gd_loss', 'flow_loss', 'sharpness_steps', 'gd_sharpness', 'flow_sharpness']);
  assert.equal(rows.length, 1 + 201);
  assert.equal(Number(rows[201][column('iterate_steps')]), 200);
  assert.ok(Math.abs(Number(rows[201][column('time')]) - 220) < 1e-12);
  assert.equal(Number(rows[201][column('distance')]), distance);
  assert.ok(Math.abs(Number(rows[201][column('gd_loss')]) - (gd * gd - 1) ** 2 / 4) < 1e-15, 'the loss of the last iterate, (x² − 1)²/4');
  // GD's sharpness crosses 2/η = 1/0.55 within a few steps, which is where it leaves the flow.
  assert.deepEqual(await exact(page, 'threshold'), [2 / 1.1]);
  assert.ok(Number(await text(page, 'onset')) <= 5);
  // The other step of the cycle: 201 steps end on the other point, at the other offset.
  await type(page, 'dynamics', 'steps', '201');
  const other = Math.abs(gd - a) < 1e-12 ? 1 - b : a - 1;
  assert.ok(Math.abs((await exact(page, 'final-distance'))[0] - other) < 1e-9);
  assert.match(page.url(), /[#&]steps=201(&|$)/);
  assertNoErrors();
});

test('self-stabilization on the toy model (a preset): S(θ†) ≤ 2/η at every step, and the prediction is GD', async (t) => {
  const { page, assertNoErrors } = await open(t);
  assert.equal(await afterResult(page, 'dynamics', () => page.locator('#presets a', { hasText: 'toy model' }).click()), 'done');
  const panels = await panelReport(page, 'dynamics');
  assert.deepEqual(Object.keys(panels), ['loss', 'sharpness', 'distance', 'plane']);
  for (const [name, c] of Object.entries(panels)) assert.ok(c.inked > 2000, `${name} has drawn pixels: ${JSON.stringify(c)}`);
  assert.equal(await text(page, 'readouts-title'), 'Self-stabilization: GD, flow, θ† and prediction');
  assert.deepEqual(await exact(page, 'threshold'), [20]);
  // The largest S(θ†) over every tracked step is at 2/η, to the projection's tolerance 1e-9.
  const [largest] = await exact(page, 'max-dagger-sharpness');
  assert.ok(largest <= 20 * (1 + 1e-9) && largest > 20 * (1 - 1e-9), `max S(θ†) = ${largest}`);
  // The same spec in node: the page shows the core's numbers.
  const spec = {
    kind: 'self_stabilization', eta: 0.1, steps: 400, x0: [0.3, -0.1414213562373095, 0],
    objective: { name: 'self_stabilization_toy', alpha: 1, beta: 1, eta: 0.1 },
  };
  const r = shared.eoslab.run(spec);
  assert.ok(r.constrained_sharpness.every((s) => s <= 20 * (1 + 1e-9)));
  assert.equal(largest, max(r.constrained_sharpness));
  assert.equal(Number(await text(page, 'onset')), r.start);
  assert.ok(r.start <= 3);
  // On the toy model the predicted dynamics are GD's own (L cubic, u constant): only rounding,
  // amplified by the unstable x-dynamics, separates them, while θ† and the flow are far.
  const [error] = await exact(page, 'max-prediction-error');
  assert.ok(error < 1e-6, `prediction error ${error}`);
  assert.ok((await exact(page, 'final-to-dagger'))[0] > 1 && (await exact(page, 'final-to-flow'))[0] > 1);
  // The heavy ball follows the figure's objective, η, steps and start.
  await page.waitForFunction(() => document.getElementById('heavy-ball').result?.objective?.name === 'self_stabilization_toy');
  assert.deepEqual(await page.evaluate(() => document.getElementById('heavy-ball').result.iterates[0]), spec.x0);
  assertNoErrors();
});

test('a heavy-ball momentum β > 0 is laid over the loss and sharpness, with its threshold (2 + 2β)/η; the address keeps it', async (t) => {
  const hash = '#kind=self_stabilization&objective.name=self_stabilization_reduced&objective.alpha=1&objective.beta=1&objective.eta=0.05&eta=0.05&steps=600&x0=[0.1,-0.3]';
  const { page, assertNoErrors } = await open(t, hash);
  assert.equal(await page.locator('#hb-threshold').count(), 0, 'no heavy-ball readouts at β = 0');
  await type(page, 'heavy-ball', 'momentum', '0.2');
  // With β = 0.2 the heavy ball's threshold is (2 + 2β)/η = 48, read off its own run.
  const hb = shared.eoslab.run({ kind: 'trajectory', eta: 0.05, steps: 600, x0: [0.1, -0.3], momentum: 0.2,
    objective: { name: 'self_stabilization_reduced', alpha: 1, beta: 1, eta: 0.05 } });
  await page.waitForFunction(() => document.getElementById('hb-threshold') !== null);
  assert.deepEqual(await exact(page, 'hb-threshold'), [hb.stability_threshold]);
  assert.ok(Math.abs(hb.stability_threshold - 48) < 1e-12);
  assert.deepEqual(await exact(page, 'hb-final-loss'), [hb.loss.at(-1)]);
  const svg = await page.evaluate(() => document.getElementById('dynamics').toSVG('sharpness'));
  assert.ok(svg.includes('heavy ball β = 0.2') && svg.includes('(2 + 2β)/η = 48'), 'the heavy ball is laid over the sharpness panel');
  assert.match(decodeURIComponent(page.url()), /hb:momentum=0\.2/);

  // Reloading the address gives the same view, the heavy ball included.
  await page.reload();
  await page.waitForFunction(() => document.getElementById('hb-threshold') !== null);
  assert.deepEqual(await exact(page, 'hb-threshold'), [hb.stability_threshold]);
  assert.equal(await control(page, 'dynamics', 'steps').inputValue(), '600');
  assert.equal(await control(page, 'heavy-ball', 'momentum').inputValue(), '0.2');
  assertNoErrors();
});

test('a long run can be cancelled; a preset runs next', async (t) => {
  const { page, assertNoErrors } = await open(t);
  // The MLP for 5000 steps: thousands of projections and Lanczos runs, many seconds of work.
  await page.evaluate(() => {
    location.hash = '#kind=self_stabilization&objective.name=mlp&eta=0.1&steps=5000';
  });
  await page.waitForFunction(() => document.getElementById('dynamics').dataset.state === 'running');
  await page.locator('#dynamics button[data-act="cancel"]').click();
  await page.waitForFunction(() => document.getElementById('dynamics').dataset.state === 'cancelled');
  assert.equal(await page.evaluate(() => document.getElementById('dynamics').shadowRoot.querySelector('.status').textContent), 'cancelled');
  assert.equal(await afterResult(page, 'dynamics', () => page.locator('#presets a', { hasText: 'double well' }).click()), 'done');
  assert.ok(Number.isFinite((await exact(page, 'final-distance'))[0]));
  assertNoErrors();
});

test('the core’s refusals are shown beside the control they name', async (t) => {
  const { page, assertNoErrors } = await open(t);
  // Typed into a control.
  assert.equal(await type(page, 'dynamics', 'eta', '-1'), 'refused');
  const error = (path) => page.locator(`#dynamics .control[data-path="${path}"] output`).textContent();
  assert.match(await error('eta'), /eta: must be > 0/);
  assert.equal(await page.evaluate(() => document.getElementById('dynamics').shadowRoot.querySelector('.panels').classList.contains('stale')), true, 'the last view is dimmed');
  assert.equal(await page.locator('#readouts output').count(), 0, 'no readouts of a refused spec');
  // Whole specs, as a preset or a script sets them.
  const flow = { kind: 'flow', objective: { name: 'double_well', mu: 1 }, eta: 1.1, steps: 200, x0: [0.3] };
  const cases = [
    [{ ...flow, kind: 'self_stabilization', eta: 0.5, steps: 20001 }, 'steps', /steps/],
    // The sharpness of the double well from 0.5 at η = 0.1 never reaches 2/η = 20.
    [{ ...flow, kind: 'self_stabilization', eta: 0.1, steps: 50, x0: [0.5] }, 'steps', /never reached 2\/η/],
    [{ ...flow, x0: [0.3, 1] }, 'x0', /x0/],
    [{ ...flow, objective: { name: 'double_well', mu: -2 } }, 'objective.mu', /objective\.mu/],
  ];
  for (const [spec, path, message] of cases) {
    const state = await afterResult(page, 'dynamics', () => page.evaluate((s) => { document.getElementById('dynamics').spec = s; }, spec));
    assert.equal(state, 'refused', JSON.stringify(spec));
    assert.match(await error(path), message, JSON.stringify(spec));
    assert.equal(await page.locator('#dynamics .message').isHidden(), true, `${JSON.stringify(spec)}: the message is beside the control`);
  }
  // A good spec clears the messages.
  assert.equal(await afterResult(page, 'dynamics', () => page.evaluate((s) => { document.getElementById('dynamics').spec = s; }, flow)), 'done');
  assert.equal(await error('objective.mu'), '');
  assert.equal(await page.evaluate(() => document.getElementById('dynamics').shadowRoot.querySelector('.panels').classList.contains('stale')), false);
  assertNoErrors();
});

test('on a phone (390 × 844, DPR 3) a drawn plot is in the first screen and no text overlaps', async (t) => {
  const { page, assertNoErrors } = await open(t, '', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const { loss } = await panelReport(page, 'dynamics');
  assert.ok(loss.bottom <= 844, `the loss plot ends within the first screen: ${JSON.stringify(loss)}`);
  assert.equal(loss.width, loss.cssWidth * 3);
  assert.ok(loss.inked > 2000, JSON.stringify(loss));
  assert.deepEqual(await overlappingText(page), [], 'no text is drawn over other text');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'dynamics-phone.png') });
  await page.screenshot({ path: join(shared.site.screenshotDir, 'dynamics-phone-full.png'), fullPage: true });
  assertNoErrors();
});
