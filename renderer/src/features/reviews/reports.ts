// The incident's reports, rendered by the engine (`reports.render`): the incident report (what
// happened, for everyone) and the audit evidence report (for auditors), downloaded as Markdown or
// made into a PDF. The desktop app prints the PDF itself (main renders the report from the engine
// and asks where to save it); a browser (`holdfast web`) opens the HTML report in a new window from
// a Blob URL with the print dialog over it, whose "Save as PDF" does the same.
import type { ReportKind } from '@shared/domain/review';
import { ApiError } from '@shared/errors';
import { desktopApi } from '../../api';
import { downloadText } from '../../lib/download';
import { printHtml } from '../../lib/print-html';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';

export const reportLabels: Record<ReportKind, string> = {
  incident: 'Incident report',
  audit: 'Audit evidence report',
};

export async function downloadReport(incidentId: string, kind: ReportKind): Promise<void> {
  const file = await client().call('reports.render', { incidentId, kind, format: 'md' });
  downloadText(file.fileName, file.mimeType, file.text);
}

/** The desktop shell's PDF printer, when this is the desktop app. */
export const desktopPrinter = () => (useStore.getState().appInfo?.host === 'desktop' ? desktopApi() : null);

/**
 * Makes the report a PDF: saved by the desktop app where the person says (answers the path, or
 * null when they cancelled), or printed from a new browser window (answers null).
 */
export async function printReport(incidentId: string, kind: ReportKind): Promise<string | null> {
  const desktop = desktopPrinter();
  if (desktop) {
    const result = await desktop.printPdf({ incidentId, report: { kind } });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value.path;
  }
  const file = await client().call('reports.render', { incidentId, kind, format: 'html' });
  await printHtml(file.text, `${reportLabels[kind]}, for printing`);
  return null;
}
