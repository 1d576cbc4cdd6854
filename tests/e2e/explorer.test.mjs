// Browser end-to-end tests of the double-well explorer (www/index.html): real Chromium, real
// clicks and key presses, assertions on the numbers the page shows and on drawn pixels.
//
// The site and the browser come from ./browser.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DPR, openPage, useBrowser, waitReady } from './browser.mjs';


const PAGE = '/www/index.html';
const CANVASES = ['landscape', 'cobweb', 'loss', 'sharpness', 'bifurcation'];

const shared = useBrowser();

/** Opens the page (with an optional hash) and waits for its first plot (see ./browser.mjs). */
function openExplorer(t, hash = '') {
  return openPage(t, shared.browser, `${shared.site.baseUrl}${PAGE}${hash}`);
}

const updates = (page) => page.evaluate(() => Number(document.body.dataset.updates ?? 0));
const scans = (page) => page.evaluate(() => Number(document.body.dataset.scans ?? 0));

/**
 * Does `action`, then waits until the page has redrawn (the update counter moved past its value
 * before the action) and the drawn view has `key=value` (document.body.dataset.state is the view
 * in the hash's form). `value === null` waits for the key to be absent (an empty input);
 * `{ not: v }` waits for any value other than v.
 */
async function afterUpdate(page, action, key, value) {
  const before = await updates(page);
  await action();
  await page.waitForFunction(
    ([n, key, value]) => {
      if (Number(document.body.dataset.updates ?? 0) <= n) return false;
      const shown = new URLSearchParams(document.body.dataset.state ?? '').get(key);
      if (value === null) return shown === null;
      if (shown === null) return false;
      return typeof value === 'object' ? Number(shown) !== value.not : Number(shown) === value;
    },
    [before, key, value],
  );
}

/** Moves the η control like a user: select the number field's text and type a new value. */
async function typeEta(page, text) {
  await afterUpdate(
    page,
    async () => {
      await page.locator('#eta').fill(text);
    },
    'eta',
    text === '' ? null : Number(text),
  );
}

const text = (page, selector) => page.locator(selector).textContent();
const number = async (page, selector) => Number(await text(page, selector));

async function screenshot(page, name) {
  await page.screenshot({ path: join(shared.site.screenshotDir, `explorer-${name}.png`), fullPage: true });
}

/** Per canvas: its pixel and CSS sizes and how many opaque non-white pixels it holds. */
function canvasReport(page) {
  return page.evaluate((ids) => {
    const out = {};
    for (const id of ids) {
      const c = document.getElementById(id);
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked += 1;
      }
      out[id] = { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight, inked };
    }
    return out;
  }, CANVASES);
}

function assertCanvasesDrawn(report, dpr) {
  for (const id of CANVASES) {
    const c = report[id];
    assert.ok(c.cssWidth > 100 && c.cssHeight > 100, `${id} has a real size: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.width - dpr * c.cssWidth) <= 1, `${id} width is ${dpr} × its CSS width: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.height - dpr * c.cssHeight) <= 1, `${id} height is ${dpr} × its CSS height: ${JSON.stringify(c)}`);
    assert.ok(c.inked > 2000, `${id} has drawn pixels: ${JSON.stringify(c)}`);
  }
}

/** The attracting 2-cycle of GD on (x² − μ)²/4 for 1/μ < η < (√5 − 1)/μ (Chen & Bruna §4.2). */
function exactTwoCycle(mu, eta) {
  const s = Math.sqrt(mu + 3 / eta);
  const d = Math.sqrt(mu - 1 / eta);
  return [(s + d) / 2, (s - d) / 2];
}

test('first view: five labelled canvases drawn at devicePixelRatio 2, and redrawn on resize', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  assert.equal(await page.evaluate(() => window.devicePixelRatio), DPR);
  assert.equal(typeof (await page.evaluate(() => window.eoslabFirstPlotMs)), 'number');
  for (const id of CANVASES) {
    const canvas = page.locator(`#${id}`);
    assert.equal(await canvas.getAttribute('role'), 'img', `${id} role`);
    assert.ok((await canvas.getAttribute('aria-label')).length > 20, `${id} aria-label`);
  }
  for (const id of ['eta', 'x0', 'steps', 'mu', 'emin', 'emax']) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `#${id} has a label`);
    assert.equal(await page.locator(`#${id}-error`).count(), 1, `#${id} has an error element`);
  }
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'default');

  const before = await updates(page);
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.waitForFunction((n) => Number(document.body.dataset.updates ?? 0) > n, before);
  const resized = await canvasReport(page);
  assertCanvasesDrawn(resized, DPR);
  assert.ok(resized.landscape.cssWidth < 800, `the plots follow the narrower window: ${JSON.stringify(resized.landscape)}`);
  await screenshot(page, 'narrow');
  assertNoErrors();
});

