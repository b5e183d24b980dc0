// A small document model, rendered to Markdown and to HTML, so both carry the same content and
// every value is escaped in one place; with the constructors the reports are written in.
import type { Incident } from '@shared/domain/incident';
import { utcStamp } from '@shared/time';
import { stamp, type ReportRecord } from './report-record';

export type Cell = string | { text: string; isMono?: boolean; isStruck?: boolean; isTime?: boolean };
export type Block =
  | { type: 'p'; text: string; tone?: 'ok' | 'broken' | 'note' }
  | { type: 'facts'; rows: [label: string, value: string, isMono?: boolean][] }
  | { type: 'table'; columns: string[]; rows: Cell[][]; empty: string }
  | { type: 'markdown'; source: string }
  | { type: 'list'; items: string[] }
  | { type: 'h3'; text: string };

export interface Section {
  title: string;
  blocks: Block[];
}

export interface Doc {
  heading: string;
  title: string;
  meta: string[];
  flags: string[];
  sections: Section[];
}

export const mono = (text: string): Cell => ({ text, isMono: true });
/** A time in a table: on paper it may break between the date and the time, never inside either. */
export const when = (ms: number | null | undefined, missing = '—'): Cell => ({ text: stamp(ms, missing), isTime: true });

// Block constructors, so the documents read as what they say.
export type Fact = [label: string, value: string, isMono?: boolean];
export const para = (text: string, tone?: 'ok' | 'broken' | 'note'): Block => ({ type: 'p', text, ...(tone ? { tone } : {}) });
export const h3 = (text: string): Block => ({ type: 'h3', text });
export const facts = (rows: Fact[]): Block => ({ type: 'facts', rows });
export const list = (items: string[]): Block => ({ type: 'list', items });
export const table = (columns: string[], rows: Cell[][], empty: string): Block => ({ type: 'table', columns, rows, empty });

/** The banners of both reports: a drill, a legal hold. */
export function flagsOf(incident: Incident): string[] {
  return [
    ...(incident.isDrill ? ['DRILL: this incident is an exercise'] : []),
    ...(incident.isLegalHold ? [`LEGAL HOLD${incident.legalHoldReason ? `: ${incident.legalHoldReason}` : ''}`] : []),
  ];
}

export const metaOf = (r: ReportRecord) => [`Incident ${r.incident.id} · generated ${utcStamp(r.generatedAt)} by ${r.generatedBy} with Holdfast ${r.holdfastVersion}`];
