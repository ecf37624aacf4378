// The live heap of a running server: what is still reachable after a full garbage collection, read over the
// DevTools protocol. RSS alone cannot tell a leak from V8's heap sizing: under load V8 grows the young generation
// (to 128 MB on a machine with this much memory) and lets the old generation fill with promoted garbage up to its
// next major collection, so RSS climbs by a couple of hundred megabytes and then stays; a leak is what survives a
// full collection, and keeps growing with the requests.
//
// The server must have been started with `--inspect-port=0` (startServer's `nodeArgs`): its inspector stays off
// until the first reading sends it SIGUSR1, then listens on 127.0.0.1 on a port of its own choosing, which it
// prints on standard error ("Debugger listening on ws://…").

import { performance } from 'node:perf_hooks';

const LISTEN_TIMEOUT_MS = 10_000;

/** Sends SIGUSR1 once and waits for the inspector's WebSocket address in the server's standard error. */
async function inspectorUrl(server) {
  if (server.inspectorUrl) return server.inspectorUrl;
  process.kill(server.pid, 'SIGUSR1');
  const t0 = performance.now();
  for (;;) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(server.errTail);
    if (match) return (server.inspectorUrl = match[1]);
    if (performance.now() - t0 > LISTEN_TIMEOUT_MS)
      throw new Error(
        `${server.name}: no inspector after SIGUSR1 (started without --inspect-port=0?)`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls DevTools protocol methods in order over one connection; resolves with their results. */
async function callInspector(url, methods) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot reach the inspector at ${url}`));
  });
  const pending = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  };
  try {
    const results = [];
    for (const [id, method] of methods.entries()) {
      const answer = await new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params: {} }));
      });
      if (answer.error) throw new Error(`${method}: ${answer.error.message}`);
      results.push(answer.result);
    }
    return results;
  } finally {
    socket.close();
  }
}

/** MB reachable on the server's V8 heap right after a full collection (`Runtime.getHeapUsage().usedSize`). */
export async function liveHeapMb(server) {
  const url = await inspectorUrl(server);
  const [, usage] = await callInspector(url, [
    'HeapProfiler.collectGarbage',
    'Runtime.getHeapUsage',
  ]);
  return usage.usedSize / 1024 / 1024;
}
