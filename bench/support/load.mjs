// Closed-loop load: a fixed number of clients, each starting its next operation as soon as the last one ends.

import { performance } from 'node:perf_hooks';

/**
 * Runs `clients` loops of `step(client)` for `warmupMs + measureMs`; returns the successful steps (those resolving
 * to true) that end inside the measured window, per second. Steps still running when the window closes finish
 * before this resolves, uncounted, so that the next measurement starts on an idle server.
 */
export async function closedLoop({ clients, warmupMs = 0, measureMs, step }) {
  const from = performance.now() + warmupMs;
  const until = from + measureMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < until) {
        const ok = await step(client);
        const end = performance.now();
        if (ok && end >= from && end <= until) done++;
      }
    }),
  );
  return done / (measureMs / 1000);
}
