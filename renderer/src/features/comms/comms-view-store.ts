// Where the comms lead is in the updates pane: the audience chosen, draft or history, the draft
// open per audience, and what they typed into each draft that is not saved yet. Kept outside the
// components, so switching to the timeline (or another view) and back finds the text as typed.
// Local to this feature; the war-room slice holds the room itself (comms.room).
import { create } from 'zustand';
import type { UpdateDraft } from '@shared/domain/comms-api';
import type { Audience } from '@shared/domain/comms';

export type CommsSection = 'draft' | 'history';

/** What can be edited on a draft, as comms.save takes it. */
export interface DraftEdits {
  title?: string;
  body?: string;
  values?: Record<string, string>;
  nextUpdateAt?: number | null;
  channelIds?: string[];
  approver?: string | null;
}

/** How saving a draft's edits went, as the composer shows it. */
export interface SaveStatus {
  isSaving: boolean;
  error: string | null;
  savedAt: number | null;
}

interface CommsView {
  /** The incident this view is of: another incident starts afresh. */
  incidentId: string | null;
  audience: Audience;
  section: CommsSection;
  /** The draft open for each audience, when there are several. */
  openDraft: Partial<Record<Audience, string>>;
  /** Unsaved changes by update id. */
  edits: Record<string, DraftEdits>;
  saves: Record<string, SaveStatus>;
  forIncident: (incidentId: string) => void;
  show: (audience: Audience, section?: CommsSection) => void;
  setSection: (section: CommsSection) => void;
  setOpenDraft: (audience: Audience, updateId: string) => void;
  edit: (updateId: string, change: DraftEdits) => void;
  /** Drops the edits that are now saved (the value sent is still the value typed). */
  settle: (updateId: string, sent: DraftEdits) => void;
  forget: (updateId: string) => void;
  noteSave: (updateId: string, status: Partial<SaveStatus>) => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const useCommsView = create<CommsView>()((set, get) => ({
  incidentId: null,
  audience: 'customers',
  section: 'draft',
  openDraft: {},
  edits: {},
  saves: {},
  forIncident: (incidentId) => {
    if (get().incidentId !== incidentId) set({ incidentId, audience: 'customers', section: 'draft', openDraft: {}, edits: {}, saves: {} });
  },
  show: (audience, section) => set((s) => ({ audience, section: section ?? s.section })),
  setSection: (section) => set({ section }),
  setOpenDraft: (audience, updateId) => set((s) => ({ openDraft: { ...s.openDraft, [audience]: updateId } })),
  edit: (updateId, change) =>
    set((s) => {
      const current = s.edits[updateId] ?? {};
      const values = change.values ? { ...current.values, ...change.values } : current.values;
      return { edits: { ...s.edits, [updateId]: { ...current, ...change, ...(values ? { values } : {}) } } };
    }),
  settle: (updateId, sent) =>
    set((s) => {
      const current = s.edits[updateId];
      if (!current) return {};
      const left: DraftEdits = {};
      for (const key of Object.keys(current) as (keyof DraftEdits)[]) {
        if (key === 'values') {
          const values = Object.fromEntries(Object.entries(current.values ?? {}).filter(([name, value]) => sent.values?.[name] !== value));
          if (Object.keys(values).length > 0) left.values = values;
        } else if (!same(current[key], sent[key])) {
          (left as Record<string, unknown>)[key] = current[key];
        }
      }
      const edits = { ...s.edits };
      if (Object.keys(left).length === 0) delete edits[updateId];
      else edits[updateId] = left;
      return { edits };
    }),
  forget: (updateId) =>
    set((s) => {
      const edits = { ...s.edits };
      delete edits[updateId];
      return { edits };
    }),
  noteSave: (updateId, status) =>
    set((s) => {
      const before: SaveStatus = s.saves[updateId] ?? { isSaving: false, error: null, savedAt: null };
      return { saves: { ...s.saves, [updateId]: { ...before, ...status } } };
    }),
}));

/** The draft as the person sees it: saved fields with their unsaved changes over them. */
export function withEdits(draft: UpdateDraft, edits: DraftEdits | undefined): UpdateDraft {
  if (!edits) return draft;
  return {
    ...draft,
    ...(edits.title !== undefined ? { title: edits.title } : {}),
    ...(edits.body !== undefined ? { body: edits.body } : {}),
    ...(edits.values ? { values: { ...draft.values, ...edits.values } } : {}),
    ...(edits.nextUpdateAt !== undefined ? { nextUpdateAt: edits.nextUpdateAt } : {}),
    ...(edits.channelIds !== undefined ? { channelIds: edits.channelIds } : {}),
    ...(edits.approver !== undefined ? { approver: edits.approver } : {}),
  };
}

/** Whether there is anything unsaved in `edits`. */
export function hasEdits(edits: DraftEdits | undefined): boolean {
  return edits !== undefined && Object.keys(edits).length > 0;
}
