// Browser end-to-end tests of the bifurcation explorer (www/bifurcation.html): a bifurcation
// <eoslab-figure> computed in Web Workers and drawn as it arrives, checked against the
// period-doubling facts of the double well (paper 002 §4.2) and against the same columns computed
// here by the one-file module in node; it zooms into a dragged window and scans it again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterResult, control, cssOfData, openFigures, overlappingText, panelReport, type, useBrowser } from './browser.mjs';

const PAGE = '/www/bifurcation.html';
const shared = useBrowser();

const open = (t, hash = '', options = {}) => openFigures(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`, options);
const text = (page, id) => page.locator(`#${id}`).textContent();
/** The exact numbers behind a readout (its title). */
const exact = async (page, id) => (await page.locator(`#${id}`).getAttribute('title')).split(', ').map(Number);
const results = (page) => page.evaluate(() => Number(document.getElementById('bifurcation').dataset.results));

/** The grid value of an n-point grid from lo to hi nearest v (the core's grid: lo + h·i). */
function nearest(lo, hi, n, v) {
  const h = (hi - lo) / (n - 1);
  return lo + h * Math.round((v - lo) / h);
}

/** The column at exactly η (a one-value scan in node, the same spec otherwise). */
function columnAt(eta, fields = {}) {
  return shared.eoslab.run({ kind: 'bifurcation', eta_min: eta, eta_max: eta, n_eta: 1, transient: 1000, record: 256, ...fields }).runs[0];
}

/** Clicks the diagram at the scanned value `v` and waits for the column readout to follow. */
async function clickAt(page, v) {
  const at = await cssOfData(page, 'bifurcation', 'diagram', v, 0);
  const before = await page.locator('#at-value').getAttribute('title');
  await page.locator('#bifurcation figure[data-panel="diagram"] canvas').click({ position: { x: at.x, y: at.y } });
  await page.waitForFunction((b) => document.getElementById('at-value').title !== b, before);
  return at.pixel[0];
}

test('the double well doubles its period at η = 1: period 2 at η = 1.1, chaos with λ > 0 at 1.6', async (t) => {
  const { page, assertNoErrors } = await open(t);
  // The defaults: η from 0.5 to 2.05 on 800 values, read at 1.1.
  const v = nearest(0.5, 2.05, 800, 1.1);
  assert.deepEqual(await exact(page, 'at-value'), [v]);
  assert.match(await text(page, 'at-value'), /^η = 1\.09944$/);
  // 1 < η < √5 − 1: both starts settle on the 2-cycle, with a negative Lyapunov exponent.
  assert.equal(await text(page, 'at-period'), '2');
  const runs = columnAt(v);
  assert.deepEqual(runs.map((r) => r.period), [2, 2]);
  assert.deepEqual(await exact(page, 'at-lyapunov'), runs.map((r) => r.lyapunov));
  assert.ok(runs.every((r) => r.lyapunov < 0));
  // The page's result holds the same column.
  const shown = await page.evaluate((x) => document.getElementById('bifurcation').result.runs[document.getElementById('bifurcation').result.values.indexOf(x)], v);
  assert.deepEqual(shown.map((r) => r.lyapunov), runs.map((r) => r.lyapunov));

  // A click reads another column of the same scan.
  const scans = await results(page);
  // Around η = 1.6 every column is chaotic (1.5 has a period-6 window a column away).
  const pixel = await clickAt(page, 1.6);
  const [w] = await exact(page, 'at-value');
  assert.ok(Math.abs(w - 1.6) <= pixel, `clicked ${w}, a pixel is ${pixel}`);
  assert.equal(w, nearest(0.5, 2.05, 800, w), 'a grid value');
  const chaos = columnAt(w);
  assert.ok(chaos.every((r) => r.period === null && r.lyapunov > 0), JSON.stringify(chaos.map((r) => r.lyapunov)));
  assert.deepEqual(await exact(page, 'at-lyapunov'), chaos.map((r) => r.lyapunov));
  assert.match(await text(page, 'at-period'), /^none/);
  assert.equal(await results(page), scans, 'reading a column does not re-scan');
  assertNoErrors();
});

test('a parameter scan (an example link) draws against its parameter and keeps its state in the address', async (t) => {
  const { page, assertNoErrors } = await open(t);
  await afterResult(page, 'bifurcation', () => page.locator('#examples a', { hasText: 'μ at η = 0.5' }).click());
  const result = await page.evaluate(() => {
    const r = document.getElementById('bifurcation').result;
    return { parameter: r.parameter, first: r.values[0], last: r.values.at(-1), n: r.values.length, eta: r.eta[0] };
  });
  assert.deepEqual(result, { parameter: 'mu', first: 1, last: 3, n: 400, eta: 0.5 });
  // μ = 2.5 at η = 0.5: ημ = 1.25, past √5 − 1 ≈ 1.236, is period 4.
  await clickAt(page, 2.5);
  assert.match(await text(page, 'at-value'), /^mu = /);
  assert.deepEqual(await exact(page, 'at-eta'), [0.5]);
  assert.equal(await text(page, 'at-period'), '4');
  assert.match(decodeURIComponent(page.url()), /parameter\.name=mu/);
  // Zoom in about the marked μ, then back to the example's full window.
  const marked = (await exact(page, 'at-value'))[0];
  await afterResult(page, 'bifurcation', () => page.locator('#bifurcation button[data-act="zoom-in"]').click());
  const zoomed = await page.evaluate(() => document.getElementById('bifurcation').spec.parameter);
  assert.ok(Math.abs(zoomed.max - zoomed.min - 1) < 1e-9 && zoomed.min < marked && marked < zoomed.max, JSON.stringify(zoomed));
  await afterResult(page, 'bifurcation', () => page.locator('#bifurcation button[data-act="zoom-full"]').click());
  const restored = await page.evaluate(() => document.getElementById('bifurcation').spec.parameter);
  assert.deepEqual([restored.min, restored.max], [1, 3]);
  // The same address reopened scans the same window.
  const again = await open(t, new URL(page.url()).hash);
  assert.equal(await again.page.evaluate(() => document.getElementById('bifurcation').result.parameter), 'mu');
  assertNoErrors();
  again.assertNoErrors();
});

test('dragging across the diagram zooms into the window and scans it again; the buttons widen it', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n_eta=400');
  const canvas = page.locator('#bifurcation figure[data-panel="diagram"] canvas');
  const [from, to] = [await cssOfData(page, 'bifurcation', 'diagram', 1.2, 0), await cssOfData(page, 'bifurcation', 'diagram', 1.4, 0)];
  const box = await canvas.boundingBox();
  await afterResult(page, 'bifurcation', async () => {
    await page.mouse.move(box.x + from.x, box.y + from.y);
    await page.mouse.down();
    await page.mouse.move(box.x + (from.x + to.x) / 2, box.y + from.y, { steps: 4 });
    await page.mouse.move(box.x + to.x, box.y + from.y, { steps: 4 });
    await page.mouse.up();
  });
  const { eta_min: lo, eta_max: hi } = await page.evaluate(() => document.getElementById('bifurcation').spec);
  assert.ok(Math.abs(lo - 1.2) <= from.pixel[0] && Math.abs(hi - 1.4) <= from.pixel[0], `window [${lo}, ${hi}], a pixel is ${from.pixel[0]}`);
  const values = await page.evaluate(() => document.getElementById('bifurcation').result.values);
  assert.deepEqual([values[0], values.at(-1), values.length], [lo, hi, 400]);
  assert.match(page.url(), new RegExp(`eta_min=${lo}(&|$)`));
  assert.equal(await control(page, 'bifurcation', 'eta_max').inputValue(), String(hi));
  // The zoom-out button widens the window about the marker (1.1 is outside: about the centre).
  await afterResult(page, 'bifurcation', () => page.locator('#bifurcation button[data-act="zoom-out"]').click());
  const wider = await page.evaluate(() => document.getElementById('bifurcation').spec);
  assert.ok(Math.abs(wider.eta_max - wider.eta_min - 2 * (hi - lo)) < 1e-9, JSON.stringify(wider));
  await afterResult(page, 'bifurcation', () => page.locator('#bifurcation button[data-act="zoom-full"]').click());
  assert.deepEqual(await page.evaluate(() => [document.getElementById('bifurcation').spec.eta_min, document.getElementById('bifurcation').spec.eta_max]), [0.5, 2.05]);
  assert.equal(await text(page, 'at-period'), '2', 'the marked column is read again in the full window');
  assertNoErrors();
});

