// Where the library's update templates section is: the template open, and an editor's unsaved form.
// Kept outside the page so that switching views and coming back finds everything as it was, the
// draft included. Local to this feature.
import { createEntryView } from '../library-shared/entry-view-store';
import type { TemplateDraft } from './template-draft';

export const useTemplatesView = createEntryView<TemplateDraft>();
