// Browser end-to-end tests of the basin-map page (www/basin.html): maps computed in Web Workers
// row band by row band, checked against the same map computed in one call by the one-file module
// in node, and against paper 004's f₄ (unstable convergence spreads as η grows).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterScan, openScanned, useBrowser } from './browser.mjs';

const PAGE = '/www/basin.html';
const F4 = { name: 'unstable_convergence', which: 'f4' };
const WINDOW = { x_min: -2, x_max: 2, y_min: -2, y_max: 2 };
const HASH = '#objective=unstable_convergence&objective.which=f4&eta=0.4&steps=1000&x_min=-2&x_max=2&y_min=-2&y_max=2&nx=100&ny=100';

const shared = useBrowser();

/** Opens the page with `hash` and waits for its first scan to complete. */
function open(t, hash = '') {
  return openScanned(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`);
}

const text = (page, id) => page.locator(`#${id}`).textContent();
const full = (x) => x.toPrecision(17);
const short = (x) => String(Number(x.toPrecision(6)));

test('the f₄ map at η = 0.4 matches the core class by class: a quarter of the starts converge unstably', async (t) => {
  const { page, assertNoErrors } = await open(t, HASH);
  const map = shared.eoslab.run({ kind: 'basin', objective: F4, eta: 0.4, ...WINDOW, nx: 100, ny: 100, steps: 1000 });
  for (const [name, count] of Object.entries(map.counts)) {
    assert.equal(await text(page, `count-${name}`), String(count), name);
    assert.equal(await text(page, `fraction-${name}`), short(count / 10_000), name);
  }
  // Paper 004's f₄ regime: 2,556 of the 10,000 starts converge only after the loss rose.
  assert.equal(map.counts.unstable_convergence, 2556);
  assert.equal(Number(await text(page, 'fraction-unstable_convergence')).toFixed(3), '0.256');
  // At η = 0.3 the unstable fraction is smaller (it grows with η, §Numerical Experiments).
  await afterScan(page, () => page.locator('#eta').fill('0.3'));
  assert.ok(Number(await text(page, 'fraction-unstable_convergence')) < 0.2556);
  assert.match(page.url(), /eta=0\.3(&|$)/);
  assertNoErrors();
});

test('clicking a pixel runs the start at the centre of its cell, its loss coloured by regime', async (t) => {
  const { page, assertNoErrors } = await open(t, HASH);
  const map = shared.eoslab.run({ kind: 'basin', objective: F4, eta: 0.4, ...WINDOW, nx: 100, ny: 100, steps: 1000 });
  // An unstably converging start: its run's loss rises before it falls for good.
  const p = map.class.findIndex((c, k) => c === 1 && k % 100 > 10 && k % 100 < 90 && k > 1000);
  const [i, j] = [p % 100, Math.floor(p / 100)];
  const canvas = page.locator('#map');
  const rect = JSON.parse(await canvas.getAttribute('data-rect'));
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  // Each axis spans the cells: start i sits at the centre of cell i.
  const h = 4 / 99;
  assert.ok(Math.abs(rect.x_min - (-2 - h / 2)) < 1e-12 && Math.abs(rect.y_max - (2 + h / 2)) < 1e-12, JSON.stringify(rect));
  const px = rect.left + ((i + 0.5) / 100) * (rect.right - rect.left);
  const py = rect.bottom - ((j + 0.5) / 100) * (rect.bottom - rect.top);
  await canvas.click({ position: { x: px / dpr, y: py / dpr } });
  const x0 = [-2 + h * i, -2 + h * j];
  await page.waitForFunction((s) => document.body.dataset.trajectory === s, x0.map(full).join(', '));
  assert.equal(await text(page, 'start-x0'), x0.map(full).join(', '));
  assert.equal(await text(page, 'start-class'), 'unstable convergence');
  assert.equal(await text(page, 'start-steps'), String(map.steps[p]));
  assert.equal(await text(page, 'start-minimizer'), map.minimizers[map.minimizer[p]].map(full).join(', '));
  const run = shared.eoslab.run({ kind: 'trajectory', objective: F4, eta: 0.4, x0, steps: 1000 });
  assert.equal(run.regimes.convergence, 'unstable');
  assert.equal(await text(page, 'start-monotone'), String(run.regimes.monotone_from));
  assert.match(page.url(), new RegExp(`start=${i},${j}(&|$)`));
  // The regime panel draws the loss before monotone_from in orange (230, 120, 20).
  const orange = await page.evaluate(() => {
    const c = document.getElementById('regimes');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    const near = (k, rgb) => rgb.every((v, m) => Math.abs(d[k + m] - v) <= 6);
    for (let k = 0; k < d.length; k += 4) if (near(k, [230, 120, 20])) n++;
    return n;
  });
  assert.ok(orange > 0, 'the rising part of the loss is drawn in orange');

  // The address brings the same view back, the clicked start included.
  const again = await open(t, new URL(page.url()).hash);
  assert.equal(await text(again.page, 'start-x0'), x0.map(full).join(', '));
  for (const [id, value] of [['eta', '0.4'], ['nx', '100'], ['ny', '100'], ['x_min', '-2'], ['steps', '1000']]) {
    assert.equal(await again.page.locator(`#${id}`).inputValue(), value, id);
  }
  assertNoErrors();
  again.assertNoErrors();
});

test('a map can be cancelled midway; the page stays responsive and the next map completes', async (t) => {
  const { page, assertNoErrors } = await open(t, '#objective=unstable_convergence&objective.which=f1&eta=0.95&x_min=-0.5&x_max=0.5&y_min=-0.5&y_max=0.5&nx=64&ny=64&steps=1000');
  // 1024 × 1024 starts of up to 3,000 steps: seconds of work for the workers.
  await page.locator('#steps').fill('3000');
  await page.locator('#nx').fill('1024');
  await page.locator('#ny').fill('1024');
  await page.waitForFunction(() => document.body.dataset.scan === 'running' && document.getElementById('progress').value > 0);
  await page.locator('#cancel').click();
  assert.equal(await page.evaluate(() => document.body.dataset.scan), 'cancelled');
  assert.match(await text(page, 'scan-status'), /^cancelled \(\d+ of 1024 rows\)$/);
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  const state = await afterScan(page, async () => {
    await page.locator('#steps').fill('1000');
    await page.locator('#nx').fill('32');
    await page.locator('#ny').fill('32');
  });
  assert.equal(new URLSearchParams(state).get('nx'), '32');
  const counts = await Promise.all(['stable_convergence', 'unstable_convergence', 'periodic', 'bounded', 'diverged'].map((c) => text(page, `count-${c}`)));
  assert.equal(counts.map(Number).reduce((a, b) => a + b), 1024);
  assertNoErrors();
});

test('an objective that is not two-dimensional is refused beside the selector', async (t) => {
  const { page, assertNoErrors } = await open(t, '#nx=20&ny=20');
  await page.locator('#objective').selectOption('double_well');
  await page.waitForFunction(() => document.body.dataset.scan === 'refused');
  assert.match(await text(page, 'objective-error'), /two parameters/);
  assertNoErrors();
});