test('a scan can be cancelled midway; the page stays responsive and the next scan completes', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n_eta=200&transient=200');
  // A scan of about 480 million steps: seconds of work for the workers.
  await control(page, 'bifurcation', 'transient').fill('100000');
  await control(page, 'bifurcation', 'n_eta').fill('2400');
  await page.waitForFunction(() => {
    const f = document.getElementById('bifurcation');
    return f.dataset.state === 'running' && f.shadowRoot.querySelector('progress').value > 0;
  });
  await page.locator('#bifurcation button[data-act="cancel"]').click();
  await page.waitForFunction(() => document.getElementById('bifurcation').dataset.state === 'cancelled');
  const progress = await page.evaluate(() => document.getElementById('bifurcation').shadowRoot.querySelector('progress').value);
  assert.ok(progress > 0 && progress < 1, `progress ${progress}`);
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.getElementById('bifurcation').shadowRoot.querySelector('progress').value), progress, 'nothing arrives after the cancel');
  // A new, small scan completes in workers that replaced the cancelled ones.
  assert.equal(await type(page, 'bifurcation', 'transient', '1000'), 'done');
  assert.match(page.url(), /[#&]transient=1000(&|$)/);
  assert.equal(await text(page, 'at-period'), '2');
  assertNoErrors();
});

