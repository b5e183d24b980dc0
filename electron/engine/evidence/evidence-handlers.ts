// Evidence calls: checklist templates, starting a checklist in an incident, moving artifacts
// through planned → collecting → collected → verified (or waived, or failed), hashing files in the
// engine as a stream with progress and cancel, and each artifact's chain of custody. Every change
// is written with its timeline entry; custody events are appended, never changed. Each call is
// registered here; the work lives in the module named beside it.
import type { Handlers, ParsedRequest } from '@shared/contract';
import type { EvidenceView, ExportedFile } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { mustGetIncident } from '../incidents/incident-handlers';
import { evidenceView, mustGetArtifact } from './artifact-records';
import { addCustody } from './custody-events';
import { addArtifact, removeChecklistTemplate, saveChecklistTemplate, startChecklist } from './evidence-checklists';
import { failArtifact, hashFile, recordCollection, recordVerification, startCollecting, waiveArtifact } from './evidence-collection';
import type { EvidenceDeps } from './evidence-deps';
import { exportFile } from './evidence-export';
import { createHashJobs } from './hash-jobs';

export type { EvidenceDeps } from './evidence-deps';

type EvidenceHandlers = Pick<
  Handlers,
  | 'evidence.templates'
  | 'evidence.saveTemplate'
  | 'evidence.removeTemplate'
  | 'evidence.startChecklist'
  | 'evidence.list'
  | 'evidence.add'
  | 'evidence.startCollecting'
  | 'evidence.hashFile'
  | 'evidence.hashJob'
  | 'evidence.cancelHash'
  | 'evidence.recordCollection'
  | 'evidence.waive'
  | 'evidence.fail'
  | 'evidence.addCustody'
  | 'evidence.custody'
  | 'evidence.export'
>;

export function evidenceHandlers(deps: EvidenceDeps): EvidenceHandlers & { closeJobs(): void } {
  const jobs = createHashJobs({ now: deps.now, onProgress: deps.onHashProgress, onVerified: (job, result) => recordVerification(deps, job, result) });
  return {
    'evidence.templates': () => deps.evidence.templates(),
    'evidence.saveTemplate': (request) => saveChecklistTemplate(deps, request),
    'evidence.removeTemplate': (request) => removeChecklistTemplate(deps, request),
    'evidence.startChecklist': (request) => startChecklist(deps, request),
    'evidence.list': (request) => listEvidence(deps, request),
    'evidence.add': (request) => addArtifact(deps, request),

    'evidence.startCollecting': (request) => startCollecting(deps, request),
    'evidence.hashFile': (request) => hashFile(deps, jobs, request),
    'evidence.hashJob': (request) => ({ ...jobs.mustGet(request.jobId).job }),
    'evidence.cancelHash': (request) => jobs.cancel(request.jobId),
    'evidence.recordCollection': (request) => recordCollection(deps, jobs, request),
    'evidence.waive': (request) => waiveArtifact(deps, request),
    'evidence.fail': (request) => failArtifact(deps, request),

    'evidence.addCustody': (request) => addCustody(deps, request),
    'evidence.custody': (request) => deps.evidence.artifactCustody(mustGetArtifact(deps.evidence, request.artifactId).id),
    'evidence.export': (request) => exportEvidence(deps, request),
    closeJobs() {
      jobs.closeAll();
    },
  };
}

function listEvidence({ incidents, evidence }: EvidenceDeps, request: ParsedRequest<'evidence.list'>): EvidenceView {
  mustGetIncident(incidents, request.incidentId);
  return evidenceView(evidence, request.incidentId);
}

function exportEvidence({ incidents, evidence, recordOf }: EvidenceDeps, request: ParsedRequest<'evidence.export'>): ExportedFile {
  mustGetIncident(incidents, request.incidentId);
  if (request.artifactId !== undefined && mustGetArtifact(evidence, request.artifactId).incidentId !== request.incidentId) {
    throw new ApiError('bad_request', `Artifact ${request.artifactId} belongs to another incident.`);
  }
  return exportFile(recordOf(request.incidentId), request.format, request.artifactId);
}
