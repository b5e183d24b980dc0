// An evidence bundle loaded into this replica: verified first (files, ops, custody chains, derived
// files, signature against the organisation key this replica pinned, else the bundle's own), then
// its ops applied as sync would apply them, delivery records kept as evidence only (never outbox
// work). Refused when the replica already holds the incident: a bundle never changes a live record.
import type { ParsedRequest } from '@shared/contract';
import type { BundleImportReport } from '@shared/domain/bundle-import';
import { ApiError } from '@shared/errors';
import type { Replica } from '../core/replica';
import { refuseDeliveryWork } from '../core/imported-delivery';
import { fileTrustOfDataDir } from '../core/signed-files';
import type { IncidentStore } from '../incidents/incident-store';
import { checkBundle } from './bundle-check';
import type { TrustCheck } from './bundle-trust';

/** What the signature check found, as the end of a verified line. */
export function signatureSummary(check: TrustCheck): string {
  const counts = `${check.signed} signed op${check.signed === 1 ? '' : 's'}, ${check.unsigned} unsigned (written before signing)`;
  if (check.anchor === 'pinned') return `${counts}; certificates check against the organisation key this replica pinned (${check.fingerprint})`;
  if (check.anchor === 'bundle')
    return `${counts}; certificates check against the organisation key the bundle carries (${check.fingerprint}): compare it with your organisation's (holdfast server org-key show) to know who signed`;
  return `${counts}; no organisation key: the signatures show the ops are unchanged, not who wrote them`;
}

export interface BundleImportDeps {
  replica: Replica;
  incidents: Pick<IncidentStore, 'get'>;
  dataDir: string;
}

export async function importEvidenceBundle(
  { replica, incidents, dataDir }: BundleImportDeps,
  request: ParsedRequest<'evidence.importBundle'>,
): Promise<BundleImportReport> {
  const bytes = Buffer.from(request.bundle, 'base64');
  const { pinnedOrgKeys, revocations } = fileTrustOfDataDir(dataDir);
  const { reading, trust, signature, refusedOnlyAsUnsigned } = await checkBundle(bytes, { pinned: pinnedOrgKeys, revocations, allowUnsigned: request.allowUnsigned });
  const empty = {
    incidentId: reading.incidentId ?? null,
    signatureLine: signature.line,
    trustSummary: '',
    accepted: 0,
    duplicates: 0,
    notApplied: [],
    rejected: [],
    evidenceOnly: 0,
  };
  if (!reading.ok) return { ok: false, problems: reading.problems, refusedOnlyAsUnsigned, ...empty };
  if (reading.incidentId !== null && incidents.get(reading.incidentId) !== undefined) {
    throw new ApiError('conflict', `this replica already holds incident ${reading.incidentId}; import the bundle into an empty data folder (--data DIR) to examine it`);
  }
  // The certificates first, so the ops are judged as sync would judge them.
  if (replica.trust.isJudging()) replica.applyRemote(trust.trustOps);
  const results = replica.applyRemote(reading.ops, undefined, { refuse: refuseDeliveryWork });
  const deliveryOps = new Set(reading.ops.filter((op) => refuseDeliveryWork(op) !== null).map((op) => op.opId));
  const isEvidenceOnly = (r: (typeof results)[number]) => r.status === 'refused' && r.opId !== null && deliveryOps.has(r.opId);
  const outcome = (r: (typeof results)[number]) => ({ opId: r.opId, status: r.status, reason: 'reason' in r ? String(r.reason) : '' });
  return {
    ok: true,
    problems: [],
    refusedOnlyAsUnsigned: false,
    incidentId: reading.incidentId,
    signatureLine: signature.line,
    trustSummary: signatureSummary(trust),
    accepted: results.filter((r) => r.status === 'accepted').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    notApplied: results.filter((r) => (r.status === 'held' || r.status === 'refused') && !isEvidenceOnly(r)).map(outcome),
    rejected: results.filter((r) => r.status === 'rejected').map(outcome),
    evidenceOnly: results.filter(isEvidenceOnly).length,
  };
}
