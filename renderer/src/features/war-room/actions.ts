// Every war-room action in one catalogue, built from the room's current state: the header and panel
// buttons and the command palette (Ctrl/Cmd+K) run the same entries, so the palette reaches
// everything a button can do.
import { incidentTypes, severities, type WarRoom } from '@shared/domain/incident';
import { roleDuties, roleTitles, singleRoles, type RoleSeat } from '@shared/domain/incident-roles';
import { isFreezeActive } from '@shared/domain/freeze';
import { incidentStatuses, milestoneLabels, milestones, nextStatuses } from '@shared/domain/lifecycle';
import { manualTimelineKinds } from '@shared/domain/timeline';
import { fromLocalInput, toLocalInput } from '../../lib/time';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import type { TaskStatus } from '@shared/domain/tasks';
import type { RunbookRun, RunbookSummary } from '@shared/domain/runbook';
import type { Artifact } from '@shared/domain/evidence';
import type { DialogSpec, FieldValue } from './dialog-spec';
import { closeIncidentDialog, stillOpen } from './close-incident';
import { correctEntryDialog } from './entry-dialogs';
import { evidenceActions } from './evidence-actions';
import { runbookActions } from './runbook-actions';
import { rereadRoom } from './war-room-queries';
import { focusEntryBox, focusTimelineSearch } from './war-room-keys';
import { desktopPrinter, downloadReport, printReport, reportLabels } from '../reviews/reports';

export interface Action {
  id: string;
  label: string;
  group: 'Incident' | 'Roles' | 'Timeline' | 'Freeze' | 'Tasks' | 'Runbooks' | 'Evidence' | 'Updates' | 'Review' | 'Go to';
  run: () => void;
  /** Set when the user's role may not take it (./action-gates): the palette leaves it out, its button is disabled. */
  disabledWhy?: string;
}

const text = (values: Record<string, FieldValue>, name: string) => String(values[name] ?? '').trim();
const time = (values: Record<string, FieldValue>, name: string, label: string) => {
  const ms = fromLocalInput(text(values, name));
  if (ms === null) throw new Error(`${label}: give a complete date and time.`);
  return ms;
};

async function thenReload<T>(promise: Promise<T>): Promise<T> {
  const result = await promise;
  const incidentId = useStore.getState().openIncidentId;
  if (incidentId) void rereadRoom(incidentId);
  return result;
}

/** A one-click action: no dialog to show a refusal in, so it goes to the war room's banner. */
const oneClick = (call: () => Promise<unknown>) => () => {
  thenReload(call()).catch((error: unknown) => useStore.getState().showRoomError(error));
};

const dialog = (spec: DialogSpec) => () => useStore.getState().openDialog(spec);

/** "Write an action": each kind with its article. */
export const entryLabels: Record<(typeof manualTimelineKinds)[number], string> = {
  note: 'Write a note',
  decision: 'Write a decision',
  action: 'Write an action',
  observation: 'Write an observation',
  comms: 'Write a comms entry',
};

export const seatTitle = (seat: RoleSeat) => (seat.role === 'sme' ? `${roleTitles.sme}: ${seat.label}` : roleTitles[seat.role]);

/** The actions on one role seat for the person at this replica. */
export function seatActions(room: WarRoom, seat: RoleSeat, me: string): Action[] {
  const api = client();
  const title = seatTitle(seat);
  const actions: Action[] = [];
  if (seat.offeredTo === me) {
    actions.push(
      { id: `accept:${seat.id}`, label: `Accept ${title}`, group: 'Roles', run: oneClick(() => api.call('roles.answer', { seatId: seat.id, isAccepted: true })) },
      { id: `decline:${seat.id}`, label: `Decline ${title}`, group: 'Roles', run: oneClick(() => api.call('roles.answer', { seatId: seat.id, isAccepted: false })) },
    );
  }
  if (seat.offeredTo !== null && (seat.holderId === me || seat.offeredBy === me)) {
    actions.push({
      id: `withdraw:${seat.id}`,
      label: `Withdraw the offer of ${title}`,
      group: 'Roles',
      run: oneClick(() => api.call('roles.withdraw', { seatId: seat.id })),
    });
  }
  if (seat.holderId === me) {
    actions.push({
      id: `offer:${seat.id}`,
      label: `Hand over ${title}…`,
      group: 'Roles',
      run: dialog({
        title: `Hand over ${title}`,
        description: 'They become the holder when they accept; until then you keep the role.',
        fields: [{ name: 'to', label: 'Offer to (user name)', kind: 'person' }],
        submitLabel: 'Offer role',
        submit: (v) => thenReload(api.call('roles.offer', { seatId: seat.id, to: text(v, 'to') })),
      }),
    });
  }
  if (seat.holderId !== null && seat.role !== 'commander') {
    actions.push({
      id: `release:${seat.id}`,
      label: seat.holderId === me ? `Step down as ${title}…` : `Release ${seat.holderId} from ${title}…`,
      group: 'Roles',
      run: dialog({
        title: seat.holderId === me ? `Step down as ${title}` : `Release ${seat.holderId} from ${title}`,
        fields: [{ name: 'reason', label: 'Reason (goes on the timeline)', kind: 'text' }],
        submitLabel: 'Release role',
        submit: (v) => thenReload(api.call('roles.release', { seatId: seat.id, reason: text(v, 'reason') })),
      }),
    });
  }
  return actions;
}

