// Browser end-to-end tests of the double-well explorer (www/index.html), two <eoslab-figure>s: a
// trajectory (η, x₀, steps, μ; its spec in the address) and a bifurcation scan over η (its range
// in the address as `scan:…`). Real Chromium, real clicks and key presses, assertions on the
// numbers the page shows (against closed forms) and on drawn pixels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DPR, HANG_GUARD_MS, overlappingText, useBrowser, VIEWPORT } from './browser.mjs';

const PAGE = '/www/index.html';
const PANELS = { trajectory: ['landscape', 'cobweb', 'loss', 'sharpness'], scan: ['diagram'] };

const shared = useBrowser();

/** Waits until both figures have settled (done or refused) after at least `results` results each. */
async function settled(page, results = { trajectory: 1, scan: 1 }) {
  await page.waitForFunction(
    (want) =>
      Object.entries(want).every(([id, n]) => {
        const f = document.getElementById(id);
        return f && f.dataset.state !== 'running' && f.dataset.state !== undefined && Number(f.dataset.results ?? 0) >= n;
      }),
    results,
  );
}

/** Opens the page (with an optional hash) in a fresh context at DPR 2 and waits for both figures. */
async function openExplorer(t, hash = '', { viewport = VIEWPORT, deviceScaleFactor = DPR } = {}) {
  const context = await shared.browser.newContext({ viewport, deviceScaleFactor, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${shared.site.baseUrl}${PAGE}${hash}`);
  await settled(page, { trajectory: 0, scan: 0 });
  return { page, problems, assertNoErrors: () => assert.deepEqual(problems, [], 'the page logged errors') };
}

const results = (page, id = 'trajectory') => page.evaluate((id) => Number(document.getElementById(id).dataset.results ?? 0), id);

/** Does `action` and waits for figure `id`'s next result (or refusal). */
async function after(page, action, id = 'trajectory') {
  const before = await page.evaluate((id) => ({ n: Number(document.getElementById(id).dataset.results ?? 0), drawn: document.getElementById(id).dataset.drawn }), id);
  await page.evaluate((id) => { document.getElementById(id).dataset.state = 'waiting'; }, id);
  await action();
  await page.waitForFunction(([id, n]) => {
    const f = document.getElementById(id);
    return (f.dataset.state === 'done' && Number(f.dataset.results ?? 0) > n) || f.dataset.state === 'refused';
  }, [id, before.n]);
}

const control = (page, path, figure = 'trajectory') => page.locator(`#${figure} .control[data-path="${path}"] input`);
const fieldError = (page, path, figure = 'trajectory') => page.locator(`#${figure} .control[data-path="${path}"] output`).textContent();

/** Types a value into a control like a user: fill it and press Enter. */
async function type(page, path, text, figure = 'trajectory') {
  await after(page, async () => {
    await control(page, path, figure).fill(text);
    await control(page, path, figure).press('Enter');
  }, figure);
}

const text = (page, selector) => page.locator(selector).textContent();
/** The exact numbers behind a readout (its title). */
const exact = async (page, selector) => (await page.locator(selector).getAttribute('title')).split(', ').map(Number);

async function screenshot(page, name) {
  await page.screenshot({ path: join(shared.site.screenshotDir, `explorer-${name}.png`), fullPage: true });
}

/** Per panel: its pixel and CSS sizes and how many opaque non-white pixels it holds. */
function canvasReport(page) {
  return page.evaluate((panels) => {
    const out = {};
    for (const [id, names] of Object.entries(panels)) {
      for (const name of names) {
        const c = document.getElementById(id).shadowRoot.querySelector(`figure[data-panel="${name}"] canvas`);
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked += 1;
        const r = c.getBoundingClientRect();
        out[name] = { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight, inked, top: r.top, bottom: r.bottom, role: c.getAttribute('role'), label: c.getAttribute('aria-label') };
      }
    }
    return out;
  }, PANELS);
}

function assertCanvasesDrawn(report, dpr) {
  for (const [name, c] of Object.entries(report)) {
    assert.ok(c.cssWidth > 100 && c.cssHeight > 100, `${name} has a real size: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.width - dpr * c.cssWidth) <= 1, `${name} width is ${dpr} × its CSS width: ${JSON.stringify(c)}`);
    assert.ok(Math.abs(c.height - dpr * c.cssHeight) <= 1, `${name} height is ${dpr} × its CSS height: ${JSON.stringify(c)}`);
    assert.ok(c.inked > 2000, `${name} has drawn pixels: ${JSON.stringify(c)}`);
  }
}

/** The attracting 2-cycle of GD on (x² − μ)²/4 for 1/μ < η < (√5 − 1)/μ (Chen & Bruna §4.2). */
function exactTwoCycle(mu, eta) {
  const s = Math.sqrt(mu + 3 / eta);
  const d = Math.sqrt(mu - 1 / eta);
  return [(s + d) / 2, (s - d) / 2];
}

test('first view: five labelled panels drawn at devicePixelRatio 2, and redrawn on resize', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  assert.equal(await page.evaluate(() => window.devicePixelRatio), DPR);
  const report = await canvasReport(page);
  for (const [name, c] of Object.entries(report)) {
    assert.equal(c.role, 'img', `${name} role`);
    assert.ok(c.label.length > 10, `${name} aria-label`);
  }
  for (const path of ['eta', 'x0', 'steps', 'objective.mu']) {
    const id = await control(page, path).getAttribute('id');
    assert.equal(await page.locator(`#trajectory label[for="${id}"]`).count(), 1, `${path} has a label`);
    assert.equal(await page.locator(`#trajectory output[for="${id}"]`).count(), 1, `${path} has an error element`);
  }
  assertCanvasesDrawn(report, DPR);
  await screenshot(page, 'default');

  const drawn = await page.evaluate(() => Number(document.getElementById('trajectory').dataset.drawn));
  await page.setViewportSize({ width: 820, height: 1000 });
  await page.waitForFunction((n) => Number(document.getElementById('trajectory').dataset.drawn) > n, drawn);
  await page.waitForTimeout(100);
  const resized = await canvasReport(page);
  assertCanvasesDrawn(resized, DPR);
  assert.ok(resized.landscape.cssWidth < 800, `the plots follow the narrower window: ${JSON.stringify(resized.landscape)}`);
  await screenshot(page, 'narrow');
  assertNoErrors();
});

test('on a phone (390 × 844, DPR 3) the first plot is drawn in the first screen, takes sideways touch, and no text overlaps', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3 });
  const report = await canvasReport(page);
  assertCanvasesDrawn(report, 3);
  assert.ok(report.landscape.bottom <= 844, `the first plot ends within the first screen: ${JSON.stringify(report.landscape)}`);
  const touch = await page.evaluate(() => getComputedStyle(document.getElementById('scan').shadowRoot.querySelector('canvas')).touchAction);
  assert.equal(touch, 'pan-y', 'a sideways drag on the diagram is the figure\'s, a vertical one scrolls');
  assert.deepEqual(await overlappingText(page), [], 'no text is drawn over other text');
  await page.screenshot({ path: join(shared.site.screenshotDir, 'explorer-phone.png') });
  await page.screenshot({ path: join(shared.site.screenshotDir, 'explorer-phone-full.png'), fullPage: true });
  assertNoErrors();
});

