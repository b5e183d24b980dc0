// The dialog for correcting a timeline entry: new text, its kind if it was filed wrong (a note that
// was really a decision) and, if it was wrong, the time it happened.
import { manualTimelineKinds, type TimelineEntry } from '@shared/domain/timeline';
import { fromLocalInput, toLocalInput } from '../../lib/time';
import { client } from '../../store/client-ref';
import type { DialogSpec } from './dialog-spec';

type ManualKind = (typeof manualTimelineKinds)[number];
const isManualKind = (kind: string): kind is ManualKind => (manualTimelineKinds as readonly string[]).includes(kind);

export function correctEntryDialog(entry: TimelineEntry): DialogSpec {
  return {
    title: 'Correct an entry',
    description: 'The original stays on the record, struck through, with a link to this correction.',
    fields: [
      { name: 'text', label: 'Corrected text', kind: 'textarea', initial: entry.text },
      { name: 'kind', label: 'Kind', kind: 'select', initial: entry.kind, options: manualTimelineKinds.map((k) => ({ value: k, label: k })) },
      { name: 'eventAt', label: 'When it happened (your local time)', kind: 'datetime', initial: toLocalInput(entry.eventAt) },
    ],
    submitLabel: 'Save correction',
    submit: async (values) => {
      const eventAt = fromLocalInput(String(values.eventAt));
      if (eventAt === null) throw new Error('When it happened: give a complete date and time.');
      const kind = String(values.kind);
      if (!isManualKind(kind)) throw new Error(`Kind: choose one of ${manualTimelineKinds.join(', ')}.`);
      // Seconds are what the input shows; keep the original's milliseconds when the time is unchanged.
      const isSameTime = Math.floor(eventAt / 1000) === Math.floor(entry.eventAt / 1000);
      return client().call('timeline.correct', {
        entryId: entry.id,
        text: String(values.text),
        eventAt: isSameTime ? entry.eventAt : eventAt,
        ...(kind === entry.kind ? {} : { kind }),
      });
    },
  };
}
