// <eoslab-figure>, the live figure of pkg/eoslab.js, on pages of its own: from file:// and from a
// blob: import (as anywidget loads modules) it draws, fires `result`, and exports SVG (the axis
// labels as text), PNG (decodes) and CSV (parses, with the result's exact numbers); a refused spec
// fires `error` with the field and shows the message beside that field's control; a long scan
// leaves the page answering clicks and can be cancelled; a core that traps (a Rust panic) is shown
// as a message and the next spec runs on a fresh worker.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HANG_GUARD_MS, launchChromium, siteUnderTest } from './browser.mjs';
import { REPO_ROOT } from './static-server.mjs';

const MODULE_URL = pathToFileURL(join(REPO_ROOT, 'pkg', 'eoslab.js')).href;
const SPEC = { kind: 'trajectory', objective: { name: 'double_well', mu: 1 }, eta: 1.1, x0: [0.5], steps: 300 };

/** The exact 2-cycle of GD on (x² − μ)²/4 at η, larger point first. */
function twoCycle(mu, eta) {
  const s = Math.sqrt(mu + 3 / eta);
  const d = Math.sqrt(mu - 1 / eta);
  return [(s + d) / 2, (s - d) / 2];
}

/** Parses CSV (RFC 4180: quoted fields may hold commas and doubled quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/** A page with one figure; `importModule` is the expression that imports pkg/eoslab.js. */
function figurePage(importModule, attributes, prelude = '') {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>figure</title>
<body><main><h1>figure</h1><button id="probe" type="button">probe</button>
<eoslab-figure ${attributes}></eoslab-figure></main>
<script type="module">
window.events = [];
window.clicks = [];
document.getElementById('probe').addEventListener('click', (e) => window.clicks.push(performance.now() - e.timeStamp));
const figure = document.querySelector('eoslab-figure');
figure.addEventListener('result', (e) => window.events.push({ type: 'result', detail: e.detail }));
figure.addEventListener('error', (e) => window.events.push({ type: 'error', detail: e.detail }));
${prelude}
window.eoslab = await ${importModule};
</script></body></html>`;
}

let browser;
let site;
let dir;

before(async () => {
  site = await siteUnderTest();
  browser = await launchChromium(['--allow-file-access-from-files']);
  dir = await mkdtemp(join(tmpdir(), 'eoslab-figure-'));
});

after(async () => {
  await browser?.close();
  await site?.close();
});

async function open(t, url, { viewport = { width: 1200, height: 900 }, deviceScaleFactor = 2 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor, acceptDownloads: true });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  await page.goto(url);
  return { page, problems };
}

/** Waits for the `n`-th event (1-based) the figure fired and returns it. */
async function event(page, n) {
  await page.waitForFunction((k) => window.events.length >= k, n);
  return page.evaluate((k) => window.events[k - 1], n);
}

/** Counts the canvas' non-background pixels (the plot's ink). */
function inked(page, panel) {
  return page.evaluate((name) => {
    const canvas = document.querySelector('eoslab-figure').shadowRoot.querySelector(`figure[data-panel="${name}"] canvas`);
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
    return { ink, width: canvas.width, height: canvas.height, cssWidth: canvas.clientWidth };
  }, panel);
}

/** The draws, events and exports of a page whose figure runs SPEC. */
async function checkDrawsAndExports(page) {
  const first = await event(page, 1);
  assert.equal(first.type, 'result', JSON.stringify(first.detail));
  const orbit = first.detail.outcome.orbit.map((p) => p[0]).sort((a, b) => b - a);
  const [a, b] = twoCycle(1, 1.1);
  assert.ok(Math.abs(orbit[0] - a) < 1e-12 && Math.abs(orbit[1] - b) < 1e-12, `${orbit} vs ${a}, ${b}`);
  await page.waitForFunction(() => Number(document.querySelector('eoslab-figure').dataset.drawn) >= 1);
  for (const panel of ['landscape', 'cobweb', 'loss', 'sharpness']) {
    const { ink, width, cssWidth } = await inked(page, panel);
    assert.equal(width, cssWidth * 2, `${panel}: the canvas is sized at the device pixel ratio`);
    assert.ok(ink > 2000, `${panel} is drawn (${ink} inked pixels)`);
  }

  // CSV: one row per step, with the result's exact numbers.
  const csv = parseCsv(await page.evaluate(() => document.querySelector('eoslab-figure').toCSV()));
  assert.deepEqual(csv[0], ['step', 'eta', 'loss', 'sharpness', 'x0']);
  assert.equal(csv.length, 1 + 301);
  const result = await page.evaluate(() => document.querySelector('eoslab-figure').result);
  for (const t of [0, 1, 150, 300]) {
    const row = csv[1 + t].map(Number);
    assert.deepEqual(row, [t, 1.1, result.loss[t], result.sharpness[t], result.iterates[t][0]], `row ${t}`);
  }
  assert.equal(Number(csv[1][2]), (0.25 - 1) ** 2 / 4, 'the loss at x₀ = 0.5 is (x² − 1)²/4');
  assert.equal(Number(csv[1][3]), 3 * 0.25 - 1, 'the sharpness at x₀ = 0.5 is 3x² − 1');

  // PNG: decodes, at the canvas' device pixels.
  const png = await page.evaluate(async () => {
    const blob = await document.querySelector('eoslab-figure').toPNG('loss');
    const bitmap = await createImageBitmap(blob);
    return { type: blob.type, width: bitmap.width, height: bitmap.height };
  });
  const loss = await inked(page, 'loss');
  assert.deepEqual(png, { type: 'image/png', width: loss.width, height: loss.height });

  // SVG: the same panel through plotters' SVG backend, its axis labels kept as text.
  const svg = await page.evaluate(() => document.querySelector('eoslab-figure').toSVG('loss'));
  assert.match(svg, /^<svg[\s>]/);
  assert.match(svg, /<text[^>]*>[^<]*step[^<]*<\/text>/, 'the x axis label is text');
  assert.match(svg, /<text[^>]*>[^<]*loss[^<]*<\/text>/, 'the y axis label is text');
}

test('from file://, a figure draws, fires result and exports PNG, SVG and CSV', async (t) => {
  const file = join(dir, 'file.html');
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify(SPEC)}' panels="landscape cobweb loss sharpness" controls="eta steps objective.mu x0"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  await checkDrawsAndExports(page);
  assert.deepEqual(problems, []);
});

test('from a blob: import (twice: the element is defined once), a figure draws and exports', async (t) => {
  const file = join(dir, 'blob.html');
  const twice = `(async () => {
    const text = await (await fetch(${JSON.stringify(MODULE_URL)})).text();
    const url = () => URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    const first = await import(url());
    const second = await import(url());
    if (first === second || first.EoslabFigure === second.EoslabFigure) throw new Error('expected two evaluations');
    if (customElements.get('eoslab-figure') !== first.EoslabFigure) throw new Error('the first evaluation defines the element');
    return first;
  })()`;
  await writeFile(file, figurePage(twice, `spec='${JSON.stringify(SPEC)}' panels="landscape cobweb loss sharpness"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  await checkDrawsAndExports(page);
  assert.deepEqual(problems, []);
});

