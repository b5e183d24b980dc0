// The hash chains of an incident checked when its audit report is made: its ops, every custody
// chain and the custody records against their ops, with the SHA-256 of the op log; and the whole
// replica proved as verify-chain proves it (schema exactly the migrations', every projected row
// what the op log gives), since the report's text is read from those rows.
import { createHash } from 'node:crypto';
import { custodyChainProblem } from '@shared/domain/evidence';
import { custodyRecordsProblem, verifyOpChains, type OpChainBreak } from '../core/chain';
import { nativeSha256Hex } from '../core/native-hash';
import type { DatabaseProof } from '../core/projection-proof';
import { opsJsonl } from '../evidence/evidence-bundle';
import { byClock, type ReportRecord } from './report-record';

export interface ArtifactCustodyCheck {
  artifactId: string;
  events: number;
  isIntact: boolean;
  problem: string | null;
}

export interface Verification {
  /** Every check passed. */
  isIntact: boolean;
  /** The incident's op chains: each device's ops in the incident stream, hashes and links. */
  opChains: { chains: number; ops: number; breaks: OpChainBreak[] };
  /** Each artifact's custody chain (and events of artifacts the record does not hold). */
  custody: ArtifactCustodyCheck[];
  /** Whether the custody records are exactly those the ops wrote. */
  custodyRecordsProblem: string | null;
  /** SHA-256 of the incident's ops, one JSON op a line as stored: ops.jsonl of the evidence bundle. */
  opLogSha256: string;
  /** The replica the record was read from: its schema against the migrations, its projected rows against the op log replayed. */
  replica: { schemaVersion: number; projectedRows: number; opsReplayed: number; problem: string | null };
}

/**
 * Checks the record's hash chains now: the ops of the incident, every custody chain, and custody
 * records against their ops; `proof` is the replica's (proveDatabase), without which nothing is intact.
 */
export function verifyRecord(r: Pick<ReportRecord, 'ops' | 'custody' | 'artifacts'>, proof: DatabaseProof): Verification {
  const opChains = verifyOpChains(r.ops);
  const artifactIds = [...new Set([...r.artifacts.map((a) => a.id), ...r.custody.map((e) => e.artifactId)])];
  const custody = artifactIds.map((artifactId): ArtifactCustodyCheck => {
    const events = r.custody.filter((e) => e.artifactId === artifactId);
    const problem = custodyChainProblem(events, nativeSha256Hex);
    return { artifactId, events: events.length, isIntact: problem === null, problem };
  });
  const recordsProblem = custodyRecordsProblem(
    r.custody,
    r.ops
      .filter((o) => o.entity === 'custody_event')
      .sort(byClock)
      .map((o) => o.fields),
  );
  return {
    isIntact: opChains.breaks.length === 0 && custody.every((c) => c.isIntact) && recordsProblem === null && proof.problem === null,
    opChains,
    custody,
    custodyRecordsProblem: recordsProblem,
    opLogSha256: createHash('sha256').update(opsJsonl(r.ops)).digest('hex'),
    replica: { schemaVersion: proof.schema.version, projectedRows: proof.projections.rows, opsReplayed: proof.projections.ops, problem: proof.problem },
  };
}
