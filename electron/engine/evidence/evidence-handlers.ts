// Evidence calls: checklist templates, starting a checklist in an incident, moving artifacts
// through planned → collecting → collected → verified (or waived, or failed), hashing files in the
// engine as a stream with progress and cancel, and each artifact's chain of custody. Every change
// is written with its timeline entry; custody events are appended, never changed.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Handlers } from '../../../shared/contract';
import {
  custodyChainProblem,
  custodyGenesis,
  custodyRecord,
  volatilityOf,
  type Artifact,
  type CustodyAction,
  type CustodyEvent,
  type EvidenceView,
  type HashJob,
} from '../../../shared/domain/evidence';
import { runbookSlug } from '../../../shared/domain/runbook-format';
import { incidentRowId } from '../../../shared/entities';
import { ApiError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { OpDraft } from '../../../shared/ops';
import { utcStamp } from '../../../shared/time';
import { exportFile, type EvidenceRecord } from './evidence-export';
import type { EvidenceStore } from './evidence-store';
import type { IncidentStore } from '../incidents/incident-store';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';
import { mustGetIncident, mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';

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

interface JobResult {
  size: number;
  sha256: string;
  md5: string | null;
  sha1: string | null;
}

interface RunningJob {
  job: HashJob;
  result: JobResult | null;
  cancel: () => void;
}

/** How often a running job reports progress. */
const progressEveryMs = 200;
/** Finished jobs kept for recordCollection to read; the oldest are forgotten first. */
const keptJobs = 200;
/** Files hashed at once: each reads from disk as fast as it can. */
const maxRunningJobs = 4;
/** Custody notes hold at most this much (a long path or command is cut, never refused). */
const maxNoteChars = 2000;
const clip = (text: string, max = maxNoteChars) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const label = (a: Pick<Artifact, 'what' | 'asset'>) => `"${a.what}"${a.asset ? ` (${a.asset})` : ''}`;
const short = (hash: string) => `${hash.slice(0, 12)}…`;

export interface EvidenceDeps {
  replica: Replica;
  incidents: IncidentStore;
  evidence: EvidenceStore;
  now: () => number;
  /** Where job progress goes (the engine's `evidence.hashProgress` event). */
  onHashProgress: (job: HashJob) => void;
  /** One incident's whole record, for exports. */
  recordOf: (incidentId: string) => EvidenceRecord;
}

export function evidenceHandlers(deps: EvidenceDeps): EvidenceHandlers & { closeJobs(): void } {
  const { replica, incidents, evidence, now, onHashProgress, recordOf } = deps;
  const jobs = new Map<string, RunningJob>();

  const view = (incidentId: string): EvidenceView => {
    const custody = evidence.custody(incidentId);
    return { artifacts: evidence.artifacts(incidentId), custody, gate: evidence.gate(incidentId), chainProblem: custodyChainProblem(custody, nativeSha256Hex) };
  };

  const mustGetArtifact = (id: string): Artifact => {
    const artifact = evidence.artifact(id);
    if (!artifact) throw new ApiError('not_found', `No artifact ${id} on this replica; it may not have synced here yet.`);
    return artifact;
  };

  /** A custody event chained to the artifact's newest event on this replica. */
  const custodyDraft = (
    artifact: Artifact,
    action: CustodyAction,
    at: number,
    details: Partial<Pick<CustodyEvent, 'from' | 'to' | 'purpose' | 'note' | 'sha256' | 'result' | 'corrects'>> = {},
    prevHash = evidence.custodyHead(artifact.id) ?? custodyGenesis,
  ): { draft: OpDraft; hash: string } => {
    const record: Omit<CustodyEvent, 'hash'> = {
      id: uuidv7(at),
      incidentId: artifact.incidentId,
      artifactId: artifact.id,
      action,
      from: details.from ?? '',
      to: details.to ?? '',
      purpose: details.purpose ?? '',
      note: details.note ?? '',
      sha256: details.sha256 ?? null,
      result: details.result ?? null,
      corrects: details.corrects ?? null,
      at,
      actorId: replica.actorId,
      prevHash,
    };
    const hash = nativeSha256Hex(custodyRecord(record));
    const { id, actorId: _actor, ...fields } = record;
    return { draft: { entity: 'custody_event', rowId: '', fields: { eventId: id, ...fields, hash } }, hash };
  };

  const artifactDraft = (artifact: Pick<Artifact, 'id' | 'incidentId'>, fields: Record<string, unknown>): OpDraft => ({
    entity: 'artifact',
    rowId: artifact.id,
    fields: { incidentId: artifact.incidentId, ...fields } as OpDraft['fields'],
  });

  const report = (entry: RunningJob) => onHashProgress({ ...entry.job });

  /** Streams a file through SHA-256 (and MD5/SHA-1 when asked), reporting progress; never loads it whole. */
  const startJob = (artifact: Artifact, path: string, purpose: HashJob['purpose'], withLegacy: boolean): HashJob => {
    if (!isAbsolute(path)) throw new ApiError('bad_request', `Give the file's full path (${path} is relative): it is read by Holdfast on this machine.`);
    // A network path would make this machine connect (and authenticate) to another host.
    if (/^(\\\\|\/\/)/.test(path)) throw new ApiError('bad_request', `${path} is a network path: copy the file to this machine, then hash it here.`);
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new ApiError('bad_request', `${path} is not a file.`);
      size = stat.size;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('bad_request', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`);
    }
    const running = [...jobs.values()].filter((j) => j.job.state === 'running').length;
    if (running >= maxRunningJobs) throw new ApiError('conflict', `${running} files are being hashed already; wait for one to finish or cancel one.`);
    const job: HashJob = { id: uuidv7(now()), artifactId: artifact.id, path, purpose, bytesDone: 0, bytesTotal: size, state: 'running', error: null, sha256: null, md5: null, sha1: null };
    const hashes = { sha256: createHash('sha256'), md5: withLegacy ? createHash('md5') : null, sha1: withLegacy ? createHash('sha1') : null };
    const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
    const entry: RunningJob = { job, result: null, cancel: () => stream.destroy(new Error('cancelled')) };
    jobs.set(job.id, entry);
    // Finished jobs are forgotten oldest first; running ones are kept until they end.
    for (const [id, kept] of jobs) {
      if (jobs.size <= keptJobs) break;
      if (kept.job.state !== 'running') jobs.delete(id);
    }
    let lastReport = 0;
    stream.on('data', (chunk) => {
      const bytes = chunk as Buffer;
      hashes.sha256.update(bytes);
      hashes.md5?.update(bytes);
      hashes.sha1?.update(bytes);
      job.bytesDone += bytes.length;
      const at = Date.now();
      if (at - lastReport >= progressEveryMs) {
        lastReport = at;
        report(entry);
      }
    });
    stream.on('error', (error) => {
      if (job.state !== 'running') return;
      job.state = error.message === 'cancelled' ? 'cancelled' : 'failed';
      job.error = job.state === 'cancelled' ? null : error.message;
      report(entry);
    });
    stream.on('end', () => {
      if (job.state !== 'running') return;
      entry.result = { size: job.bytesDone, sha256: hashes.sha256.digest('hex'), md5: hashes.md5?.digest('hex') ?? null, sha1: hashes.sha1?.digest('hex') ?? null };
      job.sha256 = entry.result.sha256;
      job.md5 = entry.result.md5;
      job.sha1 = entry.result.sha1;
      try {
        if (purpose === 'verify') recordVerification(job, entry.result);
        job.state = 'done';
      } catch (error) {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      }
      report(entry);
    });
    return { ...job };
  };

  /** A finished verify job: the re-hash is compared with the recorded hash, and the result goes on record. */
  const recordVerification = (job: HashJob, result: JobResult) => {
    const artifact = mustGetArtifact(job.artifactId);
    if (!artifact.sha256) throw new Error('the artifact has no recorded SHA-256 to verify against');
    const isMatch = result.sha256 === artifact.sha256;
    const at = now();
    const { draft } = custodyDraft(artifact, 'verified', at, { sha256: result.sha256, result: isMatch ? 'match' : 'mismatch', note: clip(`re-hashed ${job.path} (${result.size} bytes)`) });
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
          ? `${replica.actorId} verified ${label(artifact)}: SHA-256 matches (${short(result.sha256)})`
          : `${replica.actorId} verified ${label(artifact)}: SHA-256 MISMATCH, recorded ${short(artifact.sha256)}, file now ${short(result.sha256)}`,
        at,
      ),
    ]);
  };

  const mustGetJob = (jobId: string): RunningJob => {
    const entry = jobs.get(jobId);
    if (!entry) throw new ApiError('not_found', `No hashing job ${jobId} on this replica (jobs are kept until the app restarts).`);
    return entry;
  };

  return {
    'evidence.templates': () => evidence.templates(),
    'evidence.saveTemplate': (request) => {
      const id = request.id ?? runbookSlug(request.name);
      if (!id) throw new ApiError('bad_request', 'Give the checklist an id: its name has no letters or digits to make one from.');
      // Without an id this is a new checklist: it never silently replaces one with the same name.
      if (request.id === undefined && evidence.templates().some((t) => t.id === id)) {
        throw new ApiError('conflict', `A checklist with id "${id}" exists already: edit it, or give this one another name or id.`);
      }
      const items = request.items.map((item) => ({ ...item, volatility: item.volatility ?? volatilityOf[item.artifactType] }));
      replica.commitLocal([{ entity: 'checklist_template', rowId: id, fields: { name: request.name, incidentTypes: request.incidentTypes, items, deleted: false, updatedBy: replica.actorId } }]);
      const saved = evidence.templates().find((t) => t.id === id);
      if (!saved) throw new Error(`checklist ${id} was written but cannot be read back`);
      return saved;
    },
    'evidence.removeTemplate': (request) => {
      const template = evidence.templates().find((t) => t.id === request.id);
      if (!template) throw new ApiError('not_found', `No checklist ${request.id} in this replica's library.`);
      replica.commitLocal([{ entity: 'checklist_template', rowId: template.id, fields: { name: template.name, deleted: true, updatedBy: replica.actorId } }]);
      return evidence.templates();
    },
    'evidence.startChecklist': (request) => {
      const incident = mustGetOpenIncident(incidents, request.incidentId);
      const template = evidence.templates().find((t) => t.id === request.templateId);
      if (!template) throw new ApiError('not_found', `No checklist ${request.templateId} in this replica's library.`);
      const existing = new Set(evidence.artifacts(incident.id).filter((a) => a.templateId === template.id).map((a) => a.itemKey));
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
      return view(incident.id);
    },
    'evidence.list': (request) => {
      mustGetIncident(incidents, request.incidentId);
      return view(request.incidentId);
    },
    'evidence.add': (request) => {
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
        systemEntry(incident.id, `${replica.actorId} listed evidence to collect: ${request.artifactType} ${label(request)}${request.isRequired ? ', required' : ''}`, at),
      ]);
      return mustGetArtifact(id);
    },
    'evidence.startCollecting': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      mustGetOpenIncident(incidents, artifact.incidentId);
      if (artifact.state !== 'planned' && artifact.state !== 'failed') {
        throw new ApiError('conflict', `${label(artifact)} is ${artifact.state}; only planned or failed evidence can be (re)started.`);
      }
      const at = now();
      replica.commitLocal([
        artifactDraft(artifact, { state: 'collecting', reason: '' }),
        systemEntry(artifact.incidentId, `${replica.actorId} started collecting ${label(artifact)}`, at),
      ]);
      return mustGetArtifact(artifact.id);
    },
    'evidence.hashFile': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      if (request.purpose === 'verify' && !artifact.sha256) throw new ApiError('conflict', `${label(artifact)} has no recorded hash yet: collect it first.`);
      if (request.purpose === 'collect') mustGetOpenIncident(incidents, artifact.incidentId);
      return startJob(artifact, request.path, request.purpose, request.withLegacy);
    },
    'evidence.hashJob': (request) => ({ ...mustGetJob(request.jobId).job }),
    'evidence.cancelHash': (request) => {
      const entry = mustGetJob(request.jobId);
      if (entry.job.state === 'running') entry.cancel();
      return { ...entry.job };
    },
    'evidence.recordCollection': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      mustGetOpenIncident(incidents, artifact.incidentId);
      if (artifact.state === 'collected' || artifact.state === 'verified' || artifact.state === 'waived') {
        throw new ApiError('conflict', `${label(artifact)} is already ${artifact.state}; record what changed as a custody event instead.`);
      }
      let hashes: { sha256: string; md5: string | null; sha1: string | null };
      let hashSource: 'holdfast' | 'tool';
      const warnings: string[] = [];
      if (request.hashJobId !== undefined) {
        const entry = mustGetJob(request.hashJobId);
        if (entry.job.artifactId !== artifact.id || entry.job.purpose !== 'collect') throw new ApiError('bad_request', `Hashing job ${request.hashJobId} was not run to collect this artifact.`);
        if (entry.job.state !== 'done' || !entry.result) throw new ApiError('conflict', `Hashing job ${request.hashJobId} is ${entry.job.state}; wait for it to finish, or hash the file again.`);
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
      const size = hashSource === 'holdfast' ? (jobs.get(request.hashJobId as string)?.result?.size ?? request.size) : request.size;
      const collected = custodyDraft(artifact, 'collected', at, {
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
        drafts.push(custodyDraft(artifact, 'hashed', at, { sha256: hashes.sha256, note: `SHA-256 computed by Holdfast over ${size} bytes` }, collected.hash).draft);
      }
      drafts.push(
        systemEntry(
          artifact.incidentId,
          `${replica.actorId} collected ${label(artifact)}: ${size} bytes, SHA-256 ${short(hashes.sha256)} (${hashSource === 'holdfast' ? 'computed by Holdfast' : `declared by ${request.tool}`}), stored at ${request.storageLocation}${warnings.length ? ` — ${warnings.join('; ')}` : ''}`,
          at,
        ),
      );
      replica.commitLocal(drafts);
      return mustGetArtifact(artifact.id);
    },
    'evidence.waive': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      mustGetOpenIncident(incidents, artifact.incidentId);
      if (artifact.state === 'collected' || artifact.state === 'verified') throw new ApiError('conflict', `${label(artifact)} is already ${artifact.state}; there is nothing to waive.`);
      const at = now();
      replica.commitLocal([
        artifactDraft(artifact, { state: 'waived', reason: request.reason, approvedBy: request.approvedBy }),
        systemEntry(artifact.incidentId, `${replica.actorId} waived ${label(artifact)}, approved by ${request.approvedBy}: ${request.reason}`, at),
      ]);
      return mustGetArtifact(artifact.id);
    },
    'evidence.fail': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      mustGetOpenIncident(incidents, artifact.incidentId);
      if (artifact.state !== 'planned' && artifact.state !== 'collecting') throw new ApiError('conflict', `${label(artifact)} is ${artifact.state}; only evidence still being collected can fail.`);
      const at = now();
      replica.commitLocal([
        artifactDraft(artifact, { state: 'failed', reason: request.reason }),
        systemEntry(artifact.incidentId, `${replica.actorId} could not collect ${label(artifact)}: ${request.reason}`, at),
      ]);
      return mustGetArtifact(artifact.id);
    },
    'evidence.addCustody': (request) => {
      const artifact = mustGetArtifact(request.artifactId);
      // Custody goes on after an incident closes: evidence is stored, transferred, disposed of later.
      mustGetIncident(incidents, artifact.incidentId);
      const events = evidence.artifactCustody(artifact.id);
      if (request.corrects !== undefined && !events.some((e) => e.id === request.corrects)) {
        throw new ApiError('bad_request', `Custody event ${request.corrects} is not in the chain of ${label(artifact)}.`);
      }
      if (events.some((e) => e.action === 'disposed') && request.action !== 'correction') {
        throw new ApiError('conflict', `${label(artifact)} was disposed of; only a correction can be added to its chain.`);
      }
      const at = request.at ?? now();
      if (at > now() + 60_000) throw new ApiError('bad_request', 'at is in the future; give the time it happened.');
      const { draft } = custodyDraft(artifact, request.action, at, {
        from: request.from,
        to: request.to,
        purpose: request.purpose,
        note: request.note,
        corrects: request.corrects ?? null,
      });
      const said =
        request.action === 'transferred'
          ? `transferred ${label(artifact)} from ${request.from} to ${request.to} (${request.purpose})`
          : `recorded custody of ${label(artifact)}: ${request.action}${request.note ? `: ${request.note}` : ''}`;
      replica.commitLocal([draft, systemEntry(artifact.incidentId, `${replica.actorId} ${said}`, now())]);
      const written = String(draft.fields.eventId);
      const event = evidence.artifactCustody(artifact.id).find((e) => e.id === written);
      if (!event) throw new Error(`custody event ${written} was written but cannot be read back`);
      return event;
    },
    'evidence.custody': (request) => evidence.artifactCustody(mustGetArtifact(request.artifactId).id),
    'evidence.export': (request) => {
      mustGetIncident(incidents, request.incidentId);
      if (request.artifactId !== undefined && mustGetArtifact(request.artifactId).incidentId !== request.incidentId) {
        throw new ApiError('bad_request', `Artifact ${request.artifactId} belongs to another incident.`);
      }
      return exportFile(recordOf(request.incidentId), request.format, request.artifactId);
    },
    closeJobs() {
      for (const entry of jobs.values()) if (entry.job.state === 'running') entry.cancel();
    },
  };
}
