// Every approval in an incident's record: stakeholder update requests, decisions and publications,
// evidence waivers and recovery-gate overrides, read from the ops, the published updates and the runs.
import { audienceLabels } from '@shared/domain/comms';
import { artifactLabel, byClock, num, opTime, str, type ReportRecord } from './report-record';

export interface UpdateApproval {
  at: number;
  updateId: string;
  audience: string;
  title: string;
  action: 'approval requested' | 'approved' | 'rejected' | 'published';
  by: string;
  /** The approver asked for, the comment of a decision, or who approved a published update. */
  detail: string;
}

export interface Waiver {
  at: number;
  artifactId: string;
  artifact: string;
  reason: string;
  approvedBy: string;
  recordedBy: string;
}

export interface GateOverride {
  at: number | null;
  runId: string;
  runbookTitle: string;
  step: number;
  stepTitle: string;
  reason: string;
  by: string | null;
}

export interface Approvals {
  updates: UpdateApproval[];
  waivers: Waiver[];
  gateOverrides: GateOverride[];
}

/** Every approval in the record: stakeholder update requests, decisions and publications, evidence waivers, recovery-gate overrides. */
export function approvalsOf(r: Pick<ReportRecord, 'ops' | 'published' | 'artifacts' | 'runs'>): Approvals {
  const publishedById = new Map(r.published.map((p) => [p.updateId, p]));
  const rows = new Map<string, { audience: string; title: string; state: string | null }>();
  const updates: UpdateApproval[] = [];
  const ordered = [...r.ops].sort(byClock);
  for (const op of ordered.filter((o) => o.entity === 'comms_update')) {
    const f = op.fields;
    const updateId = op.rowId.slice(op.rowId.indexOf('/') + 1);
    const before = rows.get(op.rowId) ?? { audience: '', title: '', state: null };
    const row = { audience: str(f.audience) ?? before.audience, title: str(f.title) ?? before.title, state: str(f.state) ?? before.state };
    rows.set(op.rowId, row);
    const state = str(f.state);
    if (state === null || state === before.state) continue;
    const published = publishedById.get(updateId);
    const common = {
      updateId,
      audience: audienceLabels[row.audience as keyof typeof audienceLabels] ?? row.audience,
      title: published?.title ?? row.title,
    };
    if (state === 'awaiting-approval') {
      updates.push({
        ...common,
        at: num(f.requestedAt) ?? opTime(op),
        action: 'approval requested',
        by: op.actorId,
        detail: str(f.approver) ? `from ${str(f.approver)}` : '',
      });
    } else if (state === 'approved' || state === 'rejected') {
      updates.push({ ...common, at: num(f.decidedAt) ?? opTime(op), action: state, by: str(f.decidedBy) ?? op.actorId, detail: str(f.decisionComment) ?? '' });
    }
  }
  for (const p of r.published) {
    updates.push({
      at: p.publishedAt,
      updateId: p.updateId,
      audience: audienceLabels[p.audience] ?? p.audience,
      title: p.title,
      action: 'published',
      by: p.publishedBy,
      detail: p.approvedBy ? `approved by ${p.approvedBy}` : 'no approval needed',
    });
  }
  updates.sort((a, b) => a.at - b.at);

  const artifacts = new Map(r.artifacts.map((a) => [a.id, a]));
  const artifactStates = new Map<string, string>();
  const waivers: Waiver[] = [];
  for (const op of ordered.filter((o) => o.entity === 'artifact')) {
    const state = str(op.fields.state);
    const before = artifactStates.get(op.rowId);
    if (state !== null) artifactStates.set(op.rowId, state);
    if (state !== 'waived' || before === 'waived') continue;
    waivers.push({
      at: opTime(op),
      artifactId: op.rowId,
      artifact: artifactLabel(artifacts.get(op.rowId), op.rowId),
      reason: str(op.fields.reason) ?? '',
      approvedBy: str(op.fields.approvedBy) ?? '',
      recordedBy: op.actorId,
    });
  }

  const gateOverrides = r.runs.flatMap((run) =>
    run.deviations
      .filter((d) => d.kind === 'evidence-gate')
      .map((d): GateOverride => ({ at: d.at, runId: run.id, runbookTitle: d.runbookTitle, step: d.step, stepTitle: d.stepTitle, reason: d.note, by: d.by })),
  );
  gateOverrides.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return { updates, waivers, gateOverrides };
}
