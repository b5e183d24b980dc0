// CSV (RFC 4180) with a guard against formula injection: a spreadsheet runs a cell that starts
// with = + - @ (or a tab or carriage return before one) as a formula, so such text cells get a
// leading apostrophe. Numbers are written as they are: a negative number is not a formula.

export type CsvValue = string | number | boolean | null;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'string' ? (formulaStart.test(value) ? `'${value}` : value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as CSV text, CRLF line ends. */
export function csvText(header: readonly string[], rows: readonly CsvValue[][]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
