// What every browser test file shares: Debian's Chromium with the flags that work headless here
// (no sandbox, as the tests may run as root; no background networking, component updates or sync,
// which would flood a closed network with refused connections), and the site under test.
//
// `cargo xtask test` passes EOSLAB_BASE_URL (its server of the repository root) and
// EOSLAB_SCREENSHOT_DIR; alone (`node --test tests/e2e/`) a file serves the repository itself and
// saves screenshots in target/e2e-screenshots.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { REPO_ROOT, startStaticServer } from './static-server.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; `extraArgs` are appended to the common flags. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * The site under test: `{ baseUrl, screenshotDir, close() }`, from the environment or from a
 * server of the repository root started here.
 */
export async function siteUnderTest() {
  let server;
  let baseUrl = process.env.EOSLAB_BASE_URL;
  if (!baseUrl) {
    server = await startStaticServer();
    baseUrl = server.url;
  }
  const screenshotDir = process.env.EOSLAB_SCREENSHOT_DIR || join(REPO_ROOT, 'target', 'e2e-screenshots');
  await mkdir(screenshotDir, { recursive: true });
  return { baseUrl: baseUrl.replace(/\/$/, ''), screenshotDir, close: async () => server?.close() };
}

/** The viewport and device-pixel ratio the page tests use. */
export const VIEWPORT = { width: 1400, height: 1000 };
export const DPR = 2;
/** Guards against a hung page only; nothing here measures speed. */
export const HANG_GUARD_MS = 120_000;

/**
 * Waits for the page's first plot, or fails with the message it shows instead. A page built from
 * <eoslab-figure>s is ready when each figure has computed and drawn its spec.
 */
export async function waitReady(page, problems = []) {
  await page.waitForFunction(() => {
    const figures = [...document.querySelectorAll('eoslab-figure')];
    if (figures.length) return figures.every((f) => f.dataset.state && f.dataset.state !== 'running');
    return document.body.dataset.ready === '1' || !document.getElementById('message').hidden;
  });
  const unfinished = await page.evaluate(() =>
    [...document.querySelectorAll('eoslab-figure')].filter((f) => f.dataset.state !== 'done').map((f) => f.shadowRoot.querySelector('.message').textContent),
  );
  if (unfinished.length) assert.fail(`a figure did not draw: ${unfinished.join('; ')} (errors: ${JSON.stringify(problems)})`);
  if (await page.evaluate(() => document.querySelector('eoslab-figure') !== null)) return;
  // Ready, or given up with a message (the wasm module could not load): fail with what it says.
  if ((await page.evaluate(() => document.body.dataset.ready)) !== '1') {
    const shown = await page.locator('#message').textContent();
    assert.fail(`the page did not draw: ${shown} (errors: ${JSON.stringify(problems)})`);
  }
}

/**
 * For a test file: starts the site and Chromium before its tests and stops them after. Returns an
 * object whose `site`, `browser` and `eoslab` (the one-file module pkg/eoslab.js, loaded in node
 * so that tests compute their expectations with the core) are set once the tests run.
 */
export function useBrowser() {
  const shared = {};
  before(async () => {
    shared.site = await siteUnderTest();
    shared.browser = await launchChromium();
    shared.eoslab = await import(pathToFileURL(join(REPO_ROOT, 'pkg', 'eoslab.js')).href);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.site?.close();
  });
  return shared;
}

/**
 * The visible text boxes (labels, headings, paragraphs, captions, buttons, outputs; inside open
 * shadow roots too) that overlap another one they neither contain nor are contained in: [] when
 * nothing on the page is drawn over anything else.
 */
export function overlappingText(page) {
  return page.evaluate(() => {
    const boxes = [];
    const visit = (root) => {
      for (const el of root.querySelectorAll('label, h1, h2, p, dt, dd, figcaption > *, .help, button, output, a, legend, select, input')) {
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const text = (el.textContent || el.value || '').trim();
        if (r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && (text || el.tagName === 'INPUT' || el.tagName === 'SELECT')) boxes.push({ el, r, name: `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''} “${text.slice(0, 30)}”` });
      }
      for (const host of root.querySelectorAll('*')) if (host.shadowRoot) visit(host.shadowRoot);
    };
    visit(document);
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 1 && h > 1) overlaps.push(`${a.name} × ${b.name}`);
      }
    }
    return overlaps;
  });
}

