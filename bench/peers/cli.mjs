// Runs one peer benchmark and prints its rates as one JSON line (called by bench/sync.ts, which
// keeps the peers in their own process and node_modules).
import { benchActual } from './actual.mjs';
import { benchPouch } from './pouchdb.mjs';

const [name, count] = process.argv.slice(2);
const records = Number(count);
const run = { actual: benchActual, pouchdb: benchPouch }[name];
if (!run || !Number.isInteger(records) || records <= 0) {
  process.stderr.write('usage: node bench/peers/cli.mjs actual|pouchdb RECORDS\n');
  process.exit(2);
}
const result = await run({ records, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ pushPerSec: result.pushPerSec, catchUpPerSec: result.catchUpPerSec })}\n`);