test('η = 0.5: GD converges to the minimum x = 1, period 1', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=0.9');
  await type(page, 'eta', '0.5');
  assert.equal(await text(page, '#period'), '1');
  const [last] = await exact(page, '#last-iterate');
  assert.ok(Math.abs(last - 1) <= 1e-12, `last iterate ${last} is within 1e-12 of 1`);
  assert.equal(await text(page, '#last-index'), 'x₂₀₀');
  // Six digits for people, the exact value in the title.
  assert.match(await text(page, '#orbit-sharpness'), /^2\s+\(2\/η = 4\)$/);
  assert.deepEqual(await exact(page, '#orbit-sharpness'), [2]);
  assert.match(await page.evaluate(() => location.hash), /(^#|&)eta=0\.5(&|$)/);
  await screenshot(page, 'eta-0.5');
  assertNoErrors();
});

test('η = 1.1: period 2, the last two iterates are the exact 2-cycle', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await type(page, 'eta', '1.1');
  assert.equal(await text(page, '#period'), '2');
  const [a, b] = exactTwoCycle(1, 1.1);
  const shown = [...(await exact(page, '#last-iterate')), ...(await exact(page, '#prev-iterate'))].sort((x, y) => y - x);
  assert.ok(Math.abs(shown[0] - a) <= 1e-12, `upper point ${shown[0]} vs exact ${a}`);
  assert.ok(Math.abs(shown[1] - b) <= 1e-12, `lower point ${shown[1]} vs exact ${b}`);
  // Readable digits on the page: at most six significant ones.
  for (const v of (await text(page, '#last-iterate')).split(', ')) assert.ok(v.replace(/[-.]/g, '').replace(/^0+/, '').length <= 6, v);
  // One orbit point is sharper than 2/η, the other flatter: stable beyond the edge of stability.
  const sharpness = await exact(page, '#orbit-sharpness');
  const threshold = 2 / 1.1;
  assert.ok(Math.max(...sharpness) > threshold && Math.min(...sharpness) < threshold, sharpness.join(', '));
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'eta-1.1');
  assertNoErrors();
});

