// How far the record is vouched for, as both reports say it: entries written before Holdfast signed
// ops (unsigned), entries by guests a war-room hub admitted (unverified: the name is their own
// claim), and ops kept in the log but refused because their signer's role may not write them.
import type { TimelineEntry } from '@shared/domain/timeline';
import { h3, mono, para, table, when, type Block } from './report-document';
import { iso, type ReportRecord } from './report-record';

export const guestBadge = 'unverified: named by themselves';
export const unsignedBadge = 'unsigned';

/** What an entry's trust adds after its author's name ('' for a signed entry). */
export function trustNote(e: Pick<TimelineEntry, 'trust'>): string {
  if (e.trust === 'guest') return guestBadge;
  if (e.trust === 'unsigned') return unsignedBadge;
  return '';
}

export interface TrustSummary {
  /** Ops of the incident without a signature (written before signing). */
  unsignedOps: number;
  /** Timeline entries by guests. */
  guestEntries: number;
  refused: NonNullable<ReportRecord['refused']>;
}

export function trustSummary(r: Pick<ReportRecord, 'ops' | 'timeline' | 'refused'>): TrustSummary {
  return {
    unsignedOps: r.ops.filter((op) => op.sig === undefined).length,
    guestEntries: r.timeline.filter((e) => e.trust === 'guest').length,
    refused: r.refused ?? [],
  };
}

/** The summary lines and the refused ops, as blocks. */
export function trustBlocks(r: Pick<ReportRecord, 'ops' | 'timeline' | 'refused'>): Block[] {
  const s = trustSummary(r);
  const signed = r.ops.length - s.unsignedOps;
  return [
    para(
      s.unsignedOps === 0
        ? `All ${r.ops.length} record(s) of this incident are signed by the device that wrote them.`
        : `${signed} record(s) signed by the device that wrote them; ${s.unsignedOps} entries written before signing: ${unsignedBadge}.`,
      s.unsignedOps === 0 ? 'ok' : 'note',
    ),
    ...(s.guestEntries > 0
      ? [para(`${s.guestEntries} timeline entr${s.guestEntries === 1 ? 'y' : 'ies'} by guests admitted at a war-room hub: ${guestBadge}.`, 'note')]
      : []),
    h3('Refused records'),
    para(
      'Records a sync peer or this replica refused: authentic, but the writer\u2019s certificate did not allow them. They stay in the op log, ' +
        'so every chain stays whole, and are never applied.',
      'note',
    ),
    table(
      ['When (UTC)', 'By', 'Record', 'What', 'Reason', 'Op'],
      s.refused.map((x) => [when(x.at), x.actorId, x.entity, x.text ?? '', x.reason, mono(x.opId)]),
      'None: no record of this incident was refused.',
    ),
  ];
}

/** The same, for the reports' JSON. */
export function trustJson(r: Pick<ReportRecord, 'ops' | 'timeline' | 'refused'>) {
  const s = trustSummary(r);
  return {
    signedOps: r.ops.length - s.unsignedOps,
    unsignedOps: s.unsignedOps,
    guestEntries: s.guestEntries,
    refused: s.refused.map(({ at, ...x }) => ({ at: iso(at), ...x })),
  };
}
