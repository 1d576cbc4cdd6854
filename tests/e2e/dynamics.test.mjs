// Browser end-to-end tests of the dynamics page (www/dynamics.html): GD against gradient flow on
// the double well (Cohen et al. 2021; paper 002 §4.2's 2-cycle) and paper 001's self-stabilization
// on its toy model, run in the page's Web Worker, with the readouts checked against closed forms
// and against the same specs run here by the one-file module in node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openPage, useBrowser, DPR } from './browser.mjs';

const PAGE = '/www/dynamics.html';
const shared = useBrowser();

const text = (page, id) => page.locator(`#${id}`).textContent();
const readout = async (page, id) => Number(await text(page, id));
const full = (x) => x.toPrecision(17);
const max = (values) => values.reduce((a, b) => Math.max(a, b), -Infinity);

/** Opens the page (with `hash`) and waits for its first run to complete. */
async function openRun(t, hash = '') {
  const opened = await openPage(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`);
  await opened.page.waitForFunction(() => document.body.dataset.run === 'done');
  return opened;
}

/**
 * Does `action`, then waits until a run started after it has ended (the page's `runs` counter
 * moved on); returns how it ended ("done" or "refused").
 */
async function afterRun(page, action) {
  const before = await page.evaluate(() => Number(document.body.dataset.runs ?? 0));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.runs ?? 0) > n, before);
  return page.evaluate(() => document.body.dataset.run);
}

const setHash = (page, hash) => afterRun(page, () => page.evaluate((h) => { location.hash = h; }, hash));

/** Per canvas: its pixel size, its CSS size, and how many pixels are not (nearly) white. */
function canvasInk(page) {
  return page.evaluate(() => {
    const out = {};
    for (const c of document.querySelectorAll('canvas')) {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked += 1;
      }
      out[c.id] = { hidden: c.closest('figure').hidden, width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight, inked };
    }
    return out;
  });
}

/** The double well's 2-cycle at η (paper 002 §4.2): (√(1 + 3/η) ± √(1 − 1/η))/2 for μ = 1. */
function twoCycle(eta) {
  const [p, q] = [Math.sqrt(1 + 3 / eta), Math.sqrt(1 - 1 / eta)];
  return [(p + q) / 2, (p - q) / 2];
}

test('the page draws its panels at devicePixelRatio 2 and is linked from the other pages', async (t) => {
  const { page, assertNoErrors } = await openRun(t);
  const canvases = await canvasInk(page);
  // GD against gradient flow: loss, sharpness and distance; the (x, y) plane is self-stabilization's.
  for (const id of ['loss', 'sharpness', 'distance']) {
    const c = canvases[id];
    assert.equal(c.hidden, false, id);
    assert.equal(c.width, Math.round(c.cssWidth * DPR), `${id}: ${JSON.stringify(c)}`);
    assert.ok(c.inked > 2000, `${id} has drawn pixels: ${JSON.stringify(c)}`);
  }
  assert.equal(canvases.plane.hidden, true);
  assert.equal(await page.locator('nav a[aria-current="page"]').getAttribute('href'), 'dynamics.html');
  // The defaults: the double well's 2-cycle at η = 1.1 against the flow.
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'mode=flow&objective=double_well&objective.mu=1&eta=1.1&steps=200&x0=0.3');

  const zoo = await openPage(t, shared.browser, `${shared.site.baseUrl}/www/zoo.html`);
  await zoo.page.locator('nav a[href="dynamics.html"]').click();
  await zoo.page.waitForFunction(() => document.body.dataset.run === 'done');
  assert.match(zoo.page.url(), /\/www\/dynamics\.html/);
  assertNoErrors();
  zoo.assertNoErrors();
});

test('GD follows gradient flow to first order: halving η halves the largest GD–flow distance', async (t) => {
  const { page, assertNoErrors } = await openRun(t);
  // The double well from x₀ = 0.3 up to the same time η·t = 4, where the sharpness stays below
  // 2/η (about 2 against 2/η ≥ 50).
  const distances = [];
  for (const eta of [0.04, 0.02, 0.01]) {
    const steps = Math.round(4 / eta);
    const outcome = await setHash(page, `#mode=flow&objective=double_well&objective.mu=1&eta=${eta}&steps=${steps}&x0=0.3`);
    assert.equal(outcome, 'done');
    assert.equal(await readout(page, 'final-time'), steps * eta);
    assert.equal(await text(page, 'onset'), 'never');
    const shown = await readout(page, 'max-distance');
    // The page shows the core's number, to the last digit.
    const r = shared.eoslab.run({ kind: 'flow', eta, steps, x0: [0.3] });
    assert.equal(await text(page, 'max-distance'), full(max(r.distance)));
    distances.push(shown);
  }
  for (let i = 1; i < distances.length; i++) {
    const ratio = distances[i - 1] / distances[i];
    assert.ok(ratio > 1.8 && ratio < 2.2, `halving η should halve the distance: ${distances}`);
  }
  assertNoErrors();
});

