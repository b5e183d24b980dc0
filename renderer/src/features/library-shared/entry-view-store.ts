// Where a library section is: the entry open, and an editor's unsaved form. Kept outside the page
// so that switching views (Alt+1…5, or N to declare an incident in the middle of an edit) and coming
// back finds everything as it was, the draft included. One store per section, local to it.
import { create, type StoreApi, type UseBoundStore } from 'zustand';

export interface EntryView<D> {
  /** The entry open; null opens the first one. */
  selectedId: string | null;
  /** The editor, when one is open, with the form as typed so far. */
  draft: D | null;
  /** What the editor opened with, to know whether closing it throws anything away. */
  initialDraft: D | null;
  select: (id: string | null) => void;
  openEditor: (draft: D) => void;
  updateDraft: (change: (draft: D) => D) => void;
  closeEditor: () => void;
}

export type EntryViewStore<D> = UseBoundStore<StoreApi<EntryView<D>>>;

export function createEntryView<D>(): EntryViewStore<D> {
  return create<EntryView<D>>()((set) => ({
    selectedId: null,
    draft: null,
    initialDraft: null,
    select: (selectedId) => set({ selectedId }),
    openEditor: (draft) => set({ draft, initialDraft: draft }),
    updateDraft: (change) => set((s) => (s.draft ? { draft: change(s.draft) } : {})),
    closeEditor: () => set({ draft: null, initialDraft: null }),
  }));
}
