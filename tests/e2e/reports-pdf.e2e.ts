// Reports as PDF from a real `holdfast web`, the way a browser user gets them: the incident is
// written through the web bridge, its incident report and audit evidence report are asked for as
// HTML (`reports.render`), shown in Chromium (the title as text, nothing run, nothing fetched) and
// printed under print CSS with page.pdf(): a PDF of a sensible size whose document title is the
// report's, with the incident title in it.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { hostileTitle as title, pdfProblems, printToPdf, reportKinds } from '../support/report-pdf';

test('holdfast web renders both reports as HTML that Chromium prints to PDF', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  try {
    const incident = await callApi(web, 'incidents.create', { title, severity: 'SEV1', services: ['checkout'], summary: 'Card payments failed after deploy 4512.' });
    const entry = await callApi(web, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failed over to orders-db-3' });
    await callApi(web, 'timeline.pin', { entryId: entry.id, isPinned: true });
    await callApi(web, 'timeline.correct', { entryId: entry.id, text: 'Failed over to orders-db-2' });
    for (let i = 1; i <= 40; i += 1) await callApi(web, 'timeline.add', { incidentId: incident.id, kind: 'note', text: `Checked payments node ${i}` });
    await callApi(web, 'incidents.setStatus', { id: incident.id, status: 'resolved' });

    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    for (const [kind, heading] of reportKinds) {
      const report = await callApi(web, 'reports.render', { incidentId: incident.id, kind, format: 'html' });
      expect(report).toMatchObject({ mimeType: 'text/html', fileName: `incident-${incident.id}-${kind === 'incident' ? 'report' : 'audit'}.html` });
      await page.setContent(report.text);
      await expect(page.locator('h1')).toHaveText(title);
      await expect(page.locator('header .kind')).toHaveText(heading);
      expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
      if (kind === 'audit') await expect(page.locator('.verdict').first()).toHaveText(/^INTACT: /);
      else await expect(page.getByRole('cell', { name: 'Failed over to orders-db-2 (corrected)' })).toBeVisible();

      expect(pdfProblems(await printToPdf(page), { title: `${heading}: ${title}`, minBytes: 15_000 })).toEqual([]);
    }
    expect(requests).toEqual([]);
  } finally {
    await web.stop();
  }
});