test('at η = 1.1 GD ends on its 2-cycle while the flow reaches 1: the final distance is the offset', async (t) => {
  const { page, assertNoErrors } = await openRun(t); // the defaults: η = 1.1, 200 steps from 0.3
  const [a, b] = twoCycle(1.1);
  const gd = await readout(page, 'final-gd');
  const flow = await readout(page, 'final-flow');
  const distance = await readout(page, 'final-distance');
  // After 200 steps (an even number) GD sits on one point of the cycle, the flow at the minimum.
  assert.ok(Math.min(Math.abs(gd - a), Math.abs(gd - b)) < 1e-12, `${gd} is not on the 2-cycle {${a}, ${b}}`);
  assert.ok(Math.abs(flow - 1) < 1e-9, `the flow ends at ${flow}`);
  const offset = Math.abs(gd - a) < 1e-12 ? a - 1 : 1 - b;
  assert.ok(Math.abs(distance - offset) < 1e-9, `final distance ${distance} vs the cycle's offset ${offset}`);
  // The saved data end with the same numbers: step 200 at η·t = 220.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#save-csv').click()]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n').map((row) => row.split(','));
  assert.deepEqual(rows[0], ['step', 'time', 'gd_loss', 'flow_loss', 'distance', 'gd_sharpness', 'flow_sharpness']);
  assert.equal(rows.length, 1 + 201);
  assert.equal(Number(rows[201][0]), 200);
  assert.equal(Number(rows[201][4]), distance);
  assert.ok(Math.abs(Number(rows[201][2]) - (gd * gd - 1) ** 2 / 4) < 1e-15, 'the loss of the last iterate, (x² − 1)²/4');
  // GD's sharpness crosses 2/η = 1/0.55 within a few steps, which is where it leaves the flow.
  assert.equal(await readout(page, 'threshold'), 2 / 1.1);
  assert.ok(Number(await text(page, 'onset')) <= 5);
  // The other step of the cycle: 201 steps end on the other point, at the other offset.
  assert.equal(await setHash(page, '#mode=flow&objective=double_well&objective.mu=1&eta=1.1&steps=201&x0=0.3'), 'done');
  const other = Math.abs(gd - a) < 1e-12 ? 1 - b : a - 1;
  assert.ok(Math.abs((await readout(page, 'final-distance')) - other) < 1e-9);
  assertNoErrors();
});

test('self-stabilization on the toy model: S(θ†) ≤ 2/η at every step, and the prediction is GD', async (t) => {
  const { page, assertNoErrors } = await openRun(t);
  assert.equal(await afterRun(page, () => page.locator('[data-preset="toy"]').click()), 'done');
  const canvases = await canvasInk(page);
  for (const id of ['loss', 'sharpness', 'distance', 'plane']) {
    assert.equal(canvases[id].hidden, false, id);
    assert.ok(canvases[id].inked > 2000, `${id} has drawn pixels: ${JSON.stringify(canvases[id])}`);
  }
  const threshold = await readout(page, 'threshold');
  assert.equal(threshold, 20);
  // The largest S(θ†) over every tracked step is at 2/η, to the projection's tolerance 1e-9.
  const largest = await readout(page, 'max-dagger-sharpness');
  assert.ok(largest <= threshold * (1 + 1e-9) && largest > threshold * (1 - 1e-9), `max S(θ†) = ${largest}`);
  // The same spec in node: the page shows the core's numbers.
  const spec = {
    kind: 'self_stabilization', eta: 0.1, steps: 400, x0: [0.3, -0.1 / Math.sqrt(0.5), 0],
    objective: { name: 'self_stabilization_toy', alpha: 1, beta: 1, eta: 0.1 },
  };
  const r = shared.eoslab.run(spec);
  assert.ok(r.constrained_sharpness.every((s) => s <= 20 * (1 + 1e-9)));
  assert.equal(await text(page, 'max-dagger-sharpness'), full(max(r.constrained_sharpness)));
  assert.equal(Number(await text(page, 'onset')), r.start);
  assert.ok(r.start <= 3);
  // On the toy model the predicted dynamics are GD's own (L cubic, u constant): only rounding,
  // amplified by the unstable x-dynamics, separates them, while θ† and the flow are far.
  const error = await readout(page, 'max-prediction-error');
  assert.ok(error < 1e-6, `prediction error ${error}`);
  assert.ok((await readout(page, 'final-to-dagger')) > 1 && (await readout(page, 'final-to-flow')) > 1);
  assert.match(page.url(), /#mode=self_stabilization&objective=self_stabilization_toy&objective\.alpha=1&objective\.beta=1&objective\.eta=0\.1&eta=0\.1&steps=400&x0=0\.3,-0\.1414213562373095,0$/);
  assertNoErrors();
});

test('the address round-trips: controls, heavy-ball momentum and mode come back from it', async (t) => {
  const hash = '#mode=self_stabilization&objective=self_stabilization_reduced&objective.alpha=1&objective.beta=1&objective.eta=0.05&eta=0.05&steps=600&momentum=0.2&x0=0.1,-0.3';
  const { page, assertNoErrors } = await openRun(t, hash);
  assert.equal(new URL(page.url()).hash, hash);
  assert.equal(await page.evaluate(() => document.body.dataset.state), hash.slice(1));
  assert.equal(await page.locator('#mode').inputValue(), 'self_stabilization');
  assert.equal(await page.locator('#objective').inputValue(), 'self_stabilization_reduced');
  assert.equal(await page.locator('#momentum').inputValue(), '0.2');
  assert.equal(await page.locator('#x0').inputValue(), '0.1, -0.3');
  // With β = 0.2 the heavy ball's threshold is (2 + 2β)/η = 48, read off its own run.
  const hb = shared.eoslab.run({ kind: 'trajectory', eta: 0.05, steps: 600, x0: [0.1, -0.3], momentum: 0.2,
    objective: { name: 'self_stabilization_reduced', alpha: 1, beta: 1, eta: 0.05 } });
  assert.equal(await text(page, 'hb-threshold'), full(hb.stability_threshold));
  assert.ok(Math.abs(hb.stability_threshold - 48) < 1e-12);

  // A change of a control rewrites the address; reloading it gives the same view.
  assert.equal(await afterRun(page, () => page.locator('#steps').fill('500')), 'done');
  const changed = new URL(page.url()).hash;
  assert.equal(changed, hash.replace('steps=600', 'steps=500'));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.run === 'done');
  assert.equal(await page.evaluate(() => document.body.dataset.state), changed.slice(1));
  assert.equal(await page.locator('#steps').inputValue(), '500');

  // What cannot be read is reported and left at its default.
  await setHash(page, '#mode=sideways&objective=double_well&eta=abc&colour=red');
  const problems = await text(page, 'hash-message');
  assert.match(problems, /mode=“sideways” is not one of flow, self_stabilization/);
  assert.match(problems, /eta=“abc” is not a number/);
  assert.match(problems, /unknown key “colour”/);
  assert.equal(await page.locator('#mode').inputValue(), 'flow');
  assertNoErrors();
});

