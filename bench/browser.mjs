// bench/browser.mjs: the browser half of `cargo xtask bench`.
//
// Drives Debian's Chromium headless through playwright-core against the static server at
// EOSLAB_BASE_URL and prints one JSON object per line on stdout:
//   {"kind":"browser","version":"156.0…"}
//   {"kind":"workload","name":…,"median_ms":…,"samples":…}  for each of EOSLAB_BENCH_WORKLOADS
//       (a JSON array of {"name","reps"}), run by bench(name, reps) of the wasm module on
//       bench/bench.html;
//   {"kind":"first_plot","name":"first_plot","median_ms":…,"samples":…}  time from navigation to
//       the first drawn plot of www/index.html (the earliest data-first-drawn-ms of its
//       <eoslab-figure>s: performance.now() when a figure first drew a result or a scan's rows),
//       median over fresh browser contexts;
//   {"kind":"worker_scan","name":…,"workers":…,"median_ms":…,"first_ms":…,"cold_ms":…,"cold_first_ms":…,
//    "samples":…}  a scan run by a page in its Web Workers (www/basin.html: the 512 × 512 f₁ map of
//       1,000 steps; www/bifurcation.html: the 2,000 × 1,256 double-well scan), from the page's
//       <eoslab-figure>: the medians over SCAN_REPEATS re-scans of the loaded page (total, and to
//       the first drawing), and the page's first scan from navigation start (cold_*), whose
//       workers were still starting;
//   {"kind":"error","what":…,"message":…}  for anything that could not be measured (exit code 1).
// It measures only: no timing is ever compared with a limit.

import { chromium } from 'playwright-core';

const baseUrl = process.env.EOSLAB_BASE_URL;
if (!baseUrl) {
  console.error('bench/browser.mjs: set EOSLAB_BASE_URL (cargo xtask bench does)');
  process.exit(2);
}
const workloads = JSON.parse(process.env.EOSLAB_BENCH_WORKLOADS ?? '[]');
const FIRST_PLOT_LOADS = 5;
const SCAN_REPEATS = 5;
/** The pages' scans: the same specs as the core workloads of the same names. */
const WORKER_SCANS = [
  {
    name: 'basin_f1_512x512_1000',
    page: 'www/basin.html#objective.name=unstable_convergence&objective.which=f1&eta=0.95&steps=1000&x_min=-0.5&x_max=0.5&y_min=-0.5&y_max=0.5&nx=512&ny=512',
  },
  {
    name: 'bifurcation_scan_2000x1256',
    page: 'www/bifurcation.html#objective.name=double_well&objective.mu=1&eta_min=0.05&eta_max=2&n_eta=2000&transient=1000&record=256&starts=[[0.5]]',
  },
];
// How long to wait for a page to load its module before reporting that it never became ready.
const READY_WAIT_MS = 120_000;
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let failed = false;
const emit = (record) => console.log(JSON.stringify(record));
const fail = (what, error) => {
  failed = true;
  emit({ kind: 'error', what, message: String(error?.message ?? error).split('\n')[0] });
};

/**
 * A new page in a fresh context whose console errors and uncaught exceptions go to stderr;
 * `init`, when given, runs in the page before its own scripts.
 */
async function openPage(browser, url, init = null) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (init) await page.addInitScript(init);
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[${url}] console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.error(`[${url}] uncaught: ${error.message}`));
  const response = await page.goto(`${baseUrl}/${url}`);
  if (!response || !response.ok()) throw new Error(`GET /${url} answered ${response?.status()}`);
  return { context, page };
}

async function benchWorkloads(browser) {
  const { context, page } = await openPage(browser, 'bench/bench.html');
  try {
    await page.waitForFunction(() => document.body.dataset.ready === '1' || document.body.dataset.error,
      null, { timeout: READY_WAIT_MS });
    const error = await page.evaluate(() => document.body.dataset.error);
    if (error) throw new Error(error);
    for (const { name, reps } of workloads) {
      try {
        const result = await page.evaluate(([n, r]) => window.eoslabBench.run(n, r), [name, reps]);
        emit({ kind: 'workload', ...result });
      } catch (error) {
        fail(`workload ${name}`, error);
      }
    }
  } finally {
    await context.close();
  }
}

async function firstPlot(browser) {
  const times = [];
  for (let load = 0; load < FIRST_PLOT_LOADS; load++) {
    const { context, page } = await openPage(browser, 'www/index.html');
    try {
      await page.waitForFunction(() => document.querySelector('eoslab-figure[data-first-drawn-ms]'), null, { timeout: READY_WAIT_MS });
      times.push(await page.evaluate(() => Math.min(...[...document.querySelectorAll('eoslab-figure[data-first-drawn-ms]')].map((f) => Number(f.dataset.firstDrawnMs)))));
    } finally {
      await context.close();
    }
  }
  if (!times.every(Number.isFinite)) throw new Error('data-first-drawn-ms is not a number after a figure drew');
  emit({ kind: 'first_plot', name: 'first_plot', median_ms: median(times), samples: times.length });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * A scan page's timings, from its <eoslab-figure>: its first scan (from navigation start, the
 * figure's data-first-drawn-ms and its first `result` event), then SCAN_REPEATS re-scans of the
 * same spec (from setting the spec to the first drawing after it and to the `result` event).
 */
async function workerScan(browser, { name, page: url }) {
  const { context, page } = await openPage(browser, url, () => {
    addEventListener('result', (e) => {
      if (e.target === document.querySelector('eoslab-figure')) window.eoslabFirstResult ??= performance.now();
    }, true);
  });
  try {
    await page.waitForFunction(() => window.eoslabFirstResult !== undefined, null, { timeout: READY_WAIT_MS });
    const cold = await page.evaluate(() => ({ total: window.eoslabFirstResult, first: Number(document.querySelector('eoslab-figure').dataset.firstDrawnMs) }));
    const warm = [];
    for (let k = 0; k < SCAN_REPEATS; k++) {
      warm.push(await page.evaluate(() => new Promise((resolve) => {
        const figure = document.querySelector('eoslab-figure');
        const drawn = Number(figure.dataset.drawn);
        let first = NaN;
        const started = performance.now();
        const observer = new MutationObserver(() => {
          if (Number.isNaN(first) && Number(figure.dataset.drawn) > drawn) first = performance.now() - started;
        });
        observer.observe(figure, { attributes: true, attributeFilter: ['data-drawn'] });
        figure.addEventListener('result', () => {
          observer.disconnect();
          resolve({ total: performance.now() - started, first });
        }, { once: true });
        const spec = figure.spec;
        figure.spec = spec;
      })));
    }
    if (![cold, ...warm].every((t) => Number.isFinite(t.total) && Number.isFinite(t.first))) throw new Error(`the figure gave no times: ${JSON.stringify({ cold, warm })}`);
    const workers = await page.evaluate(() => navigator.hardwareConcurrency);
    emit({
      kind: 'worker_scan', name: `${name}_workers`, workers, median_ms: median(warm.map((t) => t.total)),
      first_ms: median(warm.map((t) => t.first)), cold_ms: cold.total, cold_first_ms: cold.first, samples: warm.length,
    });
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.EOSLAB_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: CHROMIUM_ARGS,
});
try {
  emit({ kind: 'browser', version: browser.version() });
  await benchWorkloads(browser).catch((error) => fail('bench/bench.html', error));
  await firstPlot(browser).catch((error) => fail('www/index.html first plot', error));
  for (const scan of WORKER_SCANS) await workerScan(browser, scan).catch((error) => fail(`${scan.page} in workers`, error));
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
