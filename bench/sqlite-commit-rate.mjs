// The machine's one-row durable commit rate on SQLite, the ceiling of refresh rotations on the embedded default:
// better-sqlite3 (the servers' driver) on a file in the given directory, in WAL mode with `synchronous=FULL` (the
// servers' settings: the write-ahead log is synced at every commit), one INSERT of one row per transaction, as fast
// as one connection goes, for MEASURE_MS. Run in a process of its own (http.bench.mjs and refresh.bench.mjs), so
// that it has a core to itself as a server would.
//
// Usage: node bench/sqlite-commit-rate.mjs <dir> [measureMs]. Prints one JSON line: {"commitsPerSecond": …, …}.

import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const dir = process.argv[2];
const MEASURE_MS = Number(process.argv[3] ?? 3_000);
const WARMUP_MS = 300;
const file = join(dir, `commit-rate-${process.pid}.sqlite`);

const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, value TEXT NOT NULL, at INTEGER NOT NULL)',
);
// A row about the size of a refresh token's: an id and a few columns.
const insert = db.prepare('INSERT INTO probe (value, at) VALUES (?, ?)');
const value = 'x'.repeat(36);

const warmupEnd = performance.now() + WARMUP_MS;
while (performance.now() < warmupEnd) insert.run(value, Date.now());
let commits = 0;
const start = performance.now();
const end = start + MEASURE_MS;
while (performance.now() < end) {
  insert.run(value, Date.now());
  commits++;
}
const seconds = (performance.now() - start) / 1000;
db.close();
for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
process.stdout.write(
  `${JSON.stringify({ commitsPerSecond: commits / seconds, measureMs: MEASURE_MS, synchronous: 'FULL', journal: 'WAL' })}\n`,
);