test('a long run keeps the page responsive and can be cancelled; a new run follows', async (t) => {
  const { page, assertNoErrors } = await openRun(t);
  // The MLP for 5000 steps: thousands of projections and Lanczos runs, many seconds of work.
  await page.evaluate(() => {
    location.hash = '#mode=self_stabilization&objective=mlp&eta=0.1&steps=5000';
  });
  await page.waitForFunction(() => document.body.dataset.run === 'running');
  assert.equal(await page.locator('#cancel').isDisabled(), false);
  assert.equal(await page.locator('#plots').getAttribute('aria-busy'), 'true');
  // The main thread is free while the worker computes: the busy clock ticks on, typing works.
  const first = await text(page, 'run-status');
  await page.waitForFunction((s) => document.getElementById('run-status').textContent !== s, first);
  assert.match(await text(page, 'run-status'), /^computing… \d+\.\d s$/);
  await page.locator('#cancel').click();
  assert.equal(await page.evaluate(() => document.body.dataset.run), 'cancelled');
  assert.equal(await text(page, 'run-status'), 'cancelled');
  assert.equal(await page.locator('#cancel').isDisabled(), true);
  // A new run in the fresh worker.
  assert.equal(await afterRun(page, () => page.locator('[data-preset="double_well"]').click()), 'done');
  assert.ok(Number.isFinite(await readout(page, 'final-distance')));
  assertNoErrors();
});

test('the core’s refusals are shown beside the control they name', async (t) => {
  const { page, assertNoErrors } = await openRun(t);
  const cases = [
    ['#mode=flow&objective=double_well&eta=-1&steps=200&x0=0.3', 'eta', /eta: must be > 0/],
    ['#mode=flow&objective=double_well&eta=1.1&steps=200&momentum=1.5&x0=0.3', 'momentum', /momentum/],
    ['#mode=self_stabilization&objective=double_well&eta=0.5&steps=20001', 'steps', /steps/],
    // The sharpness of the double well from 0.5 at η = 0.1 never reaches 2/η = 20.
    ['#mode=self_stabilization&objective=double_well&eta=0.1&steps=50&x0=0.5', 'steps', /never reached 2\/η/],
    ['#mode=flow&objective=double_well&eta=1.1&steps=200&x0=0.3,1', 'x0', /x0/],
    ['#mode=flow&objective=double_well&objective.mu=-2&eta=1.1&steps=200&x0=0.3', 'param-mu', /objective\.mu/],
  ];
  for (const [hash, control, message] of cases) {
    assert.equal(await setHash(page, hash), 'refused', hash);
    const shown = await text(page, `${control}-error`);
    assert.match(shown, message, `${hash}: ${shown}`);
    assert.equal(await page.locator(`#${control}`).getAttribute('aria-invalid'), '', hash);
    assert.equal(await page.locator('#message').isHidden(), true, `${hash}: the message is beside the control`);
    assert.equal(await page.locator('.plot.stale').count() > 0, true, 'the last view is dimmed');
  }
  // A good spec clears the messages.
  assert.equal(await setHash(page, '#mode=flow&objective=double_well&eta=1.1&steps=200&x0=0.3'), 'done');
  assert.equal(await text(page, 'eta-error'), '');
  assert.equal(await page.locator('.plot.stale').count(), 0);
  assertNoErrors();
});
