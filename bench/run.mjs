// `npm run bench`: every benchmark section in one run, then one summary of every figure that has a target (the
// issue's "What to build" 1-6), with ok/MISS, and the machine's load at the start and the end.
//
// Sections, in order (each a script of its own, in a process of its own, its output passed through):
//   host        host.bench.mjs: guard (paired rounds: module guard vs the NestJS docs' recipe in a minimal Nest app,
//               reference /protected vs /public, step-up route vs plain route) and boot (boot time, RSS, core-only
//               footprint, unregistered features in memory); items 1, 2, 5 and the step-up of 6
//   load        http.bench.mjs: refresh vs SQLite's durable commit rate, login storm (p99 of guarded requests,
//               logins vs raw bcrypt), forgot-password timing, leak check (live heap); items 3 and 4
//   features    features.bench.mjs: login + TOTP vs plain login, cross-instance revocation of a factor removal,
//               the passkey slot; item 6
//   propagation propagation.bench.mjs: cross-instance revocation of a logout (information)
//   realtime    realtime.bench.mjs: GraphQL and socket.io (information)
// BENCH_ONLY=<section> runs one section; BENCH_ONLY=guard|boot (host), refresh|storm|forgot|rss (load) one part of
// it. The other BENCH_* variables reach every script (see each script's header). Exit code 1 when a script fails
// (a failed request, a crash); a MISS fails the run only with BENCH_STRICT=1.

import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { log, logTable, verdictOf } from './support/report.mjs';
import { ROOT } from './support/servers.mjs';

const SECTIONS = [
  { name: 'host', script: 'host.bench.mjs', parts: ['guard', 'boot'] },
  { name: 'load', script: 'http.bench.mjs', parts: ['refresh', 'storm', 'forgot', 'rss'] },
  { name: 'features', script: 'features.bench.mjs', parts: [] },
  { name: 'propagation', script: 'propagation.bench.mjs', parts: [] },
  { name: 'realtime', script: 'realtime.bench.mjs', parts: [] },
];

const only = process.env.BENCH_ONLY;
const chosen =
  only === undefined || only === ''
    ? SECTIONS
    : SECTIONS.filter((section) => section.name === only || section.parts.includes(only));
if (chosen.length === 0) {
  const names = SECTIONS.flatMap((section) => [section.name, ...section.parts]);
  process.stderr.write(`BENCH_ONLY must be one of ${names.join(', ')} (got "${only}")\n`);
  process.exit(2);
}

/** Runs one section's script; its lines are passed through, its CHECK lines kept for the summary. */
function runSection(section, checks) {
  return new Promise((resolve) => {
    // The features section imports the tests' software authenticator, a TypeScript file Node strips on import: it
    // would warn that the file's module type is not declared (it is ESM syntax in a CommonJS package), every run.
    const args = [
      '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
      join(ROOT, 'bench', section.script),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    // Ctrl-C reaches the child too (same process group); it cleans up after itself.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('CHECK '))
        checks.push({ section: section.name, ...JSON.parse(line.slice(6)) });
      else log(line);
    });
    child.on('exit', (code, signal) => resolve(code === 0 ? 0 : (code ?? (signal ? 1 : 0))));
  });
}

const startedAt = performance.now();
const loadAtStart = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
log(
  `npm run bench: ${chosen.map((section) => section.name).join(', ')}; load average ${loadAtStart}`,
);
const checks = [];
const failed = [];
for (const section of chosen) {
  log('');
  log(`=== ${section.name} (${section.script}) ===`);
  const code = await runSection(section, checks);
  if (code !== 0) failed.push(section.name);
}

log('');
log('=== summary: every figure with a target ===');
const targeted = checks.filter((entry) => entry.min !== undefined || entry.max !== undefined);
logTable(
  ['section', 'figure', 'adapter', 'value (target)'],
  targeted.map((entry) => [entry.section, entry.figure, entry.adapter, verdictOf(entry)]),
  [11, 52, 8, 40],
);
const misses = targeted.filter((entry) => entry.ok === false);
log(`targets: ${targeted.filter((entry) => entry.ok).length} ok, ${misses.length} MISS`);
log(`sections that failed (errors, not misses): ${failed.length ? failed.join(', ') : 'none'}`);
log(
  `load average at the start: ${loadAtStart}; at the end: ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
log(`total time: ${Math.round((performance.now() - startedAt) / 1000)} s`);
process.exitCode =
  failed.length > 0 || (process.env.BENCH_STRICT === '1' && misses.length > 0) ? 1 : 0;
