// Reading a CSV file people wrote into rows that know their line, for imports that report every
// problem with where it is. Both the directory and the service catalog import through it.
import { parse } from 'csv-parse/sync';
import { canonicalKey } from '@shared/domain/file-keys';

/** One row: its cells, and the line of the file it starts on (a quoted cell may span lines). */
export interface CsvRow {
  record: string[];
  line: number;
}

const csvErrorHints: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed: add the missing "',
  CSV_INVALID_CLOSING_QUOTE: 'a " inside a cell must be doubled ("") or the whole cell put in quotes',
};

/** Header names as people type them: "Time zone", "time-zone", "timeZone" and "time_zone" are one column. */
export const columnKey = (header: string) => canonicalKey(header);

/** The rows of a CSV text (a BOM and blank lines skipped, any line endings), or why it is not CSV and where. */
export function readCsvRows(text: string): { rows: CsvRow[] } | { error: { line: number; reason: string } } {
  // One line-ending style, so a row's first line can be told from csv-parse's line count.
  const normalized = text.replace(/\r\n?/g, '\n');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with where it ended.
    records = parse(normalized, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const { code, lines, message } = error as { code?: string; lines?: number; message: string };
    return { error: { line: lines ?? 1, reason: (code && csvErrorHints[code]) ?? message } };
  }
  return { rows: records.map(({ record, info }) => ({ record, line: info.lines - record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0) })) };
}
