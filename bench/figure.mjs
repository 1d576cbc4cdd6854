/* global process */
// Load and responsiveness of the pages built from <eoslab-figure> (BENCHMARKS.md, issue 10):
//   node bench/figure.mjs BASE_URL
// against `cargo xtask serve --no-build` (which sends the wasm and the module gzip-compressed).
// Prints JSON lines:
//   {"kind":"first-plot","page":…,"network":"local"|"throttled","ms":[…]}   navigation → the first
//      figure's first drawn data (data-first-drawn-ms), fresh contexts, throttled = CDP
//      Network.emulateNetworkConditions at 1.6 Mbps down, 750 kbps up, 150 ms latency;
//   {"kind":"long-tasks","what":…,"computeMs":…,"longest":…,"over50":…}  the main thread's long
//      tasks (PerformanceObserver "longtask") that start while a figure computes.
// ONLY_LONG_TASKS=1 skips the first-plot loads.

import { chromium } from 'playwright-core';

const BASE = process.argv[2] ?? 'http://127.0.0.1:8000';
const LOADS = 3;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const THROTTLED = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };
const emit = (o) => console.log(JSON.stringify(o));

/** Records long tasks and the figures' state changes from the start of the page. */
const RECORDER = () => {
  window.benchLongTasks = [];
  new PerformanceObserver((list) => window.benchLongTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration })))).observe({ type: 'longtask', buffered: true });
  window.benchStates = [];
  new MutationObserver((records) => {
    for (const r of records) if (r.attributeName === 'data-state') window.benchStates.push({ t: performance.now(), state: r.target.dataset.state });
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
};

async function open(browser, url, network) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.addInitScript(RECORDER);
  if (network === 'throttled') {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THROTTLED);
  }
  await page.goto(`${BASE}/${url}`, { waitUntil: 'commit' });
  return { context, page };
}

async function firstPlot(browser, url, network) {
  const ms = [];
  for (let i = 0; i < LOADS; i++) {
    const { context, page } = await open(browser, url, network);
    await page.waitForFunction(() => document.querySelector('eoslab-figure[data-first-drawn-ms]'), null, { timeout: 120000 });
    ms.push(await page.evaluate(() => Math.min(...[...document.querySelectorAll('eoslab-figure[data-first-drawn-ms]')].map((f) => Number(f.dataset.firstDrawnMs)))));
    await context.close();
  }
  emit({ kind: 'first-plot', page: url, network, ms: ms.map((m) => Math.round(m)) });
}

async function longTasks(browser, what, url) {
  const { context, page } = await open(browser, url, 'local');
  await page.waitForFunction(() => window.benchStates.some((s) => s.state === 'running'), null, { timeout: 120000 });
  await page.waitForFunction(() => window.benchStates.some((s) => s.state === 'done'), null, { timeout: 600000 });
  await page.waitForTimeout(200);
  const { tasks, states } = await page.evaluate(() => ({ tasks: window.benchLongTasks, states: window.benchStates }));
  const start = states.find((s) => s.state === 'running').t;
  const end = states.find((s) => s.state === 'done').t;
  const during = tasks.filter((t) => t.start >= start && t.start <= end);
  emit({ kind: 'long-tasks', what, computeMs: Math.round(end - start), longest: Math.round(Math.max(0, ...during.map((t) => t.duration))), over50: during.length, beforeComputing: Math.round(Math.max(0, ...tasks.filter((t) => t.start < start).map((t) => t.duration))) });
  await context.close();
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
try {
  if (!process.env.ONLY_LONG_TASKS) for (const network of ['local', 'throttled']) for (const url of ['www/index.html', 'www/zoo.html']) await firstPlot(browser, url, network);
  await longTasks(browser, "zoo: paper 003's top three eigenvalues (digits MLP, 4,000 steps)", 'www/zoo.html#objective.name=mlp&objective.dataset=digits&objective.n=100&objective.hidden=[32]&eta=0.4&steps=4000&sharpness_every=50&sharpness.k=3');
  await longTasks(browser, 'basin map 1024 × 1024 (f₄, η = 0.45, 1,000 steps)', 'bench/figure.html#kind=basin&objective.name=unstable_convergence&objective.which=f4&eta=0.45&nx=1024&ny=1024&steps=1000');
} finally {
  await browser.close();
}
