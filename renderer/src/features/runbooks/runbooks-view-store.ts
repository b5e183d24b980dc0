// Where the runbooks page is: the runbook and version open, the search, and an editor's unsaved
// text. Kept outside the page so that switching views (Alt+1…5, or N to declare an incident in the
// middle of an edit) and coming back finds everything as it was, the draft included. Local to
// this feature: nothing else reads it.
import { create } from 'zustand';
import type { EditorDraft } from './editor-draft';

export interface Selection {
  id: string;
  /** The version being read; null for the current one. */
  versionId: string | null;
}

interface RunbooksView {
  selection: Selection | null;
  query: string;
  includeArchived: boolean;
  /** The editor, when one is open, with its text as typed so far. */
  draft: EditorDraft | null;
  source: string;
  note: string;
  select: (selection: Selection) => void;
  setQuery: (query: string) => void;
  setIncludeArchived: (includeArchived: boolean) => void;
  openEditor: (draft: EditorDraft) => void;
  setSource: (source: string) => void;
  setNote: (note: string) => void;
  closeEditor: () => void;
}

export const useRunbooksView = create<RunbooksView>()((set) => ({
  selection: null,
  query: '',
  includeArchived: false,
  draft: null,
  source: '',
  note: '',
  select: (selection) => set({ selection }),
  setQuery: (query) => set({ query }),
  setIncludeArchived: (includeArchived) => set({ includeArchived }),
  openEditor: (draft) => set({ draft, source: draft.source, note: draft.note }),
  setSource: (source) => set({ source }),
  setNote: (note) => set({ note }),
  closeEditor: () => set({ draft: null, source: '', note: '' }),
}));