test('η = 0.5: GD converges to the minimum x = 1, period 1', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=0.9');
  await typeEta(page, '0.5');
  assert.equal(await text(page, '#period'), '1');
  const last = await number(page, '#last-iterate');
  assert.ok(Math.abs(last - 1) <= 1e-12, `last iterate ${last} is within 1e-12 of 1`);
  assert.equal(await page.locator('#last-index').textContent(), 'x₂₀₀');
  assert.match(await text(page, '#orbit-sharpness'), /^2\.0+\s+\(2\/η = 4\.0+\)$/);
  assert.equal(await page.evaluate(() => location.hash), '#eta=0.5&x0=0.5&steps=200&mu=1&emin=0.05&emax=2.2');
  await screenshot(page, 'eta-0.5');
  assertNoErrors();
});

test('η = 1.1: period 2, the last two iterates are the exact 2-cycle', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await typeEta(page, '1.1');
  assert.equal(await text(page, '#period'), '2');
  const [a, b] = exactTwoCycle(1, 1.1);
  const shown = [await number(page, '#last-iterate'), await number(page, '#prev-iterate')].sort((x, y) => y - x);
  assert.ok(Math.abs(shown[0] - a) <= 1e-9, `upper point ${shown[0]} vs exact ${a}`);
  assert.ok(Math.abs(shown[1] - b) <= 1e-9, `lower point ${shown[1]} vs exact ${b}`);
  // One orbit point is sharper than 2/η, the other flatter: stable beyond the edge of stability.
  const sharpness = (await text(page, '#orbit-sharpness')).match(/-?\d+\.\d+/g).map(Number);
  assert.equal(sharpness.length, 3);
  const threshold = 2 / 1.1;
  assert.ok(Math.max(sharpness[0], sharpness[1]) > threshold && Math.min(sharpness[0], sharpness[1]) < threshold, sharpness.join(', '));
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'eta-1.1');
  assertNoErrors();
});

test('η = 2.1 typed with the keyboard: GD diverges, and says at which step', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await afterUpdate(
    page,
    async () => {
      await page.locator('#eta').click();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('2.1');
      await page.keyboard.press('Enter');
    },
    'eta',
    2.1,
  );
  assert.match(await text(page, '#period'), /^diverged at step \d+$/);
  assert.equal(await page.locator('#message').isVisible(), false, 'divergence is a result, not an error');
  assert.equal(await text(page, '#eta-error'), '');
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'eta-2.1');
  assertNoErrors();
});

test('the η slider moves with the arrow keys and the number field follows', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await page.locator('#eta-range').focus();
  await afterUpdate(
    page,
    async () => {
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    },
    'eta',
    0.503,
  );
  assert.equal(Number(await page.locator('#eta').inputValue()), 0.503);
  assert.equal(await text(page, '#period'), '1');
  assertNoErrors();
});

test('the trajectory is saved as CSV and each plot as PNG', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=1.1');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#save-csv').click()]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
  assert.equal(rows[0], 'step,x,loss,sharpness');
  assert.equal(rows.length, 1 + 201, 'a header and x₀ … x₂₀₀');
  assert.equal(Number(rows[201].split(',')[1]), await number(page, '#last-iterate'));
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('.save-png[data-canvas="cobweb"]').click()]);
  assert.match(png.suggestedFilename(), /cobweb\.png$/);
  const bytes = await readFile(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
  assertNoErrors();
});

test('a malformed hash shows a message and falls back to defaults for what is malformed', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=abc&foo=1&steps=300');
  const message = page.locator('#hash-message');
  assert.ok(await message.isVisible(), 'the message is visible');
  const said = await message.textContent();
  assert.match(said, /eta/);
  assert.match(said, /foo/);
  assert.equal(Number(await page.locator('#eta').inputValue()), 0.5, 'η falls back to its default');
  assert.equal(Number(await page.locator('#steps').inputValue()), 300, 'the well-formed part is kept');
  assert.equal(await page.locator('#last-index').textContent(), 'x₃₀₀');
  assert.equal(await text(page, '#period'), '1');
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'malformed-hash');
  assertNoErrors();
});

