// What evidence an incident should collect: checklist templates in the library, a checklist started
// in an incident (one planned artifact per item), and artifacts listed by hand.
import type { ParsedRequest } from '@shared/contract';
import { volatilityOf, type Artifact, type ChecklistTemplate, type EvidenceView } from '@shared/domain/evidence';
import { runbookSlug } from '@shared/domain/runbook-format';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import { mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';
import { artifactDraft, artifactLabel, evidenceView, mustGetArtifact } from './artifact-records';
import type { EvidenceDeps } from './evidence-deps';

export function saveChecklistTemplate({ replica, evidence }: EvidenceDeps, request: ParsedRequest<'evidence.saveTemplate'>): ChecklistTemplate {
  const id = request.id ?? runbookSlug(request.name);
  if (!id) throw new ApiError('bad_request', 'Give the checklist an id: its name has no letters or digits to make one from.');
  // Without an id this is a new checklist: it never silently replaces one with the same name.
  if (request.id === undefined && evidence.templates().some((t) => t.id === id)) {
    throw new ApiError('conflict', `A checklist with id "${id}" exists already: edit it, or give this one another name or id.`);
  }
  const items = request.items.map((item) => ({ ...item, volatility: item.volatility ?? volatilityOf[item.artifactType] }));
  replica.commitLocal([
    { entity: 'checklist_template', rowId: id, fields: { name: request.name, incidentTypes: request.incidentTypes, items, deleted: false, updatedBy: replica.actorId } },
  ]);
  const saved = evidence.templates().find((t) => t.id === id);
  if (!saved) throw new Error(`checklist ${id} was written but cannot be read back`);
  return saved;
}

export function removeChecklistTemplate({ replica, evidence }: EvidenceDeps, request: ParsedRequest<'evidence.removeTemplate'>): ChecklistTemplate[] {
  const template = evidence.templates().find((t) => t.id === request.id);
  if (!template) throw new ApiError('not_found', `No checklist ${request.id} in this replica's library.`);
  replica.commitLocal([{ entity: 'checklist_template', rowId: template.id, fields: { name: template.name, deleted: true, updatedBy: replica.actorId } }]);
  return evidence.templates();
}

export function startChecklist({ replica, incidents, evidence, now }: EvidenceDeps, request: ParsedRequest<'evidence.startChecklist'>): EvidenceView {
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  const template = evidence.templates().find((t) => t.id === request.templateId);
  if (!template) throw new ApiError('not_found', `No checklist ${request.templateId} in this replica's library.`);
  const existing = new Set(
    evidence
      .artifacts(incident.id)
      .filter((a) => a.templateId === template.id)
      .map((a) => a.itemKey),
  );
  const at = now();
  const actor = replica.actorId;
  const fresh = template.items.filter((item) => !existing.has(item.key));
  if (fresh.length === 0) throw new ApiError('conflict', `"${template.name}" is already started in this incident: every one of its items is listed.`);
  replica.commitLocal([
    // Created a millisecond apart in the checklist's order, so items of equal volatility keep it.
    ...fresh.map((item, index) =>
      artifactDraft(
        { id: incidentRowId(incident.id, `${template.id}.${item.key}`), incidentId: incident.id },
        {
          templateId: template.id,
          itemKey: item.key,
          artifactType: item.artifactType,
          asset: item.asset,
          what: item.what,
          how: item.how,
          isRequired: item.isRequired,
          volatility: item.volatility,
          state: 'planned',
          createdAt: at + index,
          createdBy: actor,
        },
      ),
    ),
    systemEntry(incident.id, `${actor} started evidence checklist "${template.name}": ${fresh.length} items, ${fresh.filter((i) => i.isRequired).length} required`, at),
  ]);
  return evidenceView(evidence, incident.id);
}

export function addArtifact({ replica, incidents, evidence, now }: EvidenceDeps, request: ParsedRequest<'evidence.add'>): Artifact {
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  const at = now();
  const id = incidentRowId(incident.id, uuidv7(at));
  replica.commitLocal([
    artifactDraft(
      { id, incidentId: incident.id },
      {
        templateId: null,
        itemKey: null,
        artifactType: request.artifactType,
        asset: request.asset,
        what: request.what,
        how: request.how,
        isRequired: request.isRequired,
        volatility: volatilityOf[request.artifactType],
        state: 'planned',
        createdAt: at,
        createdBy: replica.actorId,
      },
    ),
    systemEntry(
      incident.id,
      `${replica.actorId} listed evidence to collect: ${request.artifactType} ${artifactLabel(request)}${request.isRequired ? ', required' : ''}`,
      at,
    ),
  ]);
  return mustGetArtifact(evidence, id);
}
