// Where the library page is: the section shown, the checklist open, and an editor's unsaved form.
// Kept outside the page so that switching views (Alt+1…5, or N to declare an incident in the middle
// of an edit) and coming back finds everything as it was, the draft included. Local to this
// feature: nothing else reads it.
import { create } from 'zustand';
import type { ChecklistDraft } from './checklist-draft';

/** The library's sections; the service catalog will join them. */
export const librarySections = [
  { id: 'checklists', label: 'Evidence checklists' },
  { id: 'templates', label: 'Update templates' },
] as const;
export type LibrarySection = (typeof librarySections)[number]['id'];

interface LibraryView {
  section: LibrarySection;
  /** The checklist open; null opens the first one. */
  checklistId: string | null;
  /** The checklist editor, when one is open, with the form as typed so far. */
  draft: ChecklistDraft | null;
  /** What the editor opened with, to know whether closing it throws anything away. */
  initialDraft: ChecklistDraft | null;
  selectSection: (section: LibrarySection) => void;
  selectChecklist: (checklistId: string | null) => void;
  openEditor: (draft: ChecklistDraft) => void;
  updateDraft: (change: (draft: ChecklistDraft) => ChecklistDraft) => void;
  closeEditor: () => void;
}

export const useLibraryView = create<LibraryView>()((set) => ({
  section: 'checklists',
  checklistId: null,
  draft: null,
  initialDraft: null,
  selectSection: (section) => set({ section }),
  selectChecklist: (checklistId) => set({ checklistId }),
  openEditor: (draft) => set({ draft, initialDraft: draft }),
  updateDraft: (change) => set((s) => (s.draft ? { draft: change(s.draft) } : {})),
  closeEditor: () => set({ draft: null, initialDraft: null }),
}));