test('the hash restores the view on load, reload and hashchange', async (t) => {
  const { page, problems, assertNoErrors } = await openExplorer(t, '#eta=1.1&x0=0.5&steps=200&mu=1&emin=0.05&emax=2.2');
  assert.equal(Number(await page.locator('#eta').inputValue()), 1.1);
  assert.equal(Number(await page.locator('#eta-range').inputValue()), 1.1);
  assert.equal(await text(page, '#period'), '2');
  assert.equal(await page.locator('#hash-message').isVisible(), false);

  await typeEta(page, '1.25');
  assert.match(await page.evaluate(() => location.hash), /^#eta=1\.25&/);
  await page.reload();
  await waitReady(page, problems);
  assert.equal(Number(await page.locator('#eta').inputValue()), 1.25, 'reload keeps η');
  assert.equal(await text(page, '#period'), '4');

  await afterUpdate(page, () => page.evaluate(() => { location.hash = '#eta=1.1&x0=0.5&steps=200&mu=1&emin=0.05&emax=2.2'; }), 'eta', 1.1);
  assert.equal(Number(await page.locator('#eta').inputValue()), 1.1, 'hashchange sets η');
  assert.equal(await text(page, '#period'), '2');
  assertNoErrors();
});

test('a refused value shows the core message beside its control, and no page error', async (t) => {
  const { page, problems, assertNoErrors } = await openExplorer(t);
  await typeEta(page, '-1');
  const etaError = await text(page, '#eta-error');
  assert.match(etaError, /eta: must be > 0 and at most 1000000 \(got -1\)/);
  assert.equal(await page.locator('#eta').getAttribute('aria-invalid'), '');
  assert.equal(await page.locator('#message').isVisible(), false, 'no general message for a field error');
  assert.equal(await text(page, '#period'), '—');
  await screenshot(page, 'eta-negative');

  await typeEta(page, '');
  assert.match(await text(page, '#eta-error'), /eta: must be a finite number/);

  await afterUpdate(page, () => page.locator('#mu').fill('0'), 'mu', 0);
  assert.match(await text(page, '#mu-error'), /objective\.mu/);
  await afterUpdate(page, () => page.locator('#mu').fill('1'), 'mu', 1);

  await typeEta(page, '0.5');
  assert.equal(await text(page, '#eta-error'), '');
  assert.equal(await page.locator('#eta').getAttribute('aria-invalid'), null);
  assert.equal(await text(page, '#period'), '1');
  assert.deepEqual(problems, []);
  assertNoErrors();
});

test('clicking the bifurcation diagram sets η to the value under the click; only μ and the η range rescan', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  const canvas = page.locator('#bifurcation');
  await canvas.scrollIntoViewIfNeeded();
  const plot = JSON.parse(await canvas.getAttribute('data-plot'));
  const scansBefore = await scans(page);
  assert.equal(scansBefore, 1);

  // Click 60 % of the way across the plotting area (CSS pixels relative to the canvas).
  const x = plot.left + 0.6 * (plot.right - plot.left);
  const y = (plot.top + plot.bottom) / 2;
  const etaPerCssPixel = (plot.eta_max - plot.eta_min) / (plot.right - plot.left);
  const expected = plot.eta_min + (x - plot.left) * etaPerCssPixel;
  await afterUpdate(page, () => canvas.click({ position: { x, y } }), 'eta', { not: 0.5 });
  const eta = Number(await page.locator('#eta').inputValue());
  assert.ok(Math.abs(eta - expected) <= etaPerCssPixel, `η ${eta} is within one pixel (${etaPerCssPixel}) of ${expected}`);
  assert.equal(await scans(page), scansBefore, 'moving η only redraws the marker');

  // The marker is drawn in the clicked pixel column, near the top of the plotting area.
  const dark = await page.evaluate(([x, top]) => {
    const c = document.getElementById('bifurcation');
    const dpr = window.devicePixelRatio;
    const img = c.getContext('2d').getImageData(Math.round(x * dpr) - 3, Math.round(top * dpr) + 4, 7, 1).data;
    let n = 0;
    for (let i = 0; i < img.length; i += 4) if (img[i] < 120 && img[i + 1] < 120 && img[i + 2] < 120) n += 1;
    return n;
  }, [x, plot.top]);
  assert.ok(dark >= 1, 'the η marker is drawn where the click was');
  await screenshot(page, 'bifurcation-click');

  await afterUpdate(page, () => page.locator('#mu').fill('1.2'), 'mu', 1.2);
  assert.equal(await scans(page), scansBefore + 1, 'changing μ rescans');
  await afterUpdate(page, () => page.locator('#emax').fill('1.5'), 'emax', 1.5);
  assert.equal(await scans(page), scansBefore + 2, 'changing the η range rescans');
  const narrowed = JSON.parse(await canvas.getAttribute('data-plot'));
  assert.equal(narrowed.eta_max, 1.5);
  assertNoErrors();
});