/** Assigning (or reassigning) one of the fixed roles. */
function assignAction(room: WarRoom, role: (typeof singleRoles)[number], me: string): Action[] {
  const api = client();
  const seat = room.seats.find((s) => s.role === role);
  const title = roleTitles[role];
  const holder = seat?.holderId ?? null;
  const actions: Action[] = [];
  if (holder === null) {
    actions.push({
      id: `take:${role}`,
      label: `Take ${title}`,
      group: 'Roles',
      run: oneClick(() => api.call('roles.assign', { incidentId: room.incident.id, role, personId: me })),
    });
  }
  actions.push({
    id: `assign:${role}`,
    label: holder === null ? `Assign ${title}…` : `Reassign ${title} (held by ${holder})…`,
    group: 'Roles',
    run: dialog({
      title: holder === null ? `Assign ${title}` : `Reassign ${title}`,
      description: roleDuties[role],
      fields: [
        { name: 'person', label: 'Person (user name)', kind: 'person' },
        ...(holder === null ? [] : [{ name: 'reason', label: `Reason: ${holder} has not accepted a handoff`, kind: 'text' as const }]),
      ],
      submitLabel: holder === null ? 'Assign' : 'Reassign',
      isDanger: holder !== null,
      submit: (v) => thenReload(api.call('roles.assign', { incidentId: room.incident.id, role, personId: text(v, 'person'), reason: text(v, 'reason') || undefined })),
    }),
  });
  return actions;
}

