// Loaded with `node --import` into a `holdfast web` started by a test: the process's wall clock
// (Date.now and new Date()) reads what the test writes into the file named by
// HOLDFAST_TEST_CLOCK_FILE, read again at most every 10 ms: "fixed MS" stops the clock at MS (UTC
// milliseconds), so every time the engine stamps is exactly the one the test chose; "offset MS"
// (or nothing) runs it at the real time plus MS. Incidents are declared "now" by the engine; this
// lets a test declare them months ago, as they would have been, through the real API. Without the
// variable nothing changes.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const file = process.env.HOLDFAST_TEST_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  let setting = { fixed: null, offset: 0 };
  let readAt = -Infinity;
  const now = () => {
    const at = performance.now();
    if (at - readAt > 10) {
      readAt = at;
      try {
        const [kind, value] = readFileSync(file, 'utf8').trim().split(/\s+/);
        const ms = Number(value);
        if (Number.isFinite(ms)) setting = kind === 'fixed' ? { fixed: ms, offset: 0 } : { fixed: null, offset: ms };
      } catch {
        // not written yet: the real time
      }
    }
    return setting.fixed ?? realNow() + setting.offset;
  };
  // A function rather than a class, so Date() without `new` still answers a string.
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  Object.setPrototypeOf(ShiftedDate, RealDate);
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = now;
  globalThis.Date = ShiftedDate;
}
