// Where the library's Services section is: the service open, and the editor's unsaved form, kept
// outside the page so switching views and coming back finds them as they were.
import { createEntryView } from '../library-shared/entry-view-store';
import type { ServiceDraft } from './service-draft';

export const useServicesView = createEntryView<ServiceDraft>();
