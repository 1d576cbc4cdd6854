// The fuzz run: `node tests/fuzz/run.mjs [--cases N] [--seed S] [--jobs J] [--timeout-ms T]
// [--memory-mb M] [--module pkg/eoslab.js] [--report FILE] [--no-regressions]`.
//
// Runs the issue's regression cases (regressions.mjs) and then cases 0..N−1 of seed S
// (generate.mjs), each in a fresh node process (case.mjs) limited to T milliseconds of wall time
// and M megabytes (the JS heap through --max-old-space-size; the whole process, wasm memory
// included, by its resident size read from /proc, where there is one). A case fails if a call
// returned a non-finite number, threw an error without a field, the module no longer answered
// the reference call afterwards, or the process crashed, ran out of time or out of memory.
// Prints the counts and every failure (with the command that reproduces it) and exits 1 if any.

import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REGRESSIONS } from './regressions.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const options = {
  cases: 300, seed: 1, jobs: availableParallelism(), timeoutMs: 60_000, memoryMb: 2048,
  module: resolve(here, '../../pkg/eoslab.js'), report: null, regressions: true,
};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const value = () => {
    if (i + 1 >= args.length) throw new Error(`${args[i]} needs a value`);
    return args[++i];
  };
  const number = (name) => {
    const v = Number(value());
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number ≥ 0`);
    return v;
  };
  switch (args[i]) {
    case '--cases': options.cases = number('--cases'); break;
    case '--seed': options.seed = number('--seed'); break;
    case '--jobs': options.jobs = Math.max(1, number('--jobs')); break;
    case '--timeout-ms': options.timeoutMs = number('--timeout-ms'); break;
    case '--memory-mb': options.memoryMb = number('--memory-mb'); break;
    case '--module': options.module = resolve(value()); break;
    case '--report': options.report = resolve(value()); break;
    case '--no-regressions': options.regressions = false; break;
    default: throw new Error(`unknown option ${args[i]}`);
  }
}

/** The resident size of a process in MB, or null where /proc is not there. */
function residentMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** Runs one case in a fresh process; resolves to {name, args, ok, report?, failure?, ms, peakMb}. */
function runCase(name, caseArgs) {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${options.memoryMb}`, join(here, 'case.mjs'), options.module, ...caseArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '', stderr = '', killed = null, peakMb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    const timer = setTimeout(() => { killed = `ran out of time (${options.timeoutMs} ms)`; child.kill('SIGKILL'); }, options.timeoutMs);
    const watch = setInterval(() => {
      const mb = residentMb(child.pid);
      if (mb !== null) peakMb = Math.max(peakMb, mb);
      if (mb !== null && mb > options.memoryMb) { killed = `ran out of memory (${Math.round(mb)} MB resident)`; child.kill('SIGKILL'); }
    }, 50);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      const ms = performance.now() - started;
      let report = null;
      try { report = JSON.parse(stdout.trim().split('\n').pop()); } catch { /* no report: a crash */ }
      const failure = killed ?? (report === null ? `crashed (exit ${code}, signal ${signal}): ${stderr.trim().split('\n').slice(-6).join(' | ')}` : null);
      done({ name, args: caseArgs, ok: failure === null && report?.ok === true, report, failure, ms, peakMb });
    });
  });
}

const queue = [];
if (options.regressions) for (const name of Object.keys(REGRESSIONS)) queue.push([`regression ${name}`, ['regression', name]]);
for (let i = 0; i < options.cases; i++) queue.push([`case ${options.seed}/${i}`, [String(options.seed), String(i)]]);

const started = performance.now();
const results = [];
let next = 0;
async function worker() {
  while (next < queue.length) {
    const [name, caseArgs] = queue[next++];
    const result = await runCase(name, caseArgs);
    results.push(result);
    if (!result.ok) process.stdout.write(`FAIL ${name}\n`);
  }
}
await Promise.all(Array.from({ length: Math.min(options.jobs, queue.length) }, worker));
const seconds = (performance.now() - started) / 1000;

const totals = { cases: results.length, failed: 0, returned: 0, refused: 0, fields: {} };
for (const r of results) {
  if (!r.ok) totals.failed += 1;
  if (!r.report) continue;
  totals.returned += r.report.returned;
  for (const [field, n] of Object.entries(r.report.refused)) {
    totals.refused += n;
    totals.fields[field] = (totals.fields[field] ?? 0) + n;
  }
}
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 5);
const heaviest = [...results].sort((a, b) => b.peakMb - a.peakMb)[0];
const topFields = Object.entries(totals.fields).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([f, n]) => `${f} ${n}`).join(', ');
console.log(`eoslab fuzz: seed ${options.seed}, ${options.cases} generated cases${options.regressions ? ` + ${Object.keys(REGRESSIONS).length} regressions` : ''}, ${options.jobs} at a time, ${seconds.toFixed(1)} s`);
console.log(`  calls: ${totals.returned} returned a finite result, ${totals.refused} refused with a field (most: ${topFields})`);
console.log(`  slowest cases: ${slowest.map((r) => `${r.name} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}; largest resident size ${Math.round(heaviest?.peakMb ?? 0)} MB (${heaviest?.name})`);
for (const r of results.filter((r) => !r.ok)) {
  console.log(`FAIL ${r.name}: ${r.failure ?? ''}`);
  for (const p of r.report?.problems ?? []) console.log(`    ${p.label}\n      → ${p.problem}`);
  if (r.report && r.report.reference !== 'answers') console.log(`    after it: ${r.report.reference}`);
  console.log(`    reproduce: node tests/fuzz/case.mjs ${options.module} ${r.args.join(' ')}`);
}
console.log(totals.failed === 0 ? `eoslab fuzz: all ${totals.cases} cases passed` : `eoslab fuzz: ${totals.failed} of ${totals.cases} cases FAILED`);
if (options.report) writeFileSync(options.report, JSON.stringify({ options, seconds, totals, results }, null, 1));
process.exitCode = totals.failed === 0 ? 0 : 1;