test('from file:// with Chromium\'s default flags, pkg/eoslab.classic.js defines the element and its workers compute', async (t) => {
  // No --allow-file-access-from-files here: Chromium then refuses module workers from blob: URLs
  // (an error event before any code runs), so the figure's workers must be classic ones.
  const plain = await launchChromium();
  t.after(() => plain.close());
  const file = join(dir, 'classic.html');
  const scan = { kind: 'bifurcation', objective: { name: 'double_well', mu: 1 }, eta_min: 0.5, eta_max: 1.3, n_eta: 40 };
  await writeFile(file, `<!doctype html><html lang="en"><meta charset="utf-8"><title>classic</title><body><main>
<eoslab-figure id="run" spec='${JSON.stringify(SPEC)}' panels="loss"></eoslab-figure>
<eoslab-figure id="scan" spec='${JSON.stringify(scan)}' panels="diagram"></eoslab-figure></main>
<script>window.events = {}; document.addEventListener('result', (e) => (window.events[e.target.id] = e.detail), true);
document.addEventListener('error', (e) => (window.events[e.target.id] = e.detail), true);</script>
<script src="${pathToFileURL(join(REPO_ROOT, 'pkg', 'eoslab.classic.js')).href}"></script></body></html>`);
  const page = await plain.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => 'run' in window.events && 'scan' in window.events);
  const { run, scanned } = await page.evaluate(() => ({ run: window.events.run, scanned: window.events.scan }));
  const orbit = run.outcome.orbit.map((p) => p[0]).sort((a, b) => b - a);
  const [a, b] = twoCycle(1, 1.1);
  assert.ok(Math.abs(orbit[0] - a) < 1e-12 && Math.abs(orbit[1] - b) < 1e-12, `${orbit} vs ${a}, ${b}`);
  assert.equal(scanned.kind, 'bifurcation', JSON.stringify(scanned).slice(0, 200));
  assert.equal(scanned.eta.length, 40);
  assert.deepEqual(problems, []);
});

