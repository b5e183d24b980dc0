// The reports as PDF, the way `holdfast web` users get them: the browser prints the HTML report.
// A real engine (real SQLite file) holds an incident with a pinned and a corrected timeline entry,
// a long timeline, evidence with custody, a review and an action item; its incident report and
// audit evidence report are rendered as HTML, loaded into real Chromium (Playwright's, or the
// system's: tests/support/chromium.ts), checked on screen (the title shown as text, no request
// made, no script run) and printed with page.pdf() under print CSS: a PDF of a sensible size and
// more than one page comes out, whose document title is the report's, with the incident title.
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { chromiumExecutable, chromiumFlags } from '../support/chromium';
import { call, openTestEngine } from '../support/engines';
import { hostileTitle as title, pdfProblems, printToPdf, reportKinds } from '../support/report-pdf';

function person(name: string): Engine {
  const engine = openTestEngine();
  engine.replica.setActor(name);
  return engine;
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumFlags });
});
afterAll(async () => {
  await browser?.close();
});

describe('reports as PDF', () => {
  it('prints the incident and audit reports of a real incident to PDF in Chromium', async () => {
    const ravi = person('ravi');
    const incident = await call(ravi, 'incidents.create', { title, severity: 'SEV1', services: ['checkout'], summary: 'Card payments failed after deploy 4512.' });
    const entry = await call(ravi, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failed over to orders-db-3' });
    await call(ravi, 'timeline.pin', { entryId: entry.id, isPinned: true });
    await call(ravi, 'timeline.correct', { entryId: entry.id, text: 'Failed over to orders-db-2' });
    for (let i = 1; i <= 60; i += 1)
      await call(ravi, 'timeline.add', { incidentId: incident.id, kind: 'note', text: `Checked payments node ${i}: error rate ${40 - (i % 40)}%` });
    const artifact = await call(ravi, 'evidence.add', { incidentId: incident.id, artifactType: 'log', asset: 'payments-api-1', what: 'Payments API log' });
    await call(ravi, 'evidence.recordCollection', {
      artifactId: artifact.id,
      collector: { name: 'Ravi Rao' },
      hostIds: ['payments-api-1'],
      acquisitionStart: Date.now() - 60_000,
      acquisitionEnd: Date.now(),
      collectorTimeZone: 'Europe/London',
      tool: 'journalctl',
      storageLocation: 's3://evidence/pay/',
      size: 2048,
      sha256: 'ab'.repeat(32),
    });
    await call(ravi, 'evidence.addCustody', { artifactId: artifact.id, action: 'transferred', from: 'Ravi Rao', to: 'Forensics desk', purpose: 'analysis' });
    await call(ravi, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    await call(ravi, 'reviews.generate', { incidentId: incident.id });
    await call(ravi, 'reviews.save', { incidentId: incident.id, body: '# What happened\n\nDeploy **4512** broke card payments.', factors: ['change-management'] });
    await call(ravi, 'actions.add', { incidentId: incident.id, title: 'Canary payments deploys', type: 'prevent' });

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    for (const [kind, heading] of reportKinds) {
      const { text: html } = await call(ravi, 'reports.render', { incidentId: incident.id, kind, format: 'html' });
      await page.setContent(html);
      // The title is text on the page, never markup: nothing of it ran.
      expect(await page.locator('h1').textContent()).toBe(title);
      expect(await page.locator('header .kind').textContent()).toBe(heading);
      expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
      if (kind === 'audit') expect(await page.locator('.verdict').first().textContent()).toMatch(/^INTACT: /);

      expect(pdfProblems(await printToPdf(page), { title: `${heading}: ${title}`, minBytes: 20_000 })).toEqual([]);
    }
    expect(requests).toEqual([]);
    await page.close();
  });
});
