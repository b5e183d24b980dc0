// Reports as PDF from a real `holdfast web`, the way a browser user gets them: the incident is
// written through the web bridge, its incident report and audit evidence report are asked for as
// HTML (`reports.render`), shown in Chromium (the title as text, nothing run, nothing fetched) and
// printed under print CSS with page.pdf(): a PDF of a sensible size whose document title is the
// report's, with the incident title in it.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';

const title = 'Checkout <script>window.ran = 1</script> & payments failing';

/** The document title in the PDF's Info dictionary (literal or hex string; UTF-16BE after a BOM). */
function pdfTitle(pdf: Buffer): string | null {
  const text = pdf.toString('latin1');
  const decode = (bytes: Buffer) => (bytes[0] === 0xfe && bytes[1] === 0xff ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') : bytes.toString('latin1'));
  const hex = /\/Title\s*<([0-9A-Fa-f\s]*)>/.exec(text);
  if (hex) return decode(Buffer.from(hex[1].replace(/\s/g, ''), 'hex'));
  const literal = /\/Title\s*\(((?:\\[\s\S]|[^\\)])*)\)/.exec(text);
  if (!literal) return null;
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
  const raw = literal[1].replace(/\\([0-7]{1,3}|[\s\S])/g, (_m, c: string) => (/^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : (escapes[c] ?? c)));
  return decode(Buffer.from(raw, 'latin1'));
}

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
    for (const [kind, heading] of [['incident', 'Incident report'], ['audit', 'Audit evidence report']] as const) {
      const report = await callApi(web, 'reports.render', { incidentId: incident.id, kind, format: 'html' });
      expect(report).toMatchObject({ mimeType: 'text/html', fileName: `incident-${incident.id}-${kind === 'incident' ? 'report' : 'audit'}.html` });
      await page.setContent(report.text);
      await expect(page.locator('h1')).toHaveText(title);
      await expect(page.locator('header .kind')).toHaveText(heading);
      expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
      if (kind === 'audit') await expect(page.locator('.verdict').first()).toHaveText(/^INTACT: /);
      else await expect(page.getByRole('cell', { name: 'Failed over to orders-db-2 (corrected)' })).toBeVisible();

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.subarray(-64).toString('latin1')).toContain('%%EOF');
      expect(pdf.length).toBeGreaterThan(15_000);
      expect(pdf.length).toBeLessThan(5_000_000);
      expect(pdfTitle(pdf)).toBe(`${heading}: ${title}`);
    }
    expect(requests).toEqual([]);
  } finally {
    await web.stop();
  }
});
