// Closing an incident: what the close dialog lists as still open, and which war-room actions a
// closed incident still offers.
import { describe, expect, it } from 'vitest';
import type { WarRoom } from '@shared/domain/incident';
import type { Artifact } from '@shared/domain/evidence';
import type { RunbookRun } from '@shared/domain/runbook';
import { closeIncidentDialog, isOfferedWhenClosed, stillOpen } from '../../renderer/src/features/war-room/close-incident';

const now = 1_795_000_000_000;

function room(): WarRoom {
  return {
    incident: { id: 'inc-1' },
    tasks: [
      { id: 't1', title: 'Check replica lag', ownerId: 'omar', status: 'doing' },
      { id: 't2', title: 'Write the timeline summary', ownerId: null, status: 'open' },
      { id: 't3', title: 'Page the DBA', ownerId: null, status: 'done' },
      { id: 't4', title: 'Old idea', ownerId: null, status: 'cancelled' },
    ],
    freezes: [
      { id: 'f1', scope: 'orders-db', liftedAt: null, until: null },
      { id: 'f2', scope: 'all production', liftedAt: now - 1000, until: null },
      { id: 'f3', scope: 'checkout', liftedAt: null, until: now - 1 },
    ],
  } as unknown as WarRoom;
}

const runs = [
  { id: 'r1', incidentId: 'inc-1', title: 'Database failover', status: 'active' },
  { id: 'r2', incidentId: 'inc-1', title: 'Release rollback', status: 'stopped' },
] as unknown as RunbookRun[];

const artifacts = [
  { id: 'a1', incidentId: 'inc-1', what: 'Server log', asset: 'orders-db-1', isRequired: true, state: 'planned' },
  { id: 'a2', incidentId: 'inc-1', what: 'Core dump', asset: '', isRequired: false, state: 'planned' },
  { id: 'a3', incidentId: 'inc-1', what: 'Config', asset: '', isRequired: true, state: 'waived' },
  { id: 'a4', incidentId: 'inc-1', what: 'Locks', asset: '', isRequired: true, state: 'failed' },
] as unknown as Artifact[];

describe('closing an incident', () => {
  it('lists open tasks, active runs, required evidence not settled and active freezes', () => {
    const open = stillOpen(room(), runs, artifacts, now);
    expect(open).toEqual({
      tasks: ['Check replica lag (omar)', 'Write the timeline summary'],
      runs: ['Database failover'],
      evidence: ['Server log (orders-db-1), planned', 'Locks, failed'],
      freezes: ['orders-db'],
    });
    const dialog = closeIncidentDialog(open, () => Promise.resolve());
    expect(dialog.submitLabel).toBe('Close anyway');
    expect(dialog.isDanger).toBe(true);
    expect(dialog.description).toContain('Still open: 2 open tasks, 1 active runbook run, 2 required artifacts');
    expect(dialog.items?.[0]).toBe('Deployment freeze on orders-db: lift it first (closing is refused while it is active)');
    expect(dialog.items).toHaveLength(6);
  });

  it('asks plainly when nothing is left open', () => {
    const dialog = closeIncidentDialog({ tasks: [], runs: [], evidence: [], freezes: [] }, () => Promise.resolve());
    expect(dialog.submitLabel).toBe('Close incident');
    expect(dialog.items).toEqual([]);
    expect(dialog.description).toContain('Nothing is left open');
  });

  it('offers a closed incident only reading, pins, milestone corrections, legal hold, the review and reports', () => {
    const offered = [
      'correct-milestone',
      'legal-hold',
      'search',
      'pinned',
      'clear-filter',
      'pin-last',
      'review',
      'report-md:incident',
      'report-print:audit',
      'evidence-open:a1',
      'evidence-export:manifest-csv',
      'runbook-open:r1',
      'updates:history:customers',
      'go-incidents',
    ];
    const refused = [
      'status:investigating',
      'severity:SEV2',
      'freeze',
      'add-task',
      'task-done:t1',
      'entry:note',
      'assign:scribe',
      'take:scribe',
      'correct-last',
      'runbook-start',
      'runbook-start:db',
      'evidence-checklist',
      'evidence-add',
      'updates:new:customers',
      'edit-incident',
    ];
    expect(offered.filter((id) => !isOfferedWhenClosed(id))).toEqual([]);
    expect(refused.filter((id) => isOfferedWhenClosed(id))).toEqual([]);
  });
});
