// UI benchmark (`npm run bench -- ui`): the war room with a big timeline, in real Chromium
// against `holdfast web` in its own process. Needs the build (`npm run build`).
// 1. Seeds a fresh data folder with one incident and 50k timeline entries (--scale=0.1 for 5k).
// 2. Time to first render: from the click on the incident row to the app's
//    `holdfast:timeline-first-render` mark, on a freshly loaded page, 3 times.
// 3. Frame time while scrolling the timeline (rAF-to-rAF, frame rate limit and vsync off, so the
//    interval is what a frame costs), with the number of rows in the DOM to show virtualization.
// 4. The renderer's JS heap after a forced GC, on the incident list and after the scroll.
// 5. First: the start-up JS against its budget, and the first paint of the incident list on a cold
//    start (bench/lib/ui-startup.ts).
// Figures are printed against their targets as ratios; nothing here passes or fails on time.
// --keep leaves the data folder in place (its path is printed) to look at it in `holdfast web`;
// --cpu-profile=FILE saves the renderer's CPU profile of the scroll (open it in Chrome DevTools).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import type { OpDraft } from '@shared/ops';
import { openEngine } from '../electron/engine/engine';
import { reportStartup } from './lib/ui-startup';
import { startHoldfastWeb, type RunningWeb } from '../tests/e2e/holdfast-web';
import { chromiumExecutable, chromiumFlags } from '../tests/support/chromium';

const root = resolve(import.meta.dirname, '..');
const firstRenderMark = 'holdfast:timeline-first-render';
const sel = {
  incidentRow: '[data-testid="incident-row"]',
  navIncidents: '[data-testid="nav-incidents"]',
  scroller: '[data-testid="timeline-scroller"]',
  timelineRow: '[data-testid="timeline-row"]',
};
const targets = { firstRenderMs: 500, frameMs: 16 };
const timelineWindowMs = 6 * 60 * 60 * 1000;
const firstRenderRuns = 3;
/** Time limit of each scroll pass: a slow list would otherwise take many minutes at full scale. */
const passLimitMs = 90_000;

/** A failure the user can act on: printed as one message, without a stack. */
class BenchFailure extends Error {}

// --- Seeding -----------------------------------------------------------------------------------

const kinds = ['note', 'decision', 'action', 'observation', 'comms'] as const;
const services = ['checkout-api', 'payments-gw', 'cart-svc', 'edge-lb', 'orders-db', 'session-cache', 'inventory'];
const nodes = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
const people = ['Priya', 'Tomasz', 'Aoife', 'Kenji', 'Marta', 'Sam'];
const sentences: Record<(typeof kinds)[number], string[]> = {
  note: [
    '{svc} pods on {node} restarting every few minutes with OOMKilled.',
    'Error budget for {svc} is gone for the month.',
    '{who} is paging the on-call for {svc}.',
    'Grafana shows p99 at {n} ms on {svc}, up from 180 ms at baseline.',
    'Customer support reports a spike in tickets mentioning failed payments.',
  ],
  decision: [
    'Roll back {svc} to the previous release.',
    'Hold all deploys to eu-west until further notice.',
    'Fail over {svc} traffic from {node} to the other zones.',
    'Do not restart {svc} yet: we need a heap dump first.',
  ],
  action: [
    '{who} scaled {svc} from 12 to {n} replicas.',
    '{who} drained {node} behind edge-lb.',
    'Rollback of {svc} started by {who}.',
    '{who} raised the connection pool limit on {svc} to {n}.',
  ],
  observation: [
    '502 rate at {n} per second on edge-lb.',
    '{svc} connection pool saturated on {node}.',
    'Latency back under 300 ms on {node} after the drain.',
    'Retries from mobile clients are amplifying the load on {svc}.',
    'The last deploy of {svc} went out 14 minutes before the first alert.',
  ],
  comms: [
    'Status page updated: investigating elevated checkout errors in Europe.',
    'Update to stakeholders: about {n} orders affected so far; next update in 30 minutes.',
    'Told the support leads to use the prepared macro for failed payments.',
    'Posted in #inc-checkout: rollback in progress, expect recovery within the hour.',
  ],
};