test('a lazy figure below the fold computes nothing until scrolled into view, then the spec it then holds', async (t) => {
  const file = join(dir, 'lazy.html');
  const spacer = `const spacer = document.createElement('div');
spacer.style.height = '4000px';
document.querySelector('main').insertBefore(spacer, figure);`;
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `lazy spec='${JSON.stringify({ ...SPEC, eta: 0.5 })}' panels="loss"`, spacer));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  await page.waitForFunction(() => window.eoslab !== undefined);
  // Two frames: an IntersectionObserver reports its first state by then.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.evaluate(() => document.querySelector('eoslab-figure').dataset.state), 'waiting');
  // A spec set while waiting is not computed either; it is what runs once the figure is seen.
  await page.evaluate((spec) => (document.querySelector('eoslab-figure').spec = spec), SPEC);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.deepEqual(await page.evaluate(() => [window.events.length, document.querySelector('eoslab-figure').dataset.state]), [0, 'waiting']);
  await page.locator('eoslab-figure').scrollIntoViewIfNeeded();
  const first = await event(page, 1);
  assert.equal(first.type, 'result');
  assert.equal(first.detail.stability_threshold, 2 / 1.1, 'the spec set while waiting (η = 1.1) ran');
  const orbit = first.detail.outcome.orbit.map((p) => p[0]).sort((a, b) => b - a);
  const [a, b] = twoCycle(1, 1.1);
  assert.ok(Math.abs(orbit[0] - a) < 1e-12 && Math.abs(orbit[1] - b) < 1e-12, `${orbit} vs ${a}, ${b}`);
  assert.equal(await page.evaluate(() => window.events.length), 1, 'computed once');
  assert.deepEqual(problems, []);
});

test('a refused spec fires error with the field and shows it beside the control; a valid one redraws', async (t) => {
  const file = join(dir, 'refused.html');
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify({ ...SPEC, eta: -1 })}' controls="eta steps x0"`));
  const { page } = await open(t, pathToFileURL(file).href);
  const refused = await event(page, 1);
  assert.equal(refused.type, 'error');
  assert.equal(refused.detail.field, 'eta');
  assert.match(refused.detail.message, /^eta: must be > 0 and at most 1000000 \(got -1\)$/);
  const beside = await page.evaluate(() => {
    const root = document.querySelector('eoslab-figure').shadowRoot;
    return { eta: root.querySelector('.control[data-path="eta"] output').textContent, steps: root.querySelector('.control[data-path="steps"] output').textContent };
  });
  assert.deepEqual(beside, { eta: refused.detail.message, steps: '' });
  assert.equal(await page.evaluate(() => document.querySelector('eoslab-figure').dataset.state), 'refused');

  // Typing a valid η into its control computes again and clears the refusal.
  const eta = page.locator('eoslab-figure .control[data-path="eta"] input');
  await eta.fill('1.1');
  await eta.press('Enter');
  const redrawn = await event(page, 2);
  assert.equal(redrawn.type, 'result');
  assert.equal(redrawn.detail.outcome_label, '2');
  assert.equal(await page.evaluate(() => document.querySelector('eoslab-figure').shadowRoot.querySelector('.control[data-path="eta"] output').textContent), '');
});

