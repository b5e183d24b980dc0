// Moving an artifact through planned → collecting → collected → verified (or waived, or failed):
// each step written with its timeline entry, collection and verification with custody events and
// the hashes Holdfast computed or a tool declared.
import type { ParsedRequest } from '@shared/contract';
import type { Artifact, HashJob } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import { utcStamp } from '@shared/time';
import { mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';
import { artifactDraft, artifactLabel, clip, mustGetArtifact, shortHash } from './artifact-records';
import { custodyDraft } from './custody-events';
import type { EvidenceDeps } from './evidence-deps';
import type { HashJobs, JobResult } from './hash-jobs';

export function startCollecting({ replica, incidents, evidence, now }: EvidenceDeps, request: ParsedRequest<'evidence.startCollecting'>): Artifact {
  const artifact = mustGetArtifact(evidence, request.artifactId);
  mustGetOpenIncident(incidents, artifact.incidentId);
  if (artifact.state !== 'planned' && artifact.state !== 'failed') {
    throw new ApiError('conflict', `${artifactLabel(artifact)} is ${artifact.state}; only planned or failed evidence can be (re)started.`);
  }
  const at = now();
  replica.commitLocal([
    artifactDraft(artifact, { state: 'collecting', reason: '' }),
    systemEntry(artifact.incidentId, `${replica.actorId} started collecting ${artifactLabel(artifact)}`, at),
  ]);
  return mustGetArtifact(evidence, artifact.id);
}

export function hashFile({ incidents, evidence }: EvidenceDeps, jobs: HashJobs, request: ParsedRequest<'evidence.hashFile'>): HashJob {
  const artifact = mustGetArtifact(evidence, request.artifactId);
  if (request.purpose === 'verify' && !artifact.sha256) throw new ApiError('conflict', `${artifactLabel(artifact)} has no recorded hash yet: collect it first.`);
  if (request.purpose === 'collect') mustGetOpenIncident(incidents, artifact.incidentId);
  return jobs.start(artifact, request.path, request.purpose, request.withLegacy);
}

export function recordCollection(deps: EvidenceDeps, jobs: HashJobs, request: ParsedRequest<'evidence.recordCollection'>): Artifact {
  const { replica, incidents, evidence, now } = deps;
  const artifact = mustGetArtifact(evidence, request.artifactId);
  mustGetOpenIncident(incidents, artifact.incidentId);
  if (artifact.state === 'collected' || artifact.state === 'verified' || artifact.state === 'waived') {
    throw new ApiError('conflict', `${artifactLabel(artifact)} is already ${artifact.state}; record what changed as a custody event instead.`);
  }
  let hashes: { sha256: string; md5: string | null; sha1: string | null };
  let hashSource: 'holdfast' | 'tool';
  const warnings: string[] = [];
  if (request.hashJobId !== undefined) {
    const entry = jobs.mustGet(request.hashJobId);
    if (entry.job.artifactId !== artifact.id || entry.job.purpose !== 'collect')
      throw new ApiError('bad_request', `Hashing job ${request.hashJobId} was not run to collect this artifact.`);
    if (entry.job.state !== 'done' || !entry.result)
      throw new ApiError('conflict', `Hashing job ${request.hashJobId} is ${entry.job.state}; wait for it to finish, or hash the file again.`);
    hashes = entry.result;
    hashSource = 'holdfast';
    if (request.size !== entry.result.size) warnings.push(`size mismatch: declared ${request.size} bytes, the file has ${entry.result.size}`);
    if (entry.result.size === 0) warnings.push('zero-byte file: the collection may have failed');
  } else {
    hashes = { sha256: (request.sha256 as string).toLowerCase(), md5: request.md5?.toLowerCase() ?? null, sha1: request.sha1?.toLowerCase() ?? null };
    hashSource = 'tool';
    if (request.size === 0) warnings.push('zero-byte file: the collection may have failed');
  }
  const at = now();
  const size = hashSource === 'holdfast' ? (jobs.find(request.hashJobId as string)?.result?.size ?? request.size) : request.size;
  const collected = custodyDraft(deps, artifact, 'collected', at, {
    to: request.storageLocation,
    note: clip(`${request.tool}${request.command ? `: ${request.command}` : ''} on ${request.hostIds.join(', ')}`),
    sha256: hashSource === 'tool' ? hashes.sha256 : null,
  });
  const drafts: OpDraft[] = [
    artifactDraft(artifact, {
      state: 'collected',
      collector: request.collector,
      hostIds: request.hostIds,
      acquisitionStart: request.acquisitionStart,
      acquisitionEnd: request.acquisitionEnd,
      collectorTimeZone: request.collectorTimeZone,
      tool: request.tool,
      command: request.command,
      storageLocation: request.storageLocation,
      fileName: request.fileName,
      size,
      sha256: hashes.sha256,
      md5: hashes.md5,
      sha1: hashes.sha1,
      hashSource,
      hashWarning: warnings.join('; '),
    }),
    collected.draft,
  ];
  if (hashSource === 'holdfast') {
    drafts.push(custodyDraft(deps, artifact, 'hashed', at, { sha256: hashes.sha256, note: `SHA-256 computed by Holdfast over ${size} bytes` }, collected.hash).draft);
  }
  drafts.push(
    systemEntry(
      artifact.incidentId,
      `${replica.actorId} collected ${artifactLabel(artifact)}: ${size} bytes, SHA-256 ${shortHash(hashes.sha256)} (${hashSource === 'holdfast' ? 'computed by Holdfast' : `declared by ${request.tool}`}), stored at ${request.storageLocation}${warnings.length ? ` — ${warnings.join('; ')}` : ''}`,
      at,
    ),
  );
  replica.commitLocal(drafts);
  return mustGetArtifact(evidence, artifact.id);
}

/** A finished verify job: the re-hash is compared with the recorded hash, and the result goes on record. */
export function recordVerification(deps: EvidenceDeps, job: HashJob, result: JobResult): void {
  const { replica, evidence, now } = deps;
  const artifact = mustGetArtifact(evidence, job.artifactId);
  if (!artifact.sha256) throw new Error('the artifact has no recorded SHA-256 to verify against');
  const isMatch = result.sha256 === artifact.sha256;
  const at = now();
  const { draft } = custodyDraft(deps, artifact, 'verified', at, {
    sha256: result.sha256,
    result: isMatch ? 'match' : 'mismatch',
    note: clip(`re-hashed ${job.path} (${result.size} bytes)`),
  });
  replica.commitLocal([
    draft,
    artifactDraft(
      artifact,
      // A mismatch takes the artifact back from verified, and says so; a later match clears it.
      isMatch
        ? { state: 'verified', hashWarning: artifact.hashWarning.startsWith('verification at ') ? '' : artifact.hashWarning }
        : { state: 'collected', hashWarning: `verification at ${utcStamp(at)} did not match: the file now hashes to ${result.sha256}` },
    ),
    systemEntry(
      artifact.incidentId,
      isMatch
        ? `${replica.actorId} verified ${artifactLabel(artifact)}: SHA-256 matches (${shortHash(result.sha256)})`
        : `${replica.actorId} verified ${artifactLabel(artifact)}: SHA-256 MISMATCH, recorded ${shortHash(artifact.sha256)}, file now ${shortHash(result.sha256)}`,
      at,
    ),
  ]);
}

export function waiveArtifact({ replica, incidents, evidence, now }: EvidenceDeps, request: ParsedRequest<'evidence.waive'>): Artifact {
  const artifact = mustGetArtifact(evidence, request.artifactId);
  mustGetOpenIncident(incidents, artifact.incidentId);
  if (artifact.state === 'collected' || artifact.state === 'verified')
    throw new ApiError('conflict', `${artifactLabel(artifact)} is already ${artifact.state}; there is nothing to waive.`);
  const at = now();
  replica.commitLocal([
    artifactDraft(artifact, { state: 'waived', reason: request.reason, approvedBy: request.approvedBy }),
    systemEntry(artifact.incidentId, `${replica.actorId} waived ${artifactLabel(artifact)}, approved by ${request.approvedBy}: ${request.reason}`, at),
  ]);
  return mustGetArtifact(evidence, artifact.id);
}

export function failArtifact({ replica, incidents, evidence, now }: EvidenceDeps, request: ParsedRequest<'evidence.fail'>): Artifact {
  const artifact = mustGetArtifact(evidence, request.artifactId);
  mustGetOpenIncident(incidents, artifact.incidentId);
  if (artifact.state !== 'planned' && artifact.state !== 'collecting')
    throw new ApiError('conflict', `${artifactLabel(artifact)} is ${artifact.state}; only evidence still being collected can fail.`);
  const at = now();
  replica.commitLocal([
    artifactDraft(artifact, { state: 'failed', reason: request.reason }),
    systemEntry(artifact.incidentId, `${replica.actorId} could not collect ${artifactLabel(artifact)}: ${request.reason}`, at),
  ]);
  return mustGetArtifact(evidence, artifact.id);
}