/** Deterministic, so every run seeds the same timeline. */
function lcg(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
}

/** Mostly one or two sentences, sometimes a long paragraph, as a real timeline reads. */
function entryText(kind: (typeof kinds)[number], rand: (n: number) => number): string {
  const roll = rand(20);
  const count = roll < 10 ? 1 : roll < 16 ? 2 : roll < 19 ? 3 : 6;
  const pool = sentences[kind];
  return Array.from({ length: count }, () =>
    pool[rand(pool.length)]
      .replace('{svc}', services[rand(services.length)])
      .replace('{node}', nodes[rand(nodes.length)])
      .replace('{who}', people[rand(people.length)])
      .replace('{n}', String(40 + rand(4000))),
  ).join(' ');
}

/**
 * One incident declared 6 hours ago and `entries` timeline entries spread over those hours. The
 * engine's clock follows the timeline, so each entry is recorded right after it happened, as it
 * would have been during the incident. Returns the seconds spent.
 */
async function seed(dataDir: string, entries: number): Promise<{ seedSeconds: number; indexSeconds: number }> {
  const start = process.hrtime.bigint();
  const declaredAt = Date.now() - timelineWindowMs;
  let clock = declaredAt;
  const engine = openEngine({ dataDir, host: 'web', log: () => undefined, now: () => clock });
  try {
    const incident = await engine.handlers['incidents.create']({
      title: 'Checkout 502s in eu-west',
      severity: 'SEV1',
      summary: 'Checkout API returns 502 for a large share of EU customers since the 14:02 deploy; payments failing at the gateway.',
      // Handlers take a parsed request, so the schema's defaults are spelled out here.
      type: 'outage',
      services: ['checkout-api', 'payments-gw', 'edge-lb'],
      isDrill: false,
      detectedAt: declaredAt - 8 * 60 * 1000,
      isTakingCommand: true,
    });
    const rand = lcg(11);
    for (let done = 0; done < entries;) {
      const batch: OpDraft[] = [];
      for (const end = Math.min(entries, done + 1000); done < end; done += 1) {
        const kind = kinds[done % kinds.length];
        const eventAt = declaredAt + Math.round(((done + 1) * timelineWindowMs) / (entries + 1));
        batch.push({ entity: 'timeline_entry', rowId: '', fields: { incidentId: incident.id, kind, text: entryText(kind, rand), eventAt } });
        clock = eventAt;
      }
      engine.replica.commitLocal(batch);
    }
    const seedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    // A search indexes whatever text is still queued, so `holdfast web` does not start with a
    // backlog to index in the background while the UI is being measured.
    const indexStart = process.hrtime.bigint();
    await engine.handlers['search.query']({ text: 'rollback', limit: 1 });
    return { seedSeconds, indexSeconds: Number(process.hrtime.bigint() - indexStart) / 1e9 };
  } finally {
    await engine.close();
  }
}

// --- Browser -----------------------------------------------------------------------------------

function browserExecutable(): string | undefined {
  try {
    return chromiumExecutable();
  } catch (error) {
    throw new BenchFailure((error as Error).message);
  }
}

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: browserExecutable(),
    args: [
      ...chromiumFlags,
      // Without a frame rate limit and vsync, rAF fires as soon as the previous frame is done, so
      // the rAF interval is what a frame costs rather than the 16.7 ms of a 60 Hz display.
      '--disable-frame-rate-limit',
      '--disable-gpu-vsync',
      '--enable-precise-memory-info',
    ],
  });
}

async function heapMiB(cdp: CDPSession): Promise<{ used: number; total: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  return { used: usedSize / 1024 / 1024, total: totalSize / 1024 / 1024 };
}

