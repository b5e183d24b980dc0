// What the update template editor works on: a new template for an audience, an edit of one in the
// library (a built-in included: saving keeps the organisation's version under the same id, marked
// customised), or a copy saved as a new template. Sent to `comms.saveTemplate` as typed, so the
// engine's checks, not the form's, decide what is valid.
import type { Request } from '@shared/contract';
import { builtInUpdateTemplates, type Audience } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { idFromName } from '../library-shared/new-id';

export interface TemplateDraft {
  /** The template saving overwrites; null saves a new one. */
  templateId: string | null;
  heading: string;
  /** Said above the form when saving does more than the heading says (replacing a built-in). */
  notice: string | null;
  /** Built-ins keep their audience. */
  isAudienceFixed: boolean;
  audience: Audience;
  name: string;
  title: string;
  body: string;
}

export function newTemplateDraft(audience: Audience): TemplateDraft {
  return { templateId: null, heading: 'New update template', notice: null, isAudienceFixed: false, audience, name: '', title: '', body: '' };
}

export function editTemplateDraft(template: UpdateTemplateView): TemplateDraft {
  return {
    templateId: template.id,
    heading: `Edit “${template.name}”`,
    notice: template.isBuiltIn
      ? template.isCustomised
        ? 'This is your organisation’s version of a built-in template. Saving replaces it on every replica.'
        : 'This template is built in to Holdfast. Saving keeps your version in its place (same id), marked customised, on every replica.'
      : null,
    isAudienceFixed: template.isBuiltIn,
    audience: template.audience,
    name: template.name,
    title: template.title,
    body: template.body,
  };
}

export function duplicateTemplateDraft(template: UpdateTemplateView): TemplateDraft {
  return {
    templateId: null,
    heading: `New template from “${template.name}”`,
    notice: null,
    isAudienceFixed: false,
    audience: template.audience,
    name: `${template.name} (copy)`,
    title: template.title,
    body: template.body,
  };
}

const builtInIds = builtInUpdateTemplates.map((t) => t.id);

/**
 * The save request. A new template gets its id from its name, with a number added when the library
 * (or Holdfast's built-ins, hidden ones included) already has it, so a new one never overwrites another.
 */
export function saveTemplateRequest(draft: TemplateDraft, takenIds: ReadonlySet<string>): Request<'comms.saveTemplate'> {
  const id = draft.templateId ?? idFromName(draft.name, (candidate) => takenIds.has(candidate) || builtInIds.includes(candidate));
  return { ...(id === undefined ? {} : { id }), audience: draft.audience, name: draft.name, title: draft.title, body: draft.body };
}

export function isTemplateChanged(draft: TemplateDraft, initial: TemplateDraft): boolean {
  return draft.audience !== initial.audience || draft.name !== initial.name || draft.title !== initial.title || draft.body !== initial.body;
}
