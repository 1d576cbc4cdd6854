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
