// Start-up figures for the UI bench: the size of the JS the app loads before its first screen (the
// entry script and its preloads in index.html), and the time to the first paint of the incident
// list on a cold start (a fresh browser profile: nothing cached), loaded from `holdfast web`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';

/** The budget for the JS loaded at start-up, minified. */
export const initialJsBudgetBytes = 700 * 1000;

export interface InitialBundle {
  files: string[];
  bytes: number;
  /** Bytes as served compressed (brotli, else gzip, else as is). */
  servedBytes: number;
}

/** The scripts index.html loads before anything else: its module entry and every modulepreload. */
export function initialBundle(rendererDir: string): InitialBundle {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const served = (file: string) => {
    for (const suffix of ['.br', '.gz', '']) {
      const path = join(rendererDir, file + suffix);
      if (existsSync(path)) return statSync(path).size;
    }
    return 0;
  };
  return {
    files,
    bytes: files.reduce((sum, f) => sum + statSync(join(rendererDir, f)).size, 0),
    servedBytes: files.reduce((sum, f) => sum + served(f), 0),
  };
}

export interface ColdStart {
  /** The browser's first contentful paint, ms after navigation start. */
  firstPaintMs: number;
  /** First frame painted with an incident row in it, ms after navigation start. */
  incidentListMs: number;
  /** Script bytes over the wire and decoded, from resource timing. */
  scriptTransferBytes: number;
  scriptDecodedBytes: number;
}

const rowSelector = '[data-testid="incident-row"]';

/**
 * One cold start: a new browser context (empty cache), the app loaded from its URL; the frame
 * after the first incident row is in the DOM counts as the list's first paint.
 */
export async function coldStart(browser: Browser, openUrl: string, viewport: { width: number; height: number }): Promise<ColdStart> {
  const context = await browser.newContext({ viewport });
  try {
    await context.addInitScript((selector) => {
      const done = (at: number) => Object.assign(window, { __holdfastListPaint: at });
      const observer = new MutationObserver(() => {
        if (!document.querySelector(selector)) return;
        observer.disconnect();
        requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
      });
      observer.observe(document, { childList: true, subtree: true });
    }, rowSelector);
    const page = await context.newPage();
    await page.goto(openUrl);
    const listAt = await page.waitForFunction(() => (window as unknown as { __holdfastListPaint?: number }).__holdfastListPaint, undefined, { timeout: 30_000 });
    const incidentListMs = (await listAt.jsonValue()) as number;
    return await page.evaluate((listMs) => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const scripts = performance
        .getEntriesByType('resource')
        .filter((e): e is PerformanceResourceTiming => e instanceof PerformanceResourceTiming && e.name.endsWith('.js') && e.startTime < listMs);
      return {
        firstPaintMs: paint?.startTime ?? Number.NaN,
        incidentListMs: listMs,
        scriptTransferBytes: scripts.reduce((n, e) => n + e.transferSize, 0),
        scriptDecodedBytes: scripts.reduce((n, e) => n + e.decodedBodySize, 0),
      };
    }, incidentListMs);
  } finally {
    await context.close();
  }
}

const coldRuns = 3;
const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Prints the start-up figures: the initial bundle against its budget, and 3 cold starts. */
export async function reportStartup(browser: Browser, openUrl: string, rendererDir: string, say: (line: string) => void): Promise<void> {
  const bundle = initialBundle(rendererDir);
  say(
    `initial JS (index.html's entry and preloads, ${bundle.files.length} files): ${kb(bundle.bytes)} minified, ${kb(bundle.servedBytes)} served compressed ` +
      `(budget ${kb(initialJsBudgetBytes)}: ratio ${(bundle.bytes / initialJsBudgetBytes).toFixed(2)})`,
  );
  const runs: ColdStart[] = [];
  for (let i = 0; i < coldRuns; i += 1) runs.push(await coldStart(browser, openUrl, { width: 1440, height: 900 }));
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  say(`cold start (fresh browser profile, nothing cached), ${coldRuns} loads, ms after navigation start:`);
  say(`  first contentful paint: ${runs.map((r) => ms(r.firstPaintMs)).join(', ')} (median ${ms(median(runs.map((r) => r.firstPaintMs)))})`);
  say(`  first paint of the incident list: ${runs.map((r) => ms(r.incidentListMs)).join(', ')} (median ${ms(median(runs.map((r) => r.incidentListMs)))})`);
  say(`  scripts loaded before it: ${kb(runs[0].scriptTransferBytes)} over the wire, ${kb(runs[0].scriptDecodedBytes)} decoded`);
}
