// Reading and writing artifacts as the evidence calls share them: the incident's evidence view, an
// artifact that must exist, an artifact's `set` op, and how the timeline names an artifact.
import { custodyChainProblem, type Artifact, type EvidenceView } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import { nativeSha256Hex } from '../core/native-hash';
import type { EvidenceStore } from './evidence-store';

/** Custody notes hold at most this much (a long path or command is cut, never refused). */
const maxNoteChars = 2000;
export const clip = (text: string, max = maxNoteChars) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const artifactLabel = (a: Pick<Artifact, 'what' | 'asset'>) => `"${a.what}"${a.asset ? ` (${a.asset})` : ''}`;
export const shortHash = (hash: string) => `${hash.slice(0, 12)}…`;

export function evidenceView(evidence: EvidenceStore, incidentId: string): EvidenceView {
  const custody = evidence.custody(incidentId);
  return { artifacts: evidence.artifacts(incidentId), custody, gate: evidence.gate(incidentId), chainProblem: custodyChainProblem(custody, nativeSha256Hex) };
}

export function mustGetArtifact(evidence: EvidenceStore, id: string): Artifact {
  const artifact = evidence.artifact(id);
  if (!artifact) throw new ApiError('not_found', `No artifact ${id} on this replica; it may not have synced here yet.`);
  return artifact;
}

export function artifactDraft(artifact: Pick<Artifact, 'id' | 'incidentId'>, fields: Record<string, unknown>): OpDraft {
  return {
    entity: 'artifact',
    rowId: artifact.id,
    fields: { incidentId: artifact.incidentId, ...fields },
  };
}
