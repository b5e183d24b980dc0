// Offers text as a file download (a Blob behind an object URL), the same in Chromium and Electron:
// exported reports, and the CSV behind each chart and table of the metrics dashboard.

export function downloadText(fileName: string, mimeType: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy by then; the URL is freed a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A CSV file (RFC 4180 text from shared/csv.ts). */
export const downloadCsv = (fileName: string, text: string) => downloadText(fileName, 'text/csv;charset=utf-8', text);
