// Printing a report to PDF in Chromium, shared by the integration test (a real engine) and the
// browser test (a real `holdfast web`). Playwright's test runner imports this file too, so it may
// import no engine module (they use Vite-only imports) and no test runner's `expect`.
import type { Page } from '@playwright/test';

/** An incident title with markup in it: the reports must show it as text and run nothing of it. */
export const hostileTitle = 'Checkout <script>window.ran = 1</script> & payments failing';

/** The two reports of an incident, with the heading each shows. */
export const reportKinds = [
  ['incident', 'Incident report'],
  ['audit', 'Audit evidence report'],
] as const;

/** The document title in the PDF's Info dictionary (literal or hex string; UTF-16BE after a BOM). */
export function pdfTitle(pdf: Buffer): string | null {
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

/** Prints the page to an A4 PDF under print CSS, as a browser user would, and returns it to screen. */
export async function printToPdf(page: Page): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  return pdf;
}

/**
 * What is wrong with a printed report: not a whole PDF (no `%PDF-` header or no `%%EOF` trailer), a
 * size outside `minBytes` to 5 MB (both excluded), or a document title other than `title`. None: [].
 */
export function pdfProblems(pdf: Buffer, expected: { title: string; minBytes: number }): string[] {
  const problems: string[] = [];
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') problems.push('no %PDF- header');
  if (!pdf.subarray(-64).toString('latin1').includes('%%EOF')) problems.push('no %%EOF trailer');
  if (!(pdf.length > expected.minBytes && pdf.length < 5_000_000)) problems.push(`${pdf.length} bytes, not between ${expected.minBytes} and 5000000`);
  const title = pdfTitle(pdf);
  if (title !== expected.title) problems.push(`document title ${JSON.stringify(title)}, not ${JSON.stringify(expected.title)}`);
  return problems;
}
