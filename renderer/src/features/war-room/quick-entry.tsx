// The scribe's box: type, Enter, keep typing. Focus stays in the box after each entry; E reaches it
// from anywhere in the war room (./war-room-keys). A prefix (/d decision, /a action, /o observation,
// /c comms, /n note) sets the kind of one entry; the kind picker sets it for the next entry, after
// which the box goes back to note unless the kind is kept (the pin toggle beside it). An optional
// time records something that happened earlier.
import { useRef, useState, type FormEvent } from 'react';
import { manualTimelineKinds, type TimelineKind } from '@shared/domain/timeline';
import { fromLocalInput } from '../../lib/time';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { entryKey } from './war-room-keys';
import './quick-entry.css';

type ManualKind = Exclude<TimelineKind, 'system'>;
const prefixes: Record<string, ManualKind> = { '/n': 'note', '/d': 'decision', '/a': 'action', '/o': 'observation', '/c': 'comms' };

/** Splits a typed prefix off the text: "/d roll back" → decision, "roll back". */
export function parseQuickEntry(text: string, kind: ManualKind): { kind: ManualKind; text: string } {
  const match = /^(\/[a-z])\s+/i.exec(text);
  const prefixed = match ? prefixes[match[1].toLowerCase()] : undefined;
  return prefixed ? { kind: prefixed, text: text.slice(match![0].length) } : { kind, text };
}

export function QuickEntry({ incidentId }: { incidentId: string }) {
  const kind = useStore((s) => s.entryKind);
  const setKind = useStore((s) => s.setEntryKind);
  const isKindPinned = useStore((s) => s.isEntryKindPinned);
  const setKindPinned = useStore((s) => s.setEntryKindPinned);
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const entry = parseQuickEntry(text, kind);
    if (!entry.text.trim()) return;
    const eventAt = at ? fromLocalInput(at) : undefined;
    if (eventAt === null) {
      setError('Happened at: give a complete date and time, or clear it for "now".');
      return;
    }
    // Clear first so typing can go on while the write completes; restore on failure.
    setText('');
    setAt('');
    // The picked kind was for this entry: the next is a note again, unless the kind is kept.
    const isKindReset = !useStore.getState().isEntryKindPinned && kind !== 'note';
    if (isKindReset) setKind('note');
    try {
      await client().call('timeline.add', { incidentId, kind: entry.kind, text: entry.text, eventAt });
      setError(null);
      useStore.getState().requestFollowLatest();
    } catch (failure) {
      // Give the entry back without losing what was typed since.
      setText((typed) => (typed ? `${text}\n${typed}` : text));
      setAt((current) => current || at);
      if (isKindReset) setKind(kind);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
    box.current?.focus();
  };

  return (
    <form className="quick-entry" onSubmit={(event) => void submit(event)} data-testid="quick-entry">
      <select aria-label="Kind of entry" data-testid="quick-entry-kind" value={kind} onChange={(e) => setKind(e.target.value as ManualKind)}>
        {manualTimelineKinds.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      <button
        type="button"
        className={`kind-pin${isKindPinned ? ' is-pinned' : ''}`}
        aria-pressed={isKindPinned}
        data-testid="quick-entry-kind-pin"
        title={isKindPinned ? `Every entry is a ${kind} until you unpin it` : 'Keep this kind for the next entries (otherwise the next entry is a note again)'}
        onClick={() => setKindPinned(!isKindPinned)}
      >
        {isKindPinned ? 'Kept' : 'Keep'}
        <span className="visually-hidden"> the kind for the next entries</span>
      </button>
      <textarea
        ref={box}
        rows={1}
        data-testid="quick-entry-text"
        aria-label="New timeline entry"
        placeholder={`What is happening? (${entryKey.toUpperCase()} from anywhere)`}
        title="Enter adds; Shift+Enter starts a new line. Prefixes set the kind of one entry: /d decision, /a action, /o observation, /c comms, /n note"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) void submit(e);
        }}
      />
      <input
        type="datetime-local"
        step={1}
        aria-label="Happened at (leave empty for now)"
        title="Happened at (your local time); leave empty for now"
        data-testid="quick-entry-at"
        value={at}
        onChange={(e) => setAt(e.target.value)}
      />
      <button type="submit" className="button button-primary" data-testid="quick-entry-submit">
        Add
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="quick-entry-error">
          {error}
        </p>
      )}
    </form>
  );
}