/** Loads the app afresh (a navigation that only changes the hash would not reload it). */
async function openIncidentList(page: Page, openUrl: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(openUrl);
  // The app may come back on another view; the incident list is where the measurement starts.
  await page.locator(sel.navIncidents).click({ timeout: 30_000 });
  await page.locator(sel.incidentRow).first().waitFor({ timeout: 30_000 });
}

interface FirstRender {
  ms: number;
  /** The API calls made between the click and the mark, in ms after the click. */
  calls: { name: string; start: number; end: number }[];
}

/** From the click on the incident row to the app's first-render mark, and the calls in between. */
async function timeToFirstRender(page: Page): Promise<FirstRender> {
  // Clicked from inside the page so that the start and the mark are on the same clock.
  const clickedAt = await page.evaluate((rowSelector) => {
    const row = document.querySelector<HTMLElement>(rowSelector);
    if (!row) throw new Error(`no ${rowSelector}`);
    const at = performance.now();
    row.click();
    return at;
  }, sel.incidentRow);
  try {
    await page.locator(sel.scroller).waitFor({ state: 'attached', timeout: 30_000 });
  } catch {
    throw new BenchFailure(`the war room timeline did not appear: no ${sel.scroller} within 30 s of clicking ${sel.incidentRow}`);
  }
  let markedAt: number;
  try {
    const mark = await page.waitForFunction(
      ({ name, after }) => performance.getEntriesByName(name).find((e) => e.startTime >= after)?.startTime,
      { name: firstRenderMark, after: clickedAt },
      { timeout: 30_000 },
    );
    markedAt = (await mark.jsonValue()) as number;
  } catch {
    throw new BenchFailure(`the timeline appeared but the app made no performance.mark('${firstRenderMark}') within 30 s`);
  }
  // The web transport makes each call a fetch, so resource timing shows where the wait went.
  const calls = await page.evaluate(
    ({ from, to }) =>
      performance
        .getEntriesByType('resource')
        .filter((e): e is PerformanceResourceTiming => e.name.includes('/api/call/') && e.startTime >= from && e.startTime <= to)
        .map((e) => ({ name: decodeURIComponent(new URL(e.name).pathname.split('/').at(-1) ?? ''), start: e.startTime - from, end: e.responseEnd - from })),
    { from: clickedAt, to: markedAt },
  );
  return { ms: markedAt - clickedAt, calls };
}

interface ScrollPass {
  name: string;
  /** rAF-to-rAF intervals (ms) of the frames that followed a scroll step. */
  frames: number[];
  /** Most and fewest timeline rows in the DOM at any frame of the pass. */
  maxRows: number;
  minRows: number;
  /** Positions where the scroll paused to check that rows fill the view. */
  checks: number;
  /** Of those, how many still showed no row after a second. */
  blankChecks: number;
  /** Longest wait (ms) at a checked position until a row was in view. */
  slowestFillMs: number;
  /** Stopped by the time limit before the pass was over. */
  isTruncated: boolean;
  /** Where the pass ended, as a share of the scrollable height (0 top, 1 bottom). */
  endedAt: number;
}

interface ScrollReport {
  passes: ScrollPass[];
  scrollHeight: number;
  clientHeight: number;
}

/**
 * Runs in the page: scrolls the timeline in rAF-driven steps, one step a frame, and records each
 * frame's interval. Everything it uses comes in as arguments because it is serialized into the page.
 */
