// The machine's raw bcrypt rate, the ceiling of the login rate: one hash at cost 10 (BCRYPT_ROUNDS of the
// benchmark's servers), then CLIENTS concurrent async `bcrypt.compare` loops for MEASURE_MS, as the servers' login
// handlers do (the same native `@node-rs/bcrypt` package, on libuv's thread pool of the default size). Run in a process of
// its own by http.bench.mjs, so that it gets the thread pool and the event loop to itself, as a server does.
//
// Usage: node bench/bcrypt-rate.mjs [measureMs] [clients]. Prints one JSON line: {"comparesPerSecond": …, …}.

import { createRequire } from 'node:module';
import { closedLoop } from './support/load.mjs';

const require = createRequire(import.meta.url);
const bcrypt = require('@node-rs/bcrypt');

const MEASURE_MS = Number(process.argv[2] ?? 5_000);
const CLIENTS = Number(process.argv[3] ?? 8);
const COST = 10;
const PASSWORD = 'bench horse battery 0';

const hash = await bcrypt.hash(PASSWORD, COST);
let mismatches = 0;
const comparesPerSecond = await closedLoop({
  clients: CLIENTS,
  measureMs: MEASURE_MS,
  step: async () => {
    const matched = await bcrypt.compare(PASSWORD, hash);
    if (!matched) mismatches++;
    return matched;
  },
});
process.stdout.write(
  `${JSON.stringify({ comparesPerSecond, cost: COST, clients: CLIENTS, measureMs: MEASURE_MS, mismatches })}\n`,
);
process.exitCode = mismatches === 0 ? 0 : 1;
