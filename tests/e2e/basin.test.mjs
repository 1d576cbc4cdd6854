// Browser end-to-end tests of the basin-map page (www/basin.html): a basin <eoslab-figure>
// computed in Web Workers a band of rows at a time, checked against the same map computed in one
// call by the one-file module in node and against paper 004's f₄ (unstable convergence spreads as
// η grows); a pick on the map runs that start in the page's second figure.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterResult, control, cssOfData, openFigures, overlappingText, panelReport, type, useBrowser } from './browser.mjs';

const PAGE = '/www/basin.html';
const F4 = { name: 'unstable_convergence', which: 'f4' };
const WINDOW = { x_min: -2, x_max: 2, y_min: -2, y_max: 2 };
const HASH = '#objective.name=unstable_convergence&objective.which=f4&eta=0.4&steps=1000&x_min=-2&x_max=2&y_min=-2&y_max=2&nx=100&ny=100';

const shared = useBrowser();

const open = (t, hash = '', options = {}) => openFigures(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`, options);
const text = (page, id) => page.locator(`#${id}`).textContent();
/** The exact numbers behind a readout (its title). */
const exact = async (page, id) => (await page.locator(`#${id}`).getAttribute('title')).split(', ').map(Number);

test('the f₄ map at η = 0.4 matches the core class by class: a quarter of the starts converge unstably', async (t) => {
  const { page, assertNoErrors } = await open(t, HASH);
  const map = shared.eoslab.run({ kind: 'basin', objective: F4, eta: 0.4, ...WINDOW, nx: 100, ny: 100, steps: 1000 });
  for (const [name, count] of Object.entries(map.counts)) {
    assert.equal(await text(page, `count-${name}`), String(count), name);
    assert.deepEqual(await exact(page, `fraction-${name}`), [count / 10_000], name);
  }
  // The element's result holds the same map, start by start.
  const shown = await page.evaluate(() => {
    const r = document.getElementById('map').result;
    return { class: r.class, steps: r.steps };
  });
  assert.deepEqual(shown.class, map.class);
  assert.deepEqual(shown.steps, map.steps);
  // Paper 004's f₄ regime: 2,556 of the 10,000 starts converge only after the loss rose.
  assert.equal(map.counts.unstable_convergence, 2556);
  assert.equal(await text(page, 'fraction-unstable_convergence'), '0.2556');
  // At η = 0.3 the unstable fraction is smaller (it grows with η, §Numerical Experiments).
  await type(page, 'map', 'eta', '0.3');
  const [smaller] = await exact(page, 'fraction-unstable_convergence');
  assert.equal(smaller, shared.eoslab.run({ kind: 'basin', objective: F4, eta: 0.3, ...WINDOW, nx: 100, ny: 100, steps: 1000 }).counts.unstable_convergence / 10_000);
  assert.ok(smaller < 0.2556, `unstable fraction at η = 0.3: ${smaller}`);
  assert.match(page.url(), /[#&]eta=0\.3(&|$)/);
  // The start's run follows the map's η.
  assert.equal(await page.evaluate(() => document.getElementById('start').result.eta), 0.3);
  assertNoErrors();
});

test('clicking a cell runs the start at its centre, its loss coloured by regime, and the address keeps it', async (t) => {
  const { page, assertNoErrors } = await open(t, HASH);
  const map = shared.eoslab.run({ kind: 'basin', objective: F4, eta: 0.4, ...WINDOW, nx: 100, ny: 100, steps: 1000 });
  // An unstably converging start away from the edges: its run's loss rises before it falls for good.
  const p = map.class.findIndex((c, k) => c === 1 && k % 100 > 10 && k % 100 < 90 && k > 1000);
  const [i, j] = [p % 100, Math.floor(p / 100)];
  const x0 = [map.x[i], map.y[j]];
  const at = await cssOfData(page, 'map', 'map', ...x0);
  // A cell is 4/99 wide: more than a CSS pixel at this size, so the click lands inside it.
  assert.ok(4 / 99 > Math.abs(at.pixel[0]) * 2, JSON.stringify(at.pixel));
  const canvas = page.locator('#map figure[data-panel="map"] canvas');
  await afterResult(page, 'start', () => canvas.click({ position: { x: at.x, y: at.y } }));
  assert.deepEqual(await exact(page, 'start-x0'), x0);
  assert.equal(await text(page, 'start-class'), 'unstable convergence');
  assert.equal(await text(page, 'start-steps'), String(map.steps[p]));
  assert.deepEqual(await exact(page, 'start-minimizer'), map.minimizers[map.minimizer[p]]);
  const run = shared.eoslab.run({ kind: 'trajectory', objective: F4, eta: 0.4, x0, steps: 1000 });
  assert.equal(run.regimes.convergence, 'unstable');
  assert.equal(await text(page, 'start-monotone'), String(run.regimes.monotone_from));
  const shown = await page.evaluate(() => document.getElementById('start').result);
  assert.deepEqual(shown.iterates[0], x0);
  assert.deepEqual(shown.loss, run.loss);
  assert.match(decodeURIComponent(page.url()), /start:x0=\[/);
  // The regime panel draws the loss before monotone_from in orange (230, 120, 20).
  const orange = await page.evaluate(() => {
    const c = document.getElementById('start').shadowRoot.querySelector('figure[data-panel="regimes"] canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    const near = (k, rgb) => rgb.every((v, m) => Math.abs(d[k + m] - v) <= 6);
    for (let k = 0; k < d.length; k += 4) if (near(k, [230, 120, 20])) n++;
    return n;
  });
  assert.ok(orange > 0, 'the rising part of the loss is drawn in orange');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'basin-click.png'), fullPage: true });

  // The address brings the same view back, the clicked start included.
  const again = await open(t, new URL(page.url()).hash);
  assert.deepEqual(await exact(again.page, 'start-x0'), x0);
  assert.equal(await text(again.page, 'start-class'), 'unstable convergence');
  for (const [path, value] of [['eta', '0.4'], ['nx', '100'], ['ny', '100'], ['x_min', '-2'], ['steps', '1000']]) {
    assert.equal(await control(again.page, 'map', path).inputValue(), value, path);
  }
  assertNoErrors();
  again.assertNoErrors();
});

test('a map can be cancelled midway; the page stays responsive and the next map completes', async (t) => {
  const { page, assertNoErrors } = await open(t, '#objective.name=unstable_convergence&objective.which=f1&eta=0.95&x_min=-0.5&x_max=0.5&y_min=-0.5&y_max=0.5&nx=64&ny=64&steps=1000');
  // 1024 × 1024 starts of up to 3,000 steps: seconds of work for the workers.
  await control(page, 'map', 'steps').fill('3000');
  await control(page, 'map', 'nx').fill('1024');
  await control(page, 'map', 'ny').fill('1024');
  await page.waitForFunction(() => {
    const f = document.getElementById('map');
    return f.dataset.state === 'running' && f.shadowRoot.querySelector('progress').value > 0;
  });
  await page.locator('#map button[data-act="cancel"]').click();
  await page.waitForFunction(() => document.getElementById('map').dataset.state === 'cancelled');
  const progress = await page.evaluate(() => document.getElementById('map').shadowRoot.querySelector('progress').value);
  assert.ok(progress > 0 && progress < 1, `progress ${progress}`);
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await control(page, 'map', 'steps').fill('1000');
  await control(page, 'map', 'nx').fill('32');
  await type(page, 'map', 'ny', '32');
  const counts = await Promise.all(['stable_convergence', 'unstable_convergence', 'periodic', 'bounded', 'diverged'].map((c) => text(page, `count-${c}`)));
  assert.equal(counts.map(Number).reduce((a, b) => a + b), 1024);
  assert.match(page.url(), /[#&]nx=32(&|$)/);
  assertNoErrors();
});

test('an objective that is not two-dimensional is refused beside the objective selector', async (t) => {
  const { page, assertNoErrors } = await open(t, '#nx=20&ny=20');
  const state = await afterResult(page, 'map', () => control(page, 'map', 'objective.name').selectOption('double_well'));
  assert.equal(state, 'refused');
  assert.match(await page.locator('#map .control[data-path="objective.name"] output').textContent(), /two parameters/);
  assert.equal(await text(page, 'count-periodic'), '—');
  assertNoErrors();
});

test('on a phone (390 × 844, DPR 3) the drawn map is in the first screen and no text overlaps', async (t) => {
  const { page, assertNoErrors } = await open(t, '#nx=60&ny=60', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const { map } = await panelReport(page, 'map');
  assert.ok(map.bottom <= 844, `the map ends within the first screen: ${JSON.stringify(map)}`);
  assert.equal(map.width, map.cssWidth * 3);
  assert.ok(map.inked > 0.5 * map.width * map.width * 0.5, `the map is painted: ${JSON.stringify(map)}`);
  assert.deepEqual(await overlappingText(page), [], 'no text is drawn over other text');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'basin-phone.png') });
  await page.screenshot({ path: join(shared.site.screenshotDir, 'basin-phone-full.png'), fullPage: true });
  assertNoErrors();
});