test('η = 2.1 typed with the keyboard: GD diverges, and says at which step', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await after(page, async () => {
    await control(page, 'eta').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('2.1');
    await page.keyboard.press('Enter');
  });
  assert.match(await text(page, '#period'), /^diverged at step \d+$/);
  assert.equal(await page.locator('#trajectory .message').isVisible(), false, 'divergence is a result, not an error');
  assert.equal(await fieldError(page, 'eta'), '');
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'eta-2.1');
  assertNoErrors();
});

test('the diagram works from the keyboard: arrows read values, Enter sets η', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  const diagram = page.locator('#scan figure[data-panel="diagram"] canvas');
  await diagram.focus();
  const readout = page.locator('#scan figure[data-panel="diagram"] output');
  const centre = Number((await readout.textContent()).match(/^x = ([-\d.e]+)/)[1]);
  assert.ok(Math.abs(centre - (0.05 + 2.2) / 2) < 0.01, `focus puts the cursor mid-plot: ${centre}`);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  const moved = Number((await readout.textContent()).match(/^x = ([-\d.e]+)/)[1]);
  assert.ok(Math.abs(moved - centre - 5 * (2.2 - 0.05) / 50) < 0.01, `five steps of 1/50 of the axis: ${moved}`);
  await after(page, () => page.keyboard.press('Enter'));
  const eta = Number(await control(page, 'eta').inputValue());
  const column = (2.2 - 0.05) / 799;
  assert.ok(Math.abs(eta - moved) <= column, `η ${eta} is the scanned column under the cursor ${moved} (columns ${column} apart)`);
  assertNoErrors();
});

test('the trajectory is saved as CSV and each plot as PNG', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=1.1');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#trajectory button[data-act="csv"]').click()]);
  const rows = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
  assert.equal(rows[0], 'step,eta,loss,sharpness,x0');
  assert.equal(rows.length, 1 + 201, 'a header and x₀ … x₂₀₀');
  assert.equal(Number(rows[201].split(',')[4]), (await exact(page, '#last-iterate'))[0]);
  const [png] = await Promise.all([page.waitForEvent('download'), page.locator('#trajectory figure[data-panel="cobweb"] button[data-export="png"]').click()]);
  assert.match(png.suggestedFilename(), /cobweb\.png$/);
  const bytes = await readFile(await png.path());
  assert.deepEqual([...bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
  assertNoErrors();
});

test('a malformed address shows what was refused, falls back to defaults there, and keeps the rest', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=abc&foo=1&steps=300');
  await settled(page);
  const message = page.locator('#trajectory .message');
  assert.ok(await message.isVisible(), 'the message is visible');
  const said = await message.textContent();
  assert.match(said, /eta=/);
  assert.match(said, /foo=1/);
  assert.equal(Number(await control(page, 'eta').inputValue()), 0.5, 'η falls back to its default');
  assert.equal(Number(await control(page, 'steps').inputValue()), 300, 'the well-formed part is kept');
  assert.equal(await text(page, '#last-index'), 'x₃₀₀');
  assert.equal(await text(page, '#period'), '1');
  assertCanvasesDrawn(await canvasReport(page), DPR);
  await screenshot(page, 'malformed-hash');
  assertNoErrors();
});

test('an address of absurd values keeps every panel drawn from valid ones, with short numbers in the message', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=1e308&steps=1e12&objective.mu=1e300');
  await settled(page);
  const said = await page.locator('#trajectory .message').textContent();
  for (const field of ['eta', 'steps', 'objective.mu']) assert.match(said, new RegExp(`${field.replace('.', '\\.')}=`), said);
  assert.match(said, /eta=1e308/);
  assert.doesNotMatch(said, /\d{13}/, `no number of more than 12 digits: ${said}`);
  assert.ok(await page.locator('#trajectory .message').isVisible());
  const box = await page.locator('#trajectory .message').boundingBox();
  assert.ok(box.y < 600, `the message is above the plots, in view: ${JSON.stringify(box)}`);
  assertCanvasesDrawn(await canvasReport(page), DPR);
  assert.equal(await text(page, '#period'), '1', 'the defaults η = 0.5, 200 steps, μ = 1 converge');
  await screenshot(page, 'absurd-hash');
  assertNoErrors();
});

test('the address restores the view on load, reload and hashchange', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t, '#eta=1.1&x0=[0.5]&steps=200&objective.mu=1');
  assert.equal(Number(await control(page, 'eta').inputValue()), 1.1);
  assert.equal(await text(page, '#period'), '2');
  assert.equal(await page.locator('#trajectory .message').isVisible(), false);

  await type(page, 'eta', '1.25');
  assert.match(await page.evaluate(() => location.hash), /(^#|&)eta=1\.25(&|$)/);
  await page.reload();
  await settled(page);
  assert.equal(Number(await control(page, 'eta').inputValue()), 1.25, 'reload keeps η');
  assert.equal(await text(page, '#period'), '4');

  await after(page, () => page.evaluate(() => { location.hash = '#eta=1.1&x0=[0.5]&steps=200&objective.mu=1'; }));
  assert.equal(Number(await control(page, 'eta').inputValue()), 1.1, 'hashchange sets η');
  assert.equal(await text(page, '#period'), '2');
  assertNoErrors();
});

