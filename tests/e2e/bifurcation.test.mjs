// Browser end-to-end tests of the bifurcation explorer (www/bifurcation.html): scans computed in
// Web Workers and drawn as they arrive, checked against the period-doubling facts of the double
// well (paper 002 §4.2) and against the same columns computed here by the one-file module in node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterScan, openScanned, useBrowser } from './browser.mjs';

const PAGE = '/www/bifurcation.html';

const shared = useBrowser();

/** Opens the page with `hash` and waits for its first scan to complete. */
function open(t, hash = '') {
  return openScanned(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`);
}

const text = (page, id) => page.locator(`#${id}`).textContent();
const full = (x) => x.toPrecision(17);
const short = (x) => String(Number(x.toPrecision(6)));

/** The grid value of an n-point grid from lo to hi nearest v (the core's grid: lo + h·i). */
function nearest(lo, hi, n, v) {
  const h = (hi - lo) / (n - 1);
  return lo + h * Math.round((v - lo) / h);
}

/** The column at exactly η (a one-value scan in node, the same spec otherwise). */
function columnAt(eta, fields) {
  return shared.eoslab.run({ kind: 'bifurcation', eta_min: eta, eta_max: eta, n_eta: 1, ...fields }).runs[0];
}

test('the double well doubles its period at η = 1: period 2 at η = 1.1, chaos with λ > 0 at 1.5', async (t) => {
  const { page, assertNoErrors } = await open(t);
  // The defaults: η from 0.5 to 2.05 on 800 values, read at 1.1.
  const v = nearest(0.5, 2.05, 800, 1.1);
  assert.equal(await text(page, 'at-value'), `η = ${full(v)}`);
  // 1 < η < √5 − 1: both starts settle on the 2-cycle, with a negative Lyapunov exponent.
  assert.equal(await text(page, 'at-period'), '2');
  const runs = columnAt(v, { transient: 1000, record: 256 });
  assert.deepEqual(runs.map((r) => r.period), [2, 2]);
  assert.equal(await text(page, 'at-lyapunov'), runs.map((r) => short(r.lyapunov)).join(', '));
  assert.ok(runs.every((r) => r.lyapunov < 0));

  // Typing another value re-reads a column of the same scan.
  const scans = await page.evaluate(() => document.body.dataset.scans);
  await page.locator('#at').fill('1.5');
  const w = nearest(0.5, 2.05, 800, 1.5);
  await page.waitForFunction((s) => document.getElementById('at-value').textContent.endsWith(s), full(w));
  const chaos = columnAt(w, { transient: 1000, record: 256 });
  assert.ok(chaos.every((r) => r.period === null && r.lyapunov > 0), JSON.stringify(chaos.map((r) => r.lyapunov)));
  assert.equal(await text(page, 'at-lyapunov'), chaos.map((r) => short(r.lyapunov)).join(', '));
  assert.match(await text(page, 'at-period'), /^none/);
  assert.equal(await page.evaluate(() => document.body.dataset.scans), scans, 'reading a column does not re-scan');
  assert.match(page.url(), /at=1\.5(&|$)/);
  assertNoErrors();
});

test('a parameter scan draws against its parameter and keeps its state in the address', async (t) => {
  // μ from 1 to 3 at η = 0.5: ημ = 1.25 at μ = 2.5, past √5 − 1 ≈ 1.236, is period 4.
  const hash = '#objective=double_well&scan=mu&min=1&max=3&n=5&eta=0.5&transient=1000&record=256&observable=x0&at=2.5';
  const { page, assertNoErrors } = await open(t, hash);
  for (const [id, value] of [['scan', 'mu'], ['min', '1'], ['max', '3'], ['n', '5'], ['eta', '0.5'], ['at', '2.5']]) {
    assert.equal(await page.locator(`#${id}`).inputValue(), value, id);
  }
  assert.ok(await page.locator('#eta-control').isVisible(), 'the fixed η is shown for a parameter scan');
  assert.equal(await text(page, 'at-value'), `mu = ${full(2.5)}`);
  assert.equal(await text(page, 'at-eta'), full(0.5));
  assert.equal(await text(page, 'at-period'), '4');
  const rect = JSON.parse(await page.locator('#bifurcation').getAttribute('data-rect'));
  assert.deepEqual([rect.x_min, rect.x_max], [1, 3], 'the diagram spans μ, not the fixed η');

  // Changing a control rewrites the address and scans again.
  const state = await afterScan(page, () => page.locator('#n').fill('9'));
  const shown = new URLSearchParams(state);
  assert.equal(shown.get('n'), '9');
  assert.equal(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('n'), '9');
  // μ = 2.5 is still on the grid of 9 values from 1 to 3.
  assert.equal(await text(page, 'at-period'), '4');
  assertNoErrors();
});

test('dragging across the diagram zooms into the window and scans it again', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n=400');
  const canvas = page.locator('#bifurcation');
  const box = await canvas.boundingBox();
  const rect = JSON.parse(await canvas.getAttribute('data-rect'));
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  const cssX = (eta) => box.x + (rect.left + ((eta - rect.x_min) / (rect.x_max - rect.x_min)) * (rect.right - rect.left)) / dpr;
  const y = box.y + box.height / 2;
  const state = await afterScan(page, async () => {
    await page.mouse.move(cssX(1.2), y);
    await page.mouse.down();
    await page.mouse.move(cssX(1.3), y, { steps: 4 });
    await page.mouse.move(cssX(1.4), y, { steps: 4 });
    await page.mouse.up();
  });
  // One CSS pixel of the drag is worth (x_max − x_min)·dpr / (right − left) in η.
  const pixel = ((rect.x_max - rect.x_min) * dpr) / (rect.right - rect.left);
  const shown = new URLSearchParams(state);
  assert.ok(Math.abs(Number(shown.get('min')) - 1.2) <= pixel, `min ${shown.get('min')}`);
  assert.ok(Math.abs(Number(shown.get('max')) - 1.4) <= pixel, `max ${shown.get('max')}`);
  const zoomed = JSON.parse(await canvas.getAttribute('data-rect'));
  assert.deepEqual([zoomed.x_min, zoomed.x_max], [Number(shown.get('min')), Number(shown.get('max'))]);
  // The zoom-out button widens the window about the marker (1.1 is outside: about the centre).
  const wider = new URLSearchParams(await afterScan(page, () => page.locator('#zoom-out').click()));
  const [lo, hi] = [Number(shown.get('min')), Number(shown.get('max'))];
  assert.ok(Math.abs(Number(wider.get('max')) - Number(wider.get('min')) - 2 * (hi - lo)) < 1e-9);
  assertNoErrors();
});

test('a scan can be cancelled midway; the page stays responsive and the next scan completes', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n=200&transient=200');
  // A scan of about 480 million steps: seconds of work for the workers.
  await page.locator('#transient').fill('100000');
  await page.locator('#n').fill('2400');
  await page.waitForFunction(() => document.body.dataset.scan === 'running' && document.getElementById('progress').value > 0);
  await page.locator('#cancel').click();
  assert.equal(await page.evaluate(() => document.body.dataset.scan), 'cancelled');
  assert.match(await text(page, 'scan-status'), /^cancelled \(\d+ of 2400 values\)$/);
  const progress = await page.evaluate(() => document.getElementById('progress').value);
  assert.ok(progress > 0 && progress < 1, `progress ${progress}`);
  // The page answers at once (the main thread was never blocked) and nothing more arrives.
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  assert.ok(Date.now() - t0 < 5000);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('progress').value), progress);
  assert.ok(await page.locator('#cancel').isDisabled());
  // A new, small scan completes in workers that replaced the cancelled ones.
  const state = await afterScan(page, () => page.locator('#transient').fill('1000'));
  assert.equal(new URLSearchParams(state).get('transient'), '1000');
  assert.equal(await text(page, 'at-period'), '2');
  assertNoErrors();
});

test('a refused spec names its field beside the control, and other objectives offer their observables', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n=50');
  await page.locator('#min').fill('-1');
  await page.waitForFunction(() => document.body.dataset.scan === 'refused');
  assert.match(await text(page, 'min-error'), /eta_min/);
  // The two-factor problem (xy − 1)²/2 names its balance ‖x‖² − ‖y‖² (paper 000 §5).
  await page.locator('#objective').selectOption('two_factor');
  await page.waitForFunction(() => [...document.getElementById('observable').options].some((o) => o.value === 'balance'));
  const state = await afterScan(page, async () => {
    await page.locator('#observable').selectOption('balance');
    await page.locator('#min').fill('0.05');
    await page.locator('#max').fill('0.4');
  });
  assert.equal(new URLSearchParams(state).get('observable'), 'balance');
  assert.equal(await page.locator('#min-error').textContent(), '');
  assertNoErrors();
});