test('a long bifurcation scan keeps the page answering clicks and can be cancelled', async (t) => {
  const file = join(dir, 'scan.html');
  // 4,000 values × 100,256 steps: 4·10⁸ GD steps, within the core's limit of 5·10⁸.
  const spec = { kind: 'bifurcation', objective: { name: 'two_factor' }, eta_min: 0.05, eta_max: 0.9, n_eta: 4000, transient: 100000, record: 256, starts: [[2.5, 0.2]], observable: 'product' };
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify(spec)}'`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  await page.waitForFunction(() => document.querySelector('eoslab-figure')?.dataset.state === 'running');
  // Some rows have arrived and been drawn: the scan is under way.
  await page.waitForFunction(() => Number(document.querySelector('eoslab-figure').dataset.drawn ?? 0) >= 2);
  for (let i = 0; i < 10; i++) await page.click('#probe');
  const clicks = await page.evaluate(() => window.clicks);
  assert.equal(clicks.length, 10);
  assert.ok(Math.max(...clicks) < 100, `click handlers ran within 100 ms of the click: ${clicks.map((c) => c.toFixed(1))}`);
  assert.equal(await page.evaluate(() => document.querySelector('eoslab-figure').dataset.state), 'running', 'the scan is still running');
  await page.locator('eoslab-figure button[data-act="cancel"]').click();
  await page.waitForFunction(() => document.querySelector('eoslab-figure').dataset.state === 'cancelled');
  assert.equal(await page.evaluate(() => window.events.length), 0, 'a cancelled scan fires neither result nor error');
  assert.deepEqual(problems, []);
});

test('a core that traps (a Rust panic) is shown, and the next spec runs on a fresh worker', async (t) => {
  // The first worker the page starts gets a core whose `run` aborts inside the wasm (an invalid
  // allocation request: the same `unreachable` trap a Rust panic ends in with panic = "abort"):
  // a classic worker (as the figure's are) that patches WebAssembly.Instance, then loads the program.
  const trapFirstWorker = `
    const RealWorker = window.Worker;
    let started = 0;
    window.Worker = class extends RealWorker {
      constructor(url, options) {
        if (started++ > 0) return super(url, options);
        const prelude = 'const RealInstance = WebAssembly.Instance;' +
          'WebAssembly.Instance = function (module, imports) {' +
          '  const real = new RealInstance(module, imports);' +
          '  const exports = { ...real.exports, run: () => real.exports.__wbindgen_malloc(0xfffffff8, 8) };' +
          '  return { exports };' +
          '};' +
          'importScripts(' + JSON.stringify(String(url)) + ');';
        super(URL.createObjectURL(new Blob([prelude], { type: 'text/javascript' })), options);
      }
    };`;
  const file = join(dir, 'panic.html');
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify(SPEC)}' panels="loss"`, trapFirstWorker));
  const { page } = await open(t, pathToFileURL(file).href);
  const panic = await event(page, 1);
  assert.equal(panic.type, 'error');
  assert.equal(panic.detail.panic, true);
  assert.equal(panic.detail.field, '');
  const shown = await page.locator('eoslab-figure .message').textContent();
  assert.match(shown, /internal error and was restarted/);
  assert.match(shown, /unreachable/);

  await page.evaluate(() => {
    const figure = document.querySelector('eoslab-figure');
    figure.spec = { ...figure.spec, eta: 0.5 };
  });
  const next = await event(page, 2);
  assert.equal(next.type, 'result');
  assert.equal(next.detail.outcome_label, '1', 'η = 0.5 < 1/μ converges to the minimum');
  assert.equal(await page.locator('eoslab-figure .message').isHidden(), true, 'the message is cleared by the next run');
  assert.equal(await page.evaluate(() => window.Worker.length >= 0), true);
});

