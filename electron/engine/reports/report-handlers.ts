// Report calls: the incident report and the audit evidence report of one incident, as Markdown,
// HTML or JSON. The record is gathered here through the other domains' read functions and the
// evidence record; the documents are made by the pure builders beside this file.
import type { Handlers } from '@shared/contract';
import type { CommsStore } from '../comms/comms-store';
import type { DatabaseProof } from '../core/projection-proof';
import { publishedUpdates } from '../comms/comms-queries';
import type { EvidenceRecord } from '../evidence/evidence-export';
import { warRoom } from '../incidents/incident-queries';
import type { RunbookStore } from '../runbooks/runbook-store';
import { actionItems, reviewOf, type ReviewReads } from '../reviews/review-queries';
import type { ReportRecord } from './report-record';
import { renderReport } from './reports';

type ReportHandlers = Pick<Handlers, 'reports.render'>;

export interface ReportDeps extends ReviewReads {
  runbooks: RunbookStore;
  comms: CommsStore;
  /** One incident's whole record (throws not_found for an unknown incident). */
  recordOf: (incidentId: string) => EvidenceRecord;
  /** The replica's schema and projections proved against its migrations and op log (what verify-chain runs). */
  proveReplica: () => DatabaseProof;
}

export function reportHandlers(deps: ReportDeps): ReportHandlers {
  return {
    'reports.render': (request) => renderReport(reportRecord(deps, request.incidentId), request.kind, request.format, deps.proveReplica),
  };
}

/** Everything the reports of one incident are made from, as the replica holds it now. */
export function reportRecord(deps: ReportDeps, incidentId: string): ReportRecord {
  const evidence = deps.recordOf(incidentId);
  const { incident } = evidence;
  const room = warRoom(deps.incidents, incident);
  return {
    incident,
    severityMeaning: room.severityMeanings[incident.severity] ?? '',
    seats: room.seats,
    timeline: evidence.timeline,
    runs: deps.runbooks.runs(incidentId),
    artifacts: evidence.artifacts,
    custody: evidence.custody,
    ops: evidence.ops,
    published: publishedUpdates(deps.comms, incident),
    review: reviewOf(deps, incident),
    actions: actionItems(deps, { incidentId }),
    generatedAt: evidence.exportedAt,
    generatedBy: evidence.exportedBy,
    holdfastVersion: evidence.holdfastVersion,
    refused: evidence.refused ?? [],
  };
}