export function warRoomActions(
  room: WarRoom,
  me: string,
  now: number,
  runbooks: { runs: RunbookRun[]; suggested: RunbookSummary[] } = { runs: [], suggested: [] },
  artifacts: Artifact[] = [],
): Action[] {
  const api = client();
  const { incident } = room;
  const id = incident.id;
  const store = useStore.getState();
  const actions: Action[] = [];

  for (const to of nextStatuses(incident.status)) {
    const isBack = incidentStatusRank(to) < incidentStatusRank(incident.status);
    actions.push({
      id: `status:${to}`,
      label: to === 'closed' ? 'Close the incident…' : `${isBack ? 'Move back' : 'Move'} to ${to}${isBack ? '…' : ''}`,
      group: 'Incident',
      run: isBack
        ? dialog({
            title: `Move back to ${to}`,
            description: incident.status === 'resolved' ? 'This reopens the incident.' : 'This records a regression.',
            fields: [{ name: 'reason', label: 'Reason (goes on the timeline)', kind: 'text' }],
            submitLabel: `Move to ${to}`,
            isDanger: true,
            submit: (v) => thenReload(api.call('incidents.setStatus', { id, status: to, reason: text(v, 'reason') })),
          })
        : to === 'closed'
          ? dialog(closeIncidentDialog(stillOpen(room, runbooks.runs, artifacts, now), () => thenReload(api.call('incidents.setStatus', { id, status: to }))))
          : oneClick(() => api.call('incidents.setStatus', { id, status: to })),
    });
  }
  for (const severity of severities) {
    if (severity === incident.severity) continue;
    actions.push({
      id: `severity:${severity}`,
      label: `Change severity to ${severity} (${room.severityMeanings[severity].split(':')[0]})`,
      group: 'Incident',
      run: oneClick(() => api.call('incidents.update', { id, severity })),
    });
  }
  actions.push({
    id: 'edit-incident',
    label: 'Edit title, type, services, drill…',
    group: 'Incident',
    run: dialog({
      title: 'Edit incident',
      fields: [
        { name: 'title', label: 'Title', kind: 'text', initial: incident.title },
        { name: 'type', label: 'Type', kind: 'select', initial: incident.type, options: [{ value: '', label: '(none)' }, ...typeOptions(incident.type)] },
        { name: 'services', label: 'Affected services (comma-separated)', kind: 'text', initial: incident.services.join(', ') },
        { name: 'summary', label: 'Summary', kind: 'textarea', initial: incident.summary },
        { name: 'isDrill', label: 'This is a drill (left out of metrics)', kind: 'checkbox', initial: incident.isDrill },
      ],
      submitLabel: 'Save',
      submit: (v) =>
        thenReload(
          api.call('incidents.update', {
            id,
            title: text(v, 'title'),
            type: text(v, 'type'),
            services: splitList(text(v, 'services')),
            summary: text(v, 'summary'),
            isDrill: v.isDrill === true,
          }),
        ),
    }),
  });
  actions.push({
    id: 'correct-milestone',
    label: 'Correct a milestone time…',
    group: 'Incident',
    run: dialog({
      title: 'Correct a milestone time',
      description: 'The correction and its reason go on the timeline; metrics use the corrected time.',
      fields: [
        // The impact start and the detection may be recorded afterwards (often only in the review); the rest are corrected once reached.
        {
          name: 'milestone',
          label: 'Milestone',
          kind: 'select',
          options: milestones
            .filter((m) => incident.milestones[m] !== null || m === 'started' || m === 'detected')
            .map((m) => ({ value: m, label: incident.milestones[m] === null ? `${milestoneLabels[m]} (not recorded yet)` : milestoneLabels[m] })),
        },
        { name: 'at', label: 'When it really happened (your local time)', kind: 'datetime', initial: toLocalInput(incident.milestones.detected ?? incident.declaredAt) },
        { name: 'reason', label: 'Reason', kind: 'text', placeholder: 'Alert fired at 13:58; paging was delayed' },
      ],
      submitLabel: 'Correct time',
      submit: (v) =>
        thenReload(
          api.call('incidents.correctMilestone', {
            id,
            milestone: text(v, 'milestone') as (typeof milestones)[number],
            at: time(v, 'at', 'When'),
            reason: text(v, 'reason'),
          }),
        ),
    }),
  });

  actions.push(legalHoldAction(room));

  for (const role of singleRoles) actions.push(...assignAction(room, role, me));
  actions.push({
    id: 'add-expert',
    label: 'Bring in a subject-matter expert…',
    group: 'Roles',
    run: dialog({
      title: 'Bring in a subject-matter expert',
      description: roleDuties.sme,
      fields: [
        { name: 'person', label: 'Person (user name)', kind: 'person' },
        { name: 'label', label: 'Expertise', kind: 'text', placeholder: 'Postgres' },
      ],
      submitLabel: 'Add expert',
      submit: (v) => thenReload(api.call('roles.addExpert', { incidentId: id, personId: text(v, 'person'), label: text(v, 'label') })),
    }),
  });
  for (const seat of room.seats) actions.push(...seatActions(room, seat, me));

  for (const kind of manualTimelineKinds) {
    actions.push({
      id: `entry:${kind}`,
      label: entryLabels[kind],
      group: 'Timeline',
      run: () => {
        store.setEntryKind(kind);
        void focusEntryBox();
      },
    });
  }
  actions.push(
    { id: 'search', label: 'Search this timeline', group: 'Timeline', run: () => void focusTimelineSearch() },
    {
      id: 'pinned',
      label: 'Show pinned entries only',
      group: 'Timeline',
      run: () => store.setTimelineFilter({ ...useStore.getState().timelineFilter, isPinnedOnly: true }),
    },
    { id: 'clear-filter', label: 'Show the whole timeline (clear filters)', group: 'Timeline', run: () => store.setTimelineFilter({}) },
  );

  const active = room.freezes.filter((f) => isFreezeActive(f, now));
  actions.push({
    id: 'freeze',
    label: 'Freeze deployments…',
    group: 'Freeze',
    run: dialog({
      title: 'Freeze deployments',
      description: 'Shown in the war room header and to pipelines until lifted or until it ends.',
      fields: [
        {
          name: 'scope',
          label: 'Scope',
          kind: 'text',
          initial: incident.services.length > 0 ? incident.services.join(', ') : 'all production',
          placeholder: 'all production',
        },
        { name: 'reason', label: 'Reason', kind: 'text', placeholder: 'Rollback in progress; no changes until stable' },
        { name: 'until', label: 'Until (optional, your local time)', kind: 'datetime' },
      ],
      submitLabel: 'Freeze deployments',
      isDanger: true,
      submit: (v) =>
        thenReload(
          api.call('freeze.declare', { incidentId: id, scope: text(v, 'scope'), reason: text(v, 'reason'), until: text(v, 'until') ? time(v, 'until', 'Until') : null }),
        ),
    }),
  });
  for (const freeze of active) {
    actions.push({
      id: `lift:${freeze.id}`,
      label: `Lift the freeze on ${freeze.scope}…`,
      group: 'Freeze',
      run: dialog({
        title: `Lift the freeze on ${freeze.scope}`,
        fields: [{ name: 'reason', label: 'Reason (optional)', kind: 'text', placeholder: 'Error rate stable for 30 minutes' }],
        submitLabel: 'Lift freeze',
        submit: (v) => thenReload(api.call('freeze.lift', { freezeId: freeze.id, reason: text(v, 'reason') })),
      }),
    });
  }

  actions.push({
    id: 'add-task',
    label: 'Add a task…',
    group: 'Tasks',
    run: dialog({
      title: 'Add a task',
      fields: [
        { name: 'title', label: 'What has to be done', kind: 'text', placeholder: 'Check replica lag on db-eu-2' },
        { name: 'owner', label: 'Owner (optional)', kind: 'person' },
        { name: 'due', label: 'Due (optional, your local time)', kind: 'datetime' },
      ],
      submitLabel: 'Add task',
      submit: (v) =>
        thenReload(
          api.call('tasks.create', { incidentId: id, title: text(v, 'title'), ownerId: text(v, 'owner') || null, dueAt: text(v, 'due') ? time(v, 'due', 'Due') : null }),
        ),
    }),
  });

  for (const task of room.tasks.filter((t) => t.status === 'open' || t.status === 'doing')) {
    const update = (status: TaskStatus) => oneClick(() => api.call('tasks.update', { id: task.id, status }));
    if (task.status === 'open') actions.push({ id: `task-doing:${task.id}`, label: `Start task "${task.title}"`, group: 'Tasks', run: update('doing') });
    actions.push(
      { id: `task-done:${task.id}`, label: `Finish task "${task.title}"`, group: 'Tasks', run: update('done') },
      { id: `task-cancelled:${task.id}`, label: `Cancel task "${task.title}"`, group: 'Tasks', run: update('cancelled') },
      {
        id: `task-edit:${task.id}`,
        label: `Edit task "${task.title}"…`,
        group: 'Tasks',
        run: dialog({
          title: 'Edit task',
          fields: [
            { name: 'title', label: 'What has to be done', kind: 'text', initial: task.title },
            { name: 'owner', label: 'Owner (empty for nobody)', kind: 'person', initial: task.ownerId ?? '' },
            { name: 'due', label: 'Due (your local time; empty for none)', kind: 'datetime', initial: task.dueAt === null ? '' : toLocalInput(task.dueAt) },
          ],
          submitLabel: 'Save task',
          submit: (v) =>
            thenReload(
              api.call('tasks.update', { id: task.id, title: text(v, 'title'), ownerId: text(v, 'owner') || null, dueAt: text(v, 'due') ? time(v, 'due', 'Due') : null }),
            ),
        }),
      },
    );
  }

  actions.push(...runbookActions(id, runbooks.runs, runbooks.suggested));
  actions.push(...reviewActions(id));
  actions.push(...evidenceActions(room, artifacts));

  // The person's own latest entry, for fixing a typo or pinning from the keyboard.
  const lastOwnEntry = async () => {
    const window = await api.call('timeline.window', { incidentId: id, offset: 0, limit: 1, anchor: 'end', filter: { authorId: me, kinds: [...manualTimelineKinds] } });
    const entry = window.entries[0];
    if (!entry) throw new Error('You have not written on this timeline yet.');
    return entry;
  };
  actions.push(
    {
      id: 'correct-last',
      label: 'Correct my last entry…',
      group: 'Timeline',
      run: () => {
        lastOwnEntry()
          .then((entry) => store.openDialog(correctEntryDialog(entry)))
          .catch((error: unknown) => useStore.getState().showRoomError(error));
      },
    },
    {
      id: 'pin-last',
      label: 'Pin or unpin my last entry',
      group: 'Timeline',
      run: oneClick(async () => {
        const entry = await lastOwnEntry();
        return api.call('timeline.pin', { entryId: entry.id, isPinned: !entry.isPinned });
      }),
    },
  );

  actions.push(
    { id: 'go-incidents', label: 'Back to all incidents', group: 'Go to', run: () => store.closeIncident() },
    { id: 'go-declare', label: 'Declare a new incident', group: 'Go to', run: () => store.setDeclareOpen(true) },
    { id: 'go-reviews', label: 'Reviews and action items of all incidents', group: 'Go to', run: () => store.setView('reviews') },
    { id: 'go-metrics', label: 'Metrics dashboard (MTTD, MTTA, MTTM, MTTR)', group: 'Go to', run: () => store.setView('metrics') },
    {
      id: 'go-settings',
      label: 'Settings',
      group: 'Go to',
      run: () => {
        store.closeIncident();
        store.setView('settings');
      },
    },
  );
  return actions;
}

