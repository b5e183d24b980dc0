// Update templates in the library: the built-ins, overridden or hidden by stored rows with the same
// id, plus the organisation's own templates.
import type { ParsedRequest } from '@shared/contract';
import { audienceLabels, audiences, builtInUpdateTemplates, type Audience } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { runbookSlug } from '@shared/domain/runbook-format';
import { ApiError } from '@shared/errors';
import type { Replica } from '../core/replica';
import type { CommsStore } from './comms-store';

type TemplateDeps = { replica: Replica; comms: CommsStore };

/** The stored templates over the built-ins: the same id replaces a built-in, a removed one is hidden. */
export function templateViews(comms: CommsStore): UpdateTemplateView[] {
  const stored = new Map(comms.templates().map((t) => [t.id, t]));
  const views: UpdateTemplateView[] = [];
  for (const builtIn of builtInUpdateTemplates) {
    const own = stored.get(builtIn.id);
    if (own?.deleted) continue;
    views.push(
      own
        ? { ...builtIn, ...pickTemplate(own), isBuiltIn: true, isCustomised: true, updatedBy: own.updatedBy }
        : { ...builtIn, isBuiltIn: true, isCustomised: false, updatedBy: null },
    );
  }
  for (const own of stored.values()) {
    if (own.deleted || builtInUpdateTemplates.some((b) => b.id === own.id)) continue;
    views.push({ ...pickTemplate(own), isBuiltIn: false, isCustomised: false, updatedBy: own.updatedBy });
  }
  return views.sort((a, b) => audiences.indexOf(a.audience) - audiences.indexOf(b.audience) || Number(b.isBuiltIn) - Number(a.isBuiltIn) || a.name.localeCompare(b.name));
}

export function saveTemplate({ replica, comms }: TemplateDeps, request: ParsedRequest<'comms.saveTemplate'>): UpdateTemplateView {
  const id = request.id ?? runbookSlug(request.name);
  if (!id) throw new ApiError('bad_request', 'Give the template an id: its name has no letters or digits to make one from.');
  const existing = templateViews(comms).find((t) => t.id === id);
  // Without an id this is a new template: it never silently replaces another one.
  if (request.id === undefined && (existing || comms.template(id))) {
    throw new ApiError('conflict', `A template with id "${id}" exists already: edit it, or give this one another name.`);
  }
  if (existing && existing.isBuiltIn && existing.audience !== request.audience) {
    throw new ApiError(
      'bad_request',
      `"${existing.name}" is the built-in ${audienceLabels[existing.audience]} template; its audience cannot change. Duplicate it instead.`,
    );
  }
  replica.commitLocal([
    {
      entity: 'update_template',
      rowId: id,
      fields: { audience: request.audience, name: request.name, title: request.title, body: request.body, deleted: false, updatedBy: replica.actorId },
    },
  ]);
  return templateViews(comms).find((t) => t.id === id)!;
}

export function removeTemplate({ replica, comms }: TemplateDeps, request: ParsedRequest<'comms.removeTemplate'>): UpdateTemplateView[] {
  if (!templateViews(comms).some((t) => t.id === request.id)) throw new ApiError('not_found', `No update template ${request.id}.`);
  replica.commitLocal([{ entity: 'update_template', rowId: request.id, fields: { deleted: true, updatedBy: replica.actorId } }]);
  return templateViews(comms);
}

const pickTemplate = (t: { id: string; audience: Audience; name: string; title: string; body: string }) => ({
  id: t.id,
  audience: t.audience,
  name: t.name,
  title: t.title,
  body: t.body,
});