test('compare runs: a pinned run stays drawn and labelled under the next one; runs saved as JSON load back', async (t) => {
  const file = join(dir, 'pins.html');
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify({ ...SPEC, eta: 0.5 })}' panels="loss sharpness"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  assert.equal((await event(page, 1)).detail.outcome_label, '1');
  const unpinned = await page.evaluate(() => document.querySelector('eoslab-figure').toSVG('sharpness'));
  await page.locator('eoslab-figure button[data-act="pin"]').click();
  assert.match(await page.locator('eoslab-figure .pins').textContent(), /η = 0\.5/);
  await page.evaluate(() => {
    const figure = document.querySelector('eoslab-figure');
    figure.spec = { ...figure.spec, eta: 1.1 };
  });
  assert.equal((await event(page, 2)).detail.outcome_label, '2');
  // The pinned run is in the drawing, with its label; without the pin it is not.
  const pinned = await page.evaluate(() => document.querySelector('eoslab-figure').toSVG('sharpness'));
  assert.ok(pinned.includes('η = 0.5'), 'the pinned run is labelled in the SVG');
  assert.ok(!unpinned.includes('η = 0.5'));

  // Saved as JSON, loaded into a fresh figure: the same pins and the same spec, computed again.
  const saved = JSON.parse(await page.evaluate(() => document.querySelector('eoslab-figure').saveRuns()));
  assert.equal(saved.spec.eta, 1.1);
  assert.deepEqual(saved.pinned.map((p) => [p.label, p.spec.eta, p.result.outcome_label]), [['η = 0.5', 0.5, '1']]);
  await page.evaluate((text) => {
    const fresh = document.createElement('eoslab-figure');
    fresh.id = 'fresh';
    fresh.setAttribute('panels', 'sharpness');
    document.body.append(fresh);
    fresh.addEventListener('result', (e) => window.events.push({ type: 'fresh', detail: e.detail }));
    fresh.loadRuns(text);
  }, JSON.stringify(saved));
  await page.waitForFunction(() => window.events.some((e) => e.type === 'fresh'));
  const fresh = await page.evaluate(() => ({ pinned: document.getElementById('fresh').pinned.map((p) => p.label), eta: document.getElementById('fresh').result.eta, svg: document.getElementById('fresh').toSVG('sharpness') }));
  assert.deepEqual(fresh.pinned, ['η = 0.5']);
  assert.equal(fresh.eta, 1.1);
  assert.ok(fresh.svg.includes('η = 0.5'));
  assert.deepEqual(problems, []);
});

test('an overlay: a heavy-ball run laid over a flow figure is drawn with its threshold (2 + 2β)/η, and taken off again', async (t) => {
  const file = join(dir, 'overlay.html');
  const flow = { kind: 'flow', objective: { name: 'double_well', mu: 1 }, eta: 0.5, x0: [0.3], steps: 120 };
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify(flow)}' panels="loss sharpness distance"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  assert.equal((await event(page, 1)).type, 'result');
  const svg = (panel) => page.evaluate((p) => document.querySelector('eoslab-figure').toSVG(p), panel);
  const plain = await svg('sharpness');
  assert.ok(!plain.includes('heavy ball'));
  // β = 0.5 at η = 0.5: the heavy ball's threshold is (2 + 2β)/η = 6, beside 2/η = 4.
  const drawn = Number(await page.evaluate(() => document.querySelector('eoslab-figure').dataset.drawn));
  await page.evaluate(() => {
    const figure = document.querySelector('eoslab-figure');
    figure.overlay = window.eoslab.run({ ...figure.spec, kind: 'trajectory', momentum: 0.5 });
  });
  await page.waitForFunction((n) => Number(document.querySelector('eoslab-figure').dataset.drawn) > n, drawn);
  const sharpness = await svg('sharpness');
  assert.ok(sharpness.includes('heavy ball β = 0.5') && sharpness.includes('(2 + 2β)/η = 6'), 'the overlay and its threshold are labelled');
  assert.ok((await svg('loss')).includes('heavy ball β = 0.5'));
  assert.ok(!(await svg('distance')).includes('heavy ball'), 'the distance panel has no heavy ball');
  await page.evaluate(() => {
    document.querySelector('eoslab-figure').overlay = null;
  });
  assert.ok(!(await svg('sharpness')).includes('heavy ball'));
  assert.deepEqual(problems, []);
});