/** Placing an incident on legal hold (kept whatever the retention setting says) or lifting it; a reason either way. */
function legalHoldAction(room: WarRoom): Action {
  const { incident } = room;
  const isHeld = incident.isLegalHold;
  return {
    id: 'legal-hold',
    label: isHeld ? 'Lift the legal hold…' : 'Place on legal hold…',
    group: 'Incident',
    run: dialog({
      title: isHeld ? 'Lift the legal hold' : 'Place on legal hold',
      description: isHeld
        ? `Held because: ${incident.legalHoldReason}. Once lifted, the incident may be purged when it is past the retention period.`
        : 'The incident is kept whatever the retention setting says, until the hold is lifted. The reason goes on the record.',
      fields: [
        {
          name: 'reason',
          label: isHeld ? 'Why the hold is lifted' : 'Why it is held (matter, request, counsel)',
          kind: 'textarea',
          placeholder: isHeld ? 'Matter 2025-114 closed by counsel' : 'Litigation hold requested by legal, matter 2025-114',
        },
      ],
      submitLabel: isHeld ? 'Lift legal hold' : 'Place on legal hold',
      isDanger: isHeld,
      submit: (v) => {
        const reason = text(v, 'reason');
        if (reason.length < 3) return Promise.reject(new Error('Reason: say why (at least 3 characters).'));
        return thenReload(client().call('incidents.setLegalHold', { incidentId: incident.id, isHeld: !isHeld, reason }));
      },
    }),
  };
}