test('a refused spec names its field beside the control; the two-factor example scans its balance', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n_eta=50');
  assert.equal(await type(page, 'bifurcation', 'eta_min', '-1'), 'refused');
  assert.match(await page.locator('#bifurcation .control[data-path="eta_min"] output').textContent(), /eta_min/);
  assert.equal(await text(page, 'at-period'), '—');
  // The two-factor problem (xy − 1)²/2 names its balance ‖x‖² − ‖y‖² (paper 000 §5).
  await afterResult(page, 'bifurcation', () => page.locator('#examples a', { hasText: 'balance' }).click());
  const r = await page.evaluate(() => document.getElementById('bifurcation').result);
  assert.deepEqual(r.observable, { kind: 'named', name: 'balance' });
  assert.equal(r.objective.name, 'two_factor');
  const expected = shared.eoslab.run({ kind: 'bifurcation', objective: { name: 'two_factor' }, eta_min: 0.05, eta_max: 0.4, n_eta: 400, transient: 1000, record: 256, observable: 'balance' });
  assert.deepEqual(r.runs[17].map((run) => run.samples), expected.runs[17].map((run) => run.samples));
  assert.equal(await page.locator('#bifurcation .control[data-path="eta_min"] output').textContent(), '');
  assertNoErrors();
});

test('on a phone (390 × 844, DPR 3) the drawn diagram is in the first screen and no text overlaps', async (t) => {
  const { page, assertNoErrors } = await open(t, '#n_eta=300', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const { diagram, lyapunov } = await panelReport(page, 'bifurcation');
  assert.ok(diagram.bottom <= 844, `the diagram ends within the first screen: ${JSON.stringify(diagram)}`);
  assert.equal(diagram.width, diagram.cssWidth * 3);
  assert.ok(diagram.inked > 2000 && lyapunov.inked > 2000, JSON.stringify({ diagram, lyapunov }));
  assert.ok(lyapunov.top >= diagram.bottom, 'the Lyapunov exponent is under the diagram');
  assert.deepEqual(await overlappingText(page), [], 'no text is drawn over other text');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'bifurcation-phone.png') });
  await page.screenshot({ path: join(shared.site.screenshotDir, 'bifurcation-phone-full.png'), fullPage: true });
  assertNoErrors();
});