test('a refused value shows the core message beside its control and dims the plots', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await type(page, 'eta', '-1');
  assert.equal(await fieldError(page, 'eta'), 'eta: must be > 0 and at most 1000000 (got -1)');
  assert.equal(await page.locator('#trajectory .message').isVisible(), false, 'no general message for a field error');
  assert.equal(await text(page, '#period'), '—');
  assert.equal(await page.evaluate(() => document.getElementById('trajectory').shadowRoot.querySelector('.panels').classList.contains('stale')), true);
  await screenshot(page, 'eta-negative');

  await type(page, 'objective.mu', '0');
  assert.match(await fieldError(page, 'objective.mu'), /^objective\.mu: must lie in \[0\.001, 1000\] \(got 0\)$/);
  await type(page, 'objective.mu', '1');
  await type(page, 'eta', '0.5');
  assert.equal(await fieldError(page, 'eta'), '');
  assert.equal(await text(page, '#period'), '1');
  assert.equal(await page.evaluate(() => document.getElementById('trajectory').shadowRoot.querySelector('.panels').classList.contains('stale')), false);
  assertNoErrors();
});

test('clicking the bifurcation diagram sets η to the value under the click; μ and the η range rescan', async (t) => {
  const { page, assertNoErrors } = await openExplorer(t);
  await settled(page);
  const canvas = page.locator('#scan figure[data-panel="diagram"] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const scansBefore = await results(page, 'scan');
  assert.equal(scansBefore, 1);
  // The plotting rectangle, from the readout at two points of known position.
  const box = await canvas.boundingBox();
  const read = async (x) => {
    await canvas.hover({ position: { x, y: box.height / 2 } });
    return Number((await page.locator('#scan figure[data-panel="diagram"] output').textContent()).match(/^x = ([-\d.e]+)/)[1]);
  };
  const [x1, x2] = [box.width * 0.3, box.width * 0.6];
  const [e1, e2] = [await read(x1), await read(x2)];
  const etaPerCssPixel = (e2 - e1) / (x2 - x1);
  await after(page, () => canvas.click({ position: { x: x2, y: box.height / 2 } }));
  const eta = Number(await control(page, 'eta').inputValue());
  assert.ok(Math.abs(eta - e2) <= etaPerCssPixel, `η ${eta} is within one pixel (${etaPerCssPixel}) of ${e2}`);
  assert.equal(await results(page, 'scan'), scansBefore, 'moving η only redraws the marker');
  assert.match(await text(page, '#scan-period'), /^(\d+|not periodic, mixed or diverged)$/);
  await screenshot(page, 'bifurcation-click');

  await after(page, () => control(page, 'objective.mu').fill('1.2').then(() => control(page, 'objective.mu').press('Enter')), 'scan');
  assert.equal(await results(page, 'scan'), scansBefore + 1, 'changing μ rescans');
  await type(page, 'eta_max', '1.5', 'scan');
  assert.equal(await results(page, 'scan'), scansBefore + 2, 'changing the η range rescans');
  assert.equal((await page.evaluate(() => document.getElementById('scan').result.values.at(-1))), 1.5);
  assert.match(await page.evaluate(() => location.hash), /scan:eta_max=1\.5/);
  assertNoErrors();
});

test('before the module has loaded, each figure shows a loading placeholder at its final place', async (t) => {
  const context = await shared.browser.newContext({ viewport: VIEWPORT });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  // Hold the module back until the placeholder has been looked at.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/pkg/eoslab.js', async (route) => {
    await held;
    await route.continue();
  });
  // Module scripts hold DOMContentLoaded back: wait for the parsed figure instead.
  await page.goto(`${shared.site.baseUrl}${PAGE}`, { waitUntil: 'commit' });
  await page.waitForSelector('#scan', { state: 'attached' });
  const placeholder = await page.evaluate(() => {
    const figure = document.getElementById('trajectory');
    return { defined: customElements.get('eoslab-figure') !== undefined, content: getComputedStyle(figure, '::before').content, height: figure.getBoundingClientRect().height };
  });
  assert.equal(placeholder.defined, false, 'the module is still loading');
  assert.match(placeholder.content, /Loading/);
  assert.ok(placeholder.height >= 200, `the placeholder holds the figure's place: ${placeholder.height}`);
  release();
  await settled(page);
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('trajectory'), '::before').content), 'none');
});
