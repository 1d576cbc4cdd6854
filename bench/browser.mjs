// bench/browser.mjs: the browser half of `cargo xtask bench`.
//
// Drives Debian's Chromium headless through playwright-core against the static server at
// EOSLAB_BASE_URL and prints one JSON object per line on stdout:
//   {"kind":"browser","version":"156.0…"}
//   {"kind":"workload","name":…,"median_ms":…,"samples":…}  for each of EOSLAB_BENCH_WORKLOADS
//       (a JSON array of {"name","reps"}), run by bench(name, reps) of the wasm module on
//       bench/bench.html;
//   {"kind":"first_plot","name":"first_plot","median_ms":…,"samples":…}  time from navigation to
//       the first drawn plot of www/index.html (window.eoslabFirstPlotMs, set with
//       document.body.dataset.ready = "1"), median over fresh browser contexts;
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

/** A new page in a fresh context whose console errors and uncaught exceptions go to stderr. */
async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
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
      await page.waitForFunction(() => document.body?.dataset.ready === '1', null, { timeout: READY_WAIT_MS });
      times.push(await page.evaluate(() => window.eoslabFirstPlotMs));
    } finally {
      await context.close();
    }
  }
  if (!times.every(Number.isFinite)) throw new Error('window.eoslabFirstPlotMs is not a number after the page was ready');
  times.sort((a, b) => a - b);
  const middle = times.length >> 1;
  const median = times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
  emit({ kind: 'first_plot', name: 'first_plot', median_ms: median, samples: times.length });
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
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