test('zoom: a sideways drag across a bifurcation diagram scans the dragged window; the buttons narrow, widen and restore it', async (t) => {
  const file = join(dir, 'zoom.html');
  const scan = { kind: 'bifurcation', eta_min: 0.5, eta_max: 2, n_eta: 300, transient: 200, record: 32 };
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `zoom spec='${JSON.stringify(scan)}' panels="diagram lyapunov"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  assert.equal((await event(page, 1)).type, 'result');
  const canvas = page.locator('eoslab-figure figure[data-panel="diagram"] canvas');
  const box = await canvas.boundingBox();
  // Where η = 1.2 and 1.4 are, from the readout at two points of known position.
  const read = async (x) => {
    await canvas.hover({ position: { x, y: box.height / 2 } });
    return Number((await page.locator('eoslab-figure figure[data-panel="diagram"] output').getAttribute('title')).match(/^x = (\S+),/)[1]);
  };
  const [x1, x2] = [box.width * 0.3, box.width * 0.6];
  const [e1, e2] = [await read(x1), await read(x2)];
  const perPixel = (e2 - e1) / (x2 - x1);
  const cssX = (eta) => box.x + x1 + (eta - e1) / perPixel;
  const y = box.y + box.height / 2;
  await page.evaluate(() => {
    window.picks = 0;
    document.querySelector('eoslab-figure').addEventListener('pick', () => (window.picks += 1));
  });
  await page.mouse.move(cssX(1.2), y);
  await page.mouse.down();
  await page.mouse.move(cssX(1.3), y, { steps: 4 });
  assert.equal(await page.locator('eoslab-figure figure[data-panel="diagram"] .band').isVisible(), true, 'the dragged window is shown');
  await page.mouse.move(cssX(1.4), y, { steps: 4 });
  await page.mouse.up();
  const zoomed = await event(page, 2);
  assert.equal(zoomed.type, 'result');
  const { eta_min: lo, eta_max: hi } = await page.evaluate(() => document.querySelector('eoslab-figure').spec);
  assert.ok(Math.abs(lo - 1.2) <= perPixel && Math.abs(hi - 1.4) <= perPixel, `window [${lo}, ${hi}], a pixel is ${perPixel}`);
  assert.deepEqual([zoomed.detail.values[0], zoomed.detail.values.at(-1)], [lo, hi], 'the new scan spans the dragged window');
  assert.equal(await page.evaluate(() => window.picks), 0, 'a drag is not a click');
  await canvas.click({ position: { x: x2, y: box.height / 2 } });
  assert.equal(await page.evaluate(() => window.picks), 1, 'a click still picks a column');
  // Zoom out about the centre (no marker): twice as wide; full range: the spec attribute's window.
  await page.locator('eoslab-figure button[data-act="zoom-out"]').click();
  const wider = (await event(page, 3)).detail.values;
  assert.ok(Math.abs(wider.at(-1) - wider[0] - 2 * (hi - lo)) < 1e-9 && Math.abs((wider[0] + wider.at(-1)) / 2 - (lo + hi) / 2) < 1e-9, `${wider[0]}, ${wider.at(-1)}`);
  await page.evaluate(() => {
    document.querySelector('eoslab-figure').marker = 1.1;
  });
  await page.locator('eoslab-figure button[data-act="zoom-in"]').click();
  const narrower = (await event(page, 4)).detail.values;
  assert.ok(Math.abs(narrower.at(-1) - narrower[0] - (hi - lo)) < 1e-9, 'zoom in halves the window');
  await page.locator('eoslab-figure button[data-act="zoom-full"]').click();
  const full = (await event(page, 5)).detail.values;
  assert.deepEqual([full[0], full.at(-1)], [0.5, 2]);
  assert.deepEqual(problems, []);
});

test('without the zoom attribute a figure has no zoom buttons, and a drag is no zoom', async (t) => {
  const file = join(dir, 'nozoom.html');
  const scan = { kind: 'bifurcation', eta_min: 0.5, eta_max: 2, n_eta: 100, transient: 100, record: 16 };
  await writeFile(file, figurePage(`import(${JSON.stringify(MODULE_URL)})`, `spec='${JSON.stringify(scan)}' panels="diagram"`));
  const { page, problems } = await open(t, pathToFileURL(file).href);
  assert.equal((await event(page, 1)).type, 'result');
  assert.equal(await page.locator('eoslab-figure button[data-act="zoom-in"]').isHidden(), true);
  const box = await page.locator('eoslab-figure figure[data-panel="diagram"] canvas').boundingBox();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.events.length), 1, 'no new scan');
  assert.deepEqual(await page.evaluate(() => document.querySelector('eoslab-figure').spec.eta_max), 2);
  assert.deepEqual(problems, []);
});
