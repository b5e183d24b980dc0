// Where the library's update templates section is: the template open, and an editor's unsaved form.
// Kept outside the page so that switching views and coming back finds everything as it was, the
// draft included. Local to this feature.
import { create } from 'zustand';
import type { TemplateDraft } from './template-draft';

interface TemplatesView {
  /** The template open; null opens the first one. */
  templateId: string | null;
  draft: TemplateDraft | null;
  /** What the editor opened with, to know whether closing it throws anything away. */
  initialDraft: TemplateDraft | null;
  selectTemplate: (templateId: string | null) => void;
  openEditor: (draft: TemplateDraft) => void;
  updateDraft: (change: (draft: TemplateDraft) => TemplateDraft) => void;
  closeEditor: () => void;
}

export const useTemplatesView = create<TemplatesView>()((set) => ({
  templateId: null,
  draft: null,
  initialDraft: null,
  selectTemplate: (templateId) => set({ templateId }),
  openEditor: (draft) => set({ draft, initialDraft: draft }),
  updateDraft: (change) => set((s) => (s.draft ? { draft: change(s.draft) } : {})),
  closeEditor: () => set({ draft: null, initialDraft: null }),
}));