async function scrollInPage(args: { scroller: string; row: string; passLimitMs: number; checkEvery: number }): Promise<ScrollReport> {
  const scroller = document.querySelector<HTMLElement>(args.scroller);
  if (!scroller) throw new Error(`no ${args.scroller}`);
  const nextFrame = () => new Promise<number>((done) => requestAnimationFrame(done));
  const maxTop = () => scroller.scrollHeight - scroller.clientHeight;
  const isRowInView = () => {
    const box = scroller.getBoundingClientRect();
    return Array.from(scroller.querySelectorAll(args.row)).some((row) => {
      const r = row.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom;
    });
  };

  /**
   * `step` returns the next scrollTop, or null when the pass is over. A virtualized list renders
   * on the scroll event that follows the move, and may have to fetch the rows it lands on, so
   * after a jump of more than its overscan the view is empty for a frame or more whatever the list
   * does. Rows in view are therefore checked by pausing every `checkEvery` steps until they
   * appear, outside the frames being timed. Each pass has its own time limit, so a slow list
   * still gets figures for every kind of scroll.
   */
  const drive = async (name: string, step: () => number | null): Promise<ScrollPass> => {
    const pass: ScrollPass = {
      name,
      frames: [],
      maxRows: 0,
      minRows: Number.POSITIVE_INFINITY,
      checks: 0,
      blankChecks: 0,
      slowestFillMs: 0,
      isTruncated: false,
      endedAt: 0,
    };
    const deadline = performance.now() + args.passLimitMs;
    let previous = await nextFrame();
    let hasMoved = false;
    let steps = 0;
    for (;;) {
      const now = await nextFrame();
      if (hasMoved) {
        pass.frames.push(now - previous);
        const rows = scroller.querySelectorAll(args.row).length;
        pass.maxRows = Math.max(pass.maxRows, rows);
        pass.minRows = Math.min(pass.minRows, rows);
      }
      previous = now;
      if (hasMoved && steps % args.checkEvery === 0) {
        pass.checks += 1;
        const pausedAt = performance.now();
        while (!isRowInView() && performance.now() - pausedAt < 1000) await nextFrame();
        if (isRowInView()) pass.slowestFillMs = Math.max(pass.slowestFillMs, performance.now() - pausedAt);
        else pass.blankChecks += 1;
        previous = await nextFrame();
      }
      if (performance.now() > deadline) {
        pass.isTruncated = true;
        break;
      }
      const top = step();
      if (top === null) break;
      hasMoved = Math.abs(top - scroller.scrollTop) >= 1;
      if (hasMoved) steps += 1;
      scroller.scrollTop = top;
    }
    if (pass.frames.length === 0) pass.minRows = 0;
    pass.endedAt = maxTop() > 0 ? scroller.scrollTop / maxTop() : 0;
    return pass;
  };

  const passes: ScrollPass[] = [];
  const jump = 1.5 * scroller.clientHeight;
  scroller.scrollTop = 0;
  await nextFrame();

  // Down in big jumps. At the bottom, wait up to a second for more rows (an older page loading
  // in) before calling it the end, and carry on down if the timeline grew.
  let bottomSince: number | null = null;
  passes.push(
    await drive('jump down (1.5 viewports/frame)', () => {
      if (scroller.scrollTop < maxTop() - 1) {
        bottomSince = null;
        return Math.min(maxTop(), scroller.scrollTop + jump);
      }
      bottomSince ??= performance.now();
      return performance.now() - bottomSince < 1000 ? scroller.scrollTop : null;
    }),
  );
  passes.push(await drive('jump up (1.5 viewports/frame)', () => (scroller.scrollTop > 0 ? Math.max(0, scroller.scrollTop - jump) : null)));

  // Wheel-like: 120 px a frame over a region in the middle of the timeline, down then back up,
  // starting once the rows there have arrived so the pass times scrolling, not the jump to it.
  const wheelSteps = 400;
  scroller.scrollTop = Math.round(maxTop() * 0.4);
  const jumpedAt = performance.now();
  do {
    await nextFrame();
  } while (!isRowInView() && performance.now() - jumpedAt < 2000);
  let wheelStep = 0;
  passes.push(
    await drive(`wheel (120 px/frame, ${wheelSteps} down + ${wheelSteps} up)`, () => {
      wheelStep += 1;
      if (wheelStep > 2 * wheelSteps) return null;
      const direction = wheelStep <= wheelSteps ? 1 : -1;
      return Math.max(0, Math.min(maxTop(), scroller.scrollTop + direction * 120));
    }),
  );

  return { passes, scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight };
}

// --- Report ------------------------------------------------------------------------------------