/** The review pane and the incident's reports, from the palette. */
function reviewActions(incidentId: string): Action[] {
  const store = useStore.getState();
  const report = (call: () => Promise<unknown>) => () => {
    call().catch((error: unknown) => useStore.getState().showRoomError(error));
  };
  return [
    { id: 'review', label: 'Open the post-incident review', group: 'Review', run: () => store.setWarPane('review') },
    ...(['incident', 'audit'] as const).flatMap((kind): Action[] => [
      {
        id: `report-md:${kind}`,
        label: `Download the ${reportLabels[kind].toLowerCase()} (Markdown)`,
        group: 'Review',
        run: report(() => downloadReport(incidentId, kind)),
      },
      {
        id: `report-print:${kind}`,
        label: `${desktopPrinter() ? 'Save' : 'Print'} the ${reportLabels[kind].toLowerCase()} as PDF`,
        group: 'Review',
        run: report(() => printReport(incidentId, kind)),
      },
    ]),
  ];
}

const incidentStatusRank = (status: (typeof incidentStatuses)[number]) => incidentStatuses.indexOf(status);

function typeOptions(current: string) {
  const names: string[] = [...incidentTypes];
  if (current && !names.includes(current)) names.push(current);
  return names.map((t) => ({ value: t, label: t }));
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
