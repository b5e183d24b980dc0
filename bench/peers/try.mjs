// Smoke runner for the peer benchmarks: `node bench/peers/try.mjs [records]` (default 5000) runs
// the Actual and PouchDB peers one after the other on 127.0.0.1 and prints records/second.
import { benchActual } from './actual.mjs';
import { benchPouch } from './pouchdb.mjs';

const records = Number(process.argv[2] ?? 5000);
if (!Number.isInteger(records) || records <= 0) {
  process.stderr.write('usage: node bench/peers/try.mjs [records]\n');
  process.exit(2);
}
const log = (msg) => process.stdout.write(`  ${msg}\n`);
const rate = (n) => `${Math.round(n).toLocaleString('en-US')}/s`.padStart(11);

for (const [name, bench] of [
  ['actual', benchActual],
  ['pouchdb', benchPouch],
]) {
  process.stdout.write(`${name}: ${records} records\n`);
  const start = performance.now();
  const r = await bench({ records, log });
  const wall = ((performance.now() - start) / 1000).toFixed(1);
  process.stdout.write(
    `${name.padEnd(8)} push ${rate(r.pushPerSec)}  catch-up ${rate(r.catchUpPerSec)}  ` +
      `(records ${r.records}, wall ${wall} s incl. setup)\n`,
  );
}