function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const count = (n: number) => Math.round(n).toLocaleString('en-US');

function frameLine(frames: number[]): string {
  const p95 = percentile(frames, 0.95);
  return (
    `p50 ${fmt(percentile(frames, 0.5))} ms  p95 ${fmt(p95)} ms  max ${fmt(Math.max(...frames))} ms  ` +
    `(${count(frames.length)} frames; target p95 < ${targets.frameMs} ms: ratio ${fmt(p95 / targets.frameMs, 2)})`
  );
}

function reportPageErrors(pageErrors: string[], consoleErrors: Set<string>, say: (line: string) => void): void {
  if (pageErrors.length > 0) say(`uncaught errors in the page: ${pageErrors.length}; first: ${pageErrors[0]}`);
  for (const text of [...consoleErrors].slice(0, 5)) say(`console error in the page: ${text}`);
}

export async function run(args: string[]): Promise<number> {
  const scale = Number(args.find((a) => a.startsWith('--scale='))?.slice(8) ?? '1');
  const isKept = args.includes('--keep');
  const profileFile = args.find((a) => a.startsWith('--cpu-profile='))?.slice(14);
  const entries = Math.max(1, Math.round(50_000 * scale));
  if (!existsSync(join(root, 'out/main/cli.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
    console.error('ui bench: the app is not built; run `npm run build` first.');
    return 1;
  }

  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-ui-'));
  const dataDir = join(workDir, 'data');
  let web: RunningWeb | undefined;
  let browser: Browser | undefined;
  // Uncaught exceptions, and what the page logged as errors (deduplicated): printed at the end.
  const pageErrors: string[] = [];
  const consoleErrors = new Set<string>();
  try {
    // Frame times depend on what else the machine is doing, so say how busy it was.
    const load = loadavg()
      .map((n) => n.toFixed(1))
      .join(' ');
    console.log(`ui bench (${new Date().toISOString()}, node ${process.version}, ${availableParallelism()} CPUs, load average ${load})`);
    const seeded = await seed(dataDir, entries);
    console.log(`seeded 1 incident with ${count(entries)} timeline entries in ${fmt(seeded.seedSeconds, 2)} s (${count(entries / seeded.seedSeconds)} entries/s)`);
    console.log(`  (full-text indexing of the seeded text: ${fmt(seeded.indexSeconds, 2)} s, before the browser starts)`);

    web = await startHoldfastWeb(dataDir).catch((error: Error) => {
      // Most often a build older than the source that seeded the data (a newer schema).
      throw new BenchFailure(`${error.message.trim()}\n(is the build current? run \`npm run build\`)`);
    });
    browser = await launchBrowser();
    console.log(`holdfast web at ${web.url}, ${browser.browserType().name()} ${browser.version()} headless, viewport 1440x900`);
    await reportStartup(browser, web.openUrl, join(root, 'out/renderer'), console.log);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.add(message.text());
    });
    const cdp = await page.context().newCDPSession(page);

    // Time to first render, each time from a freshly loaded app (the mark is made once per load).
    const runs: FirstRender[] = [];
    let listHeap: { used: number; total: number } | undefined;
    for (let i = 0; i < firstRenderRuns; i += 1) {
      await openIncidentList(page, web.openUrl);
      listHeap ??= await heapMiB(cdp);
      runs.push(await timeToFirstRender(page));
    }
    const times = runs.map((r) => r.ms);
    const median = percentile(times, 0.5);
    const worst = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.log(`time to first render of the timeline (click on the incident to first rows painted), ${firstRenderRuns} page loads:`);
    console.log(`  ${times.map((ms) => `${fmt(ms, 0)} ms`).join(', ')}`);
    console.log(
      `  median ${fmt(median, 0)} ms, worst ${fmt(worst.ms, 0)} ms  ` +
        `(target < ${targets.firstRenderMs} ms: ratio ${fmt(median / targets.firstRenderMs, 2)} median, ${fmt(worst.ms / targets.firstRenderMs, 2)} worst)`,
    );
    // What the worst run waited for: the calls started before the mark (a * means still in flight).
    const calls = worst.calls.map((c) => `${c.name} ${fmt(c.start, 0)}-${fmt(c.end, 0)}${c.end > worst.ms ? '*' : ''}`);
    const lastResponse = Math.max(0, ...worst.calls.filter((c) => c.end <= worst.ms).map((c) => c.end));
    console.log(`  worst run, API calls started before the mark (ms after the click; * = still in flight at the mark):`);
    console.log(`    ${calls.join(', ') || 'none'}`);
    console.log(`    last response before the mark at ${fmt(lastResponse, 0)} ms, mark at ${fmt(worst.ms, 0)} ms`);

    // Let the war room settle (later pages, fonts) so the scroll measures scrolling.
    await page.waitForTimeout(1000);
    const box = await page.locator(sel.scroller).evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    if (box.scrollHeight <= box.clientHeight) {
      throw new BenchFailure(`the timeline does not scroll: ${sel.scroller} is ${box.scrollHeight} px high in a ${box.clientHeight} px box`);
    }
    if (profileFile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const scrolled = await page.evaluate(scrollInPage, { scroller: sel.scroller, row: sel.timelineRow, passLimitMs, checkEvery: 10 });
    if (profileFile) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(profileFile, JSON.stringify(profile));
    }
    console.log(`frame time while scrolling (timeline ${count(scrolled.scrollHeight)} px high in a ${count(scrolled.clientHeight)} px box, one step a frame):`);
    for (const pass of scrolled.passes) {
      console.log(`  ${pass.name}: ${frameLine(pass.frames)}`);
      console.log(
        `    timeline rows in the DOM per frame: ${pass.minRows} to ${pass.maxRows} of ${count(entries)}; rows in view at ${pass.checks - pass.blankChecks} of ${pass.checks} checked positions ` +
          `(slowest to fill: ${fmt(pass.slowestFillMs)} ms)`,
      );
      if (pass.isTruncated) console.log(`    (stopped after ${passLimitMs / 1000} s, ${fmt(100 * pass.endedAt, 0)}% of the way down the timeline)`);
    }
    const allFrames = scrolled.passes.flatMap((p) => p.frames);
    const maxRows = Math.max(...scrolled.passes.map((p) => p.maxRows));
    console.log(`  all passes: ${frameLine(allFrames)}`);
    // With vsync still on, nearly every interval would be a multiple of 16.7 ms.
    const vsync = 1000 / 60;
    const onVsync = allFrames.filter((ms) => Math.min(ms % vsync, vsync - (ms % vsync)) < 0.6).length / allFrames.length;
    if (onVsync > 0.8) console.log(`  (${fmt(100 * onVsync, 0)}% of frames are multiples of 16.7 ms: vsync looks on, so these figures are floored by it)`);
    console.log(`  most timeline rows in the DOM at once: ${maxRows} of ${count(entries)} entries (${fmt((100 * maxRows) / entries, 2)}%)`);

    const scrolledHeap = await heapMiB(cdp);
    console.log('renderer JS heap after a forced GC:');
    if (listHeap) console.log(`  incident list, before opening the war room: ${fmt(listHeap.used)} MiB used of ${fmt(listHeap.total)} MiB`);
    console.log(`  war room, after the scroll:                 ${fmt(scrolledHeap.used)} MiB used of ${fmt(scrolledHeap.total)} MiB`);
    if (profileFile) console.log(`CPU profile of the scroll written to ${profileFile}`);
    reportPageErrors(pageErrors, consoleErrors, console.log);
    return 0;
  } catch (error) {
    if (!(error instanceof BenchFailure)) throw error;
    console.error(`ui bench: ${error.message}`);
    reportPageErrors(pageErrors, consoleErrors, console.error);
    return 1;
  } finally {
    await browser?.close();
    await web?.stop();
    if (isKept) console.log(`data kept in ${dataDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}
