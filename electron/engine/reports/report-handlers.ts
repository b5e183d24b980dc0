// Report calls: the incident report and the audit evidence report of one incident, as Markdown,
// HTML or JSON. The record is gathered here from the other calls and the evidence record; the
// documents are made by the pure builders in ../reports.ts.
import type { Handlers } from '../../../shared/contract';
import type { ReportKind } from '../../../shared/domain/review';
import type { EvidenceRecord } from '../evidence/evidence-export';
import type { ReportRecord } from './report-record';
import { renderReport } from './reports';

type ReportHandlers = Pick<Handlers, 'reports.render'>;

export interface ReportDeps {
  /** The engine's calls (read lazily): the war room, runs, updates, review and action items. */
  handlers: () => Handlers;
  /** One incident's whole record (throws not_found for an unknown incident). */
  recordOf: (incidentId: string) => EvidenceRecord;
}

/** Everything the reports of one incident are made from, as the replica holds it now. */
export async function reportRecord(deps: ReportDeps, incidentId: string): Promise<ReportRecord> {
  const evidence = deps.recordOf(incidentId);
  const calls = deps.handlers();
  const [room, runs, comms, reviewed, actions] = await Promise.all([
    calls['incidents.room']({ id: incidentId }),
    calls['runs.list']({ incidentId }),
    calls['comms.room']({ incidentId }),
    calls['reviews.get']({ incidentId }),
    calls['actions.list']({ incidentId, isOverdueOnly: false }),
  ]);
  return {
    incident: evidence.incident,
    severityMeaning: room.severityMeanings[evidence.incident.severity] ?? '',
    seats: room.seats,
    timeline: evidence.timeline,
    runs,
    artifacts: evidence.artifacts,
    custody: evidence.custody,
    ops: evidence.ops,
    published: comms.published,
    review: reviewed.review,
    actions: actions.filter((a) => a.incidentId === incidentId),
    generatedAt: evidence.exportedAt,
    generatedBy: evidence.exportedBy,
    holdfastVersion: evidence.holdfastVersion,
  };
}

export async function renderIncidentReport(deps: ReportDeps, incidentId: string, kind: ReportKind, format: 'md' | 'html' | 'json') {
  return renderReport(await reportRecord(deps, incidentId), kind, format);
}

export function reportHandlers(deps: ReportDeps): ReportHandlers {
  return {
    'reports.render': (request) => renderIncidentReport(deps, request.incidentId, request.kind, request.format),
  };
}
