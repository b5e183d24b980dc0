// Where the library page is: the section shown, and in the checklists section the checklist open and
// an editor's unsaved form. Kept outside the page so that switching views (Alt+1…5, or N to declare
// an incident in the middle of an edit) and coming back finds everything as it was, the draft
// included. Local to this feature: nothing else reads it.
import { create } from 'zustand';
import { createEntryView } from '../library-shared/entry-view-store';
import type { ChecklistDraft } from './checklist-draft';

/** The library's sections. */
export const librarySections = [
  { id: 'checklists', label: 'Evidence checklists' },
  { id: 'templates', label: 'Update templates' },
  { id: 'services', label: 'Services' },
] as const;
export type LibrarySection = (typeof librarySections)[number]['id'];

interface LibraryView {
  section: LibrarySection;
  selectSection: (section: LibrarySection) => void;
}

export const useLibraryView = create<LibraryView>()((set) => ({
  section: 'checklists',
  selectSection: (section) => set({ section }),
}));

export const useChecklistsView = createEntryView<ChecklistDraft>();