/**
 * Opens a page built from <eoslab-figure>s in a fresh context (touch and mobile below 500 CSS
 * pixels wide) and waits until every figure has settled. Every console error, uncaught page error
 * and failed request is collected; `assertNoErrors()` fails the test if there was any.
 */
export async function openFigures(t, browser, url, { viewport = VIEWPORT, deviceScaleFactor = DPR } = {}) {
  const phone = viewport.width < 500;
  const context = await browser.newContext({ viewport, deviceScaleFactor, isMobile: phone, hasTouch: phone });
  t.after(() => context.close());
  const page = await context.newPage();
  page.setDefaultTimeout(HANG_GUARD_MS);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.goto(url);
  await waitReady(page, problems);
  return { page, problems, assertNoErrors: () => assert.deepEqual(problems, [], 'the page logged errors') };
}

/**
 * Does `action`, then waits for figure `id`'s next result (state done with its result counter
 * moved on) or its refusal; returns the state it settled in.
 */
export async function afterResult(page, id, action) {
  const before = await page.evaluate((id) => Number(document.getElementById(id).dataset.results ?? 0), id);
  await page.evaluate((id) => {
    document.getElementById(id).dataset.state = 'waiting';
  }, id);
  await action();
  await page.waitForFunction(([id, n]) => {
    const f = document.getElementById(id);
    return (f.dataset.state === 'done' && Number(f.dataset.results ?? 0) > n) || f.dataset.state === 'refused';
  }, [id, before]);
  return page.evaluate((id) => document.getElementById(id).dataset.state, id);
}

/** The input of figure `id`'s control for spec path `path`. */
export function control(page, id, path) {
  return page.locator(`#${id} .control[data-path="${path}"] :is(input:not([type=range]), select)`);
}

/** Types `text` into a control like a user (fill, then Enter) and waits for the figure to settle. */
export function type(page, id, path, text) {
  return afterResult(page, id, async () => {
    await control(page, id, path).fill(text);
    await control(page, id, path).press('Enter');
  });
}

/**
 * The CSS position in a panel's canvas of data point (x, y), from the figure's own readout at two
 * points of known position (the plot's axes are linear).
 */
export async function cssOfData(page, id, panel, x, y) {
  const canvas = page.locator(`#${id} figure[data-panel="${panel}"] canvas`);
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const readAt = async (px, py) => {
    await canvas.hover({ position: { x: px, y: py } });
    const title = await page.locator(`#${id} figure[data-panel="${panel}"] output`).getAttribute('title');
    const read = title.match(/^x = (\S+), y = (\S+)$/);
    assert.ok(read, `no readout at (${px}, ${py}) of ${id}'s ${panel}: “${title}”`);
    return [Number(read[1]), Number(read[2])];
  };
  // Two points inside the plot (a legend may take the right of the canvas).
  const [a, b] = [[box.width * 0.25, box.height * 0.3], [box.width * 0.45, box.height * 0.7]];
  const [da, db] = [await readAt(...a), await readAt(...b)];
  return {
    x: a[0] + ((x - da[0]) / (db[0] - da[0])) * (b[0] - a[0]),
    y: a[1] + ((y - da[1]) / (db[1] - da[1])) * (b[1] - a[1]),
    pixel: [(db[0] - da[0]) / (b[0] - a[0]), (db[1] - da[1]) / (b[1] - a[1])],
  };
}

/** Per panel of figure `id`: its canvas' pixel and CSS sizes, where it ends, and its inked pixels. */
export function panelReport(page, id) {
  return page.evaluate((id) => {
    const out = {};
    for (const figure of document.getElementById(id).shadowRoot.querySelectorAll('figure.panel')) {
      const c = figure.querySelector('canvas');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235) inked += 1;
      const r = c.getBoundingClientRect();
      out[figure.dataset.panel] = { width: c.width, cssWidth: c.clientWidth, top: r.top, bottom: r.bottom, inked };
    }
    return out;
  }, id);
}
