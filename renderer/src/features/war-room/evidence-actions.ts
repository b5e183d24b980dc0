// What can be done with an incident's evidence from the war room: start a checklist from the library,
// add an artifact, waive or fail one, record a custody event, export manifests and custody forms as
// downloads, and the time-zone arithmetic of a collector's acquisition times. The evidence panel, the
// artifact drawer and the command palette use the same ones.
import { orderChecklists } from './checklist-choice';
import type { WarRoom } from '@shared/domain/incident';
import { artifactTypes, type Artifact, type ArtifactState, type CustodyEvent, type ExportFormat, type ExportedFile, type HashJob } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { formatIn, inputOfInstant, isTimeZone, utcStamp } from '@shared/time';
import { fromLocalInput } from '../../lib/time';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import type { Action } from './actions';
import type { DialogSpec, FieldValue } from './dialog-spec';
import { knownHashJob, noteHashJob, rereadOpenEvidence } from './war-room-queries';

const text = (values: Record<string, FieldValue>, name: string) => String(values[name] ?? '').trim();

export const stateLabels: Record<ArtifactState, string> = {
  planned: 'planned',
  collecting: 'collecting',
  collected: 'collected',
  verified: 'verified',
  waived: 'waived',
  failed: 'failed',
};

/** "disk of orders-db-1: PostgreSQL data directory", for titles and lists. */
export const artifactLabel = (a: Pick<Artifact, 'artifactType' | 'asset' | 'what'>) => `${a.what}${a.asset ? ` (${a.asset})` : ''}`;

/** The first 12 hex digits: enough to tell hashes apart on screen; the full one is in the title. */
export const shortHash = (hash: string | null | undefined) => (hash ? hash.slice(0, 12) : '');

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A job's progress in whole percent (an empty file is done when it is done). */
export function hashPercent(job: Pick<HashJob, 'bytesDone' | 'bytesTotal' | 'state'>): number {
  if (job.bytesTotal <= 0) return job.state === 'done' ? 100 : 0;
  return Math.min(100, Math.floor((job.bytesDone / job.bytesTotal) * 100));
}

/**
 * A size in bytes as typed: a whole number, thousands separated by commas, spaces or underscores
 * if you like ("3,145,728"). Null when it is not one (a decimal point, a unit, a sign).
 */
export function parseByteCount(typed: string): number | null {
  const digits = typed.trim().replace(/[\s,_\u00a0\u202f']/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const bytes = Number(digits);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** Reads the evidence again so the panel and the drawer show the change at once. */
async function thenRefresh<T>(promise: Promise<T>): Promise<T> {
  const result = await promise;
  await rereadOpenEvidence();
  return result;
}

export const showError = (error: unknown) => useStore.getState().showRoomError(error);

// ---------------------------------------------------------------------------------------------
// Engine calls

export const startCollecting = (artifact: Artifact) => thenRefresh(client().call('evidence.startCollecting', { artifactId: artifact.id }));

/** Starts hashing a file on the machine the engine runs on; progress comes as engine events. */
export async function hashFile(artifact: Artifact, path: string, purpose: 'collect' | 'verify', withLegacy: boolean): Promise<HashJob> {
  const job = await client().call('evidence.hashFile', { artifactId: artifact.id, path, purpose, withLegacy });
  noteHashJob(job);
  return job;
}

export async function cancelHash(jobId: string): Promise<HashJob> {
  const job = await client().call('evidence.cancelHash', { jobId });
  noteHashJob(job);
  return job;
}

/**
 * Reads a job again: progress events are the fast path, this the safety net after a reconnect. An
 * engine that no longer knows the job (it restarted, e.g. `holdfast web` was started again, and
 * its jobs went with it) will never finish it: the job is ended here as failed, saying why, so
 * the form stops waiting and offers to hash the file again.
 */
export async function refreshHashJob(jobId: string): Promise<HashJob> {
  try {
    const job = await client().call('evidence.hashJob', { jobId });
    noteHashJob(job);
    return job;
  } catch (error) {
    const known = knownHashJob(jobId);
    if (!(error instanceof ApiError) || error.code !== 'not_found' || !known) throw error;
    const lost: HashJob = { ...known, state: 'failed', error: `Lost track of this hashing: ${error.message} Hash the file again.` };
    noteHashJob(lost);
    return lost;
  }
}

export function exportEvidence(incidentId: string, format: ExportFormat, artifactId?: string): Promise<ExportedFile> {
  return client().call('evidence.export', { incidentId, format, ...(artifactId === undefined ? {} : { artifactId }) });
}

/** Offers the file as a download (a Blob behind an object URL), the same in Chromium and Electron. */
export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy by then; the URL is freed a little later to be safe.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export const exportLabels: Record<ExportFormat, string> = {
  'manifest-json': 'Manifest JSON',
  'manifest-csv': 'Manifest CSV',
  'timesketch-jsonl': 'Timesketch JSONL',
  'timesketch-csv': 'Timesketch CSV',
  'custody-html': 'Custody form (HTML)',
};

// ---------------------------------------------------------------------------------------------
// Dialogs

/** The checklist picker, read when it is opened; the checklist that fits the incident best first and chosen. */
export async function startChecklistDialog(room: WarRoom): Promise<DialogSpec> {
  const templates = await client().call('evidence.templates', {});
  if (templates.length === 0) throw new Error('The library on this replica has no evidence checklists: add one under Library before starting a checklist here.');
  const type = room.incident.type;
  // Best fit first (./checklist-choice): the picker selects it.
  const ordered = orderChecklists(templates, room.incident);
  const required = (t: (typeof templates)[number]) => t.items.filter((i) => i.isRequired).length;
  return {
    title: 'Start an evidence checklist',
    description:
      "Its items become this incident's artifacts to collect, most volatile first. Required ones hold up recovery actions in runbooks until they are collected or waived.",
    fields: [
      {
        name: 'template',
        label: 'Checklist',
        kind: 'select',
        options: ordered.map((t) => ({
          value: t.id,
          label: `${t.name} — ${t.items.length} items, ${required(t)} required${
            t.incidentTypes.length === 0 ? ' · any incident type' : t.incidentTypes.includes(type) ? ` · ✓ matches type ${type}` : ` · for ${t.incidentTypes.join(', ')}`
          }`,
        })),
      },
    ],
    submitLabel: 'Start checklist',
    submit: (v) => thenRefresh(client().call('evidence.startChecklist', { incidentId: room.incident.id, templateId: text(v, 'template') })),
  };
}

export function addArtifactDialog(incidentId: string): DialogSpec {
  return {
    title: 'Add an artifact to collect',
    description: 'Something not on a checklist. It is listed by its order of volatility (memory first, archives last).',
    fields: [
      { name: 'artifactType', label: 'Type', kind: 'select', options: artifactTypes.map((t) => ({ value: t, label: t })) },
      { name: 'asset', label: 'Host or asset', kind: 'text', placeholder: 'orders-db-1' },
      { name: 'what', label: 'What to collect', kind: 'text', placeholder: 'PostgreSQL server log of the last 2 hours' },
      { name: 'how', label: 'How (tool, command; optional)', kind: 'textarea', placeholder: 'sudo tail -n 20000 /var/log/postgresql/postgresql-16-main.log' },
      { name: 'isRequired', label: 'Required before recovery actions', kind: 'checkbox', initial: true },
    ],
    submitLabel: 'Add artifact',
    submit: (v) =>
      thenRefresh(
        client().call('evidence.add', {
          incidentId,
          artifactType: text(v, 'artifactType') as Artifact['artifactType'],
          asset: text(v, 'asset'),
          what: text(v, 'what'),
          how: text(v, 'how'),
          isRequired: v.isRequired === true,
        }),
      ),
  };
}

export function waiveDialog(artifact: Artifact): DialogSpec {
  return {
    title: `Waive: ${artifactLabel(artifact)}`,
    description: 'A waived artifact no longer holds up recovery actions. The reason and who approved it go into the custody record and the review.',
    fields: [
      { name: 'reason', label: 'Why is it not collected?', kind: 'textarea', placeholder: 'Host was already re-imaged by autoscaling before we got to it' },
      { name: 'approvedBy', label: 'Approved by (user name)', kind: 'person' },
    ],
    submitLabel: 'Waive artifact',
    isDanger: true,
    submit: (v) => thenRefresh(client().call('evidence.waive', { artifactId: artifact.id, reason: text(v, 'reason'), approvedBy: text(v, 'approvedBy') })),
  };
}

export function failArtifactDialog(artifact: Artifact): DialogSpec {
  return {
    title: `Collection failed: ${artifactLabel(artifact)}`,
    description: 'Say what went wrong; it stays required until it is collected or waived.',
    fields: [{ name: 'reason', label: 'What went wrong?', kind: 'textarea', placeholder: 'LiME module does not load on kernel 6.8' }],
    submitLabel: 'Mark failed',
    isDanger: true,
    submit: (v) => thenRefresh(client().call('evidence.fail', { artifactId: artifact.id, reason: text(v, 'reason') })),
  };
}

const custodyChoices = ['transferred', 'accessed', 'copied', 'stored', 'exported', 'disposed', 'correction'] as const;

export function addCustodyDialog(artifact: Artifact, events: CustodyEvent[], correcting?: CustodyEvent): DialogSpec {
  return {
    title: `Custody event: ${artifactLabel(artifact)}`,
    description:
      'Custody is append-only: nothing is edited or deleted. A transfer needs from, to and purpose; a correction names the event it corrects and says what was wrong.',
    fields: [
      {
        name: 'action',
        label: 'What happened',
        kind: 'select',
        initial: correcting ? 'correction' : 'transferred',
        options: custodyChoices.map((c) => ({ value: c, label: c })),
      },
      { name: 'from', label: 'From (who or where had it)', kind: 'text', placeholder: 'alice (incident laptop)' },
      { name: 'to', label: 'To (who or where has it now)', kind: 'text', placeholder: 'evidence locker EV-2291' },
      { name: 'purpose', label: 'Purpose', kind: 'text', placeholder: 'Hand-off to the forensics team for analysis' },
      { name: 'note', label: 'Note', kind: 'textarea' },
      { name: 'at', label: 'When (your local time; empty for now)', kind: 'datetime' },
      {
        name: 'corrects',
        label: 'Corrects (for a correction)',
        kind: 'select',
        initial: correcting?.id ?? '',
        options: [
          { value: '', label: '— nothing —' },
          // An event id seen twice (a record synced in twice) is one choice, not two.
          ...events
            .filter((e, index) => events.findIndex((other) => other.id === e.id) === index)
            .map((e) => ({ value: e.id, label: `${e.action} at ${utcStamp(e.at)} by ${e.actorId}` })),
        ],
      },
    ],
    submitLabel: 'Record custody event',
    submit: (v) => {
      const at = text(v, 'at');
      const ms = at ? fromLocalInput(at) : null;
      if (at && ms === null) throw new Error('When: give a complete date and time, or leave it empty for now.');
      const corrects = text(v, 'corrects');
      return thenRefresh(
        client().call('evidence.addCustody', {
          artifactId: artifact.id,
          action: text(v, 'action') as (typeof custodyChoices)[number],
          from: text(v, 'from'),
          to: text(v, 'to'),
          purpose: text(v, 'purpose'),
          note: text(v, 'note'),
          ...(ms === null ? {} : { at: ms }),
          ...(corrects ? { corrects } : {}),
        }),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Time zones: a collector types acquisition times as their own clock showed them. The arithmetic,
// and what a time skipped or repeated by a DST change means, is shared/time's.

/** The wall clock in `timeZone` (UTC for a zone not known) at `ms`, for a `datetime-local` input. */
export const utcToZonedInput = (ms: number, timeZone: string): string => inputOfInstant(ms, isTimeZone(timeZone) ? timeZone : 'UTC');

/** "2025-03-14 10:20:00 Europe/Berlin": a time as the collector's clock showed it. */
export function zonedTime(ms: number, timeZone: string): string {
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  return `${formatIn(ms, zone, 'yyyy-MM-dd HH:mm:ss')} ${zone}`;
}

// ---------------------------------------------------------------------------------------------
// The command palette

export function evidenceActions(room: WarRoom, artifacts: Artifact[]): Action[] {
  const store = useStore.getState();
  const actions: Action[] = [
    {
      id: 'evidence-checklist',
      label: 'Start an evidence checklist…',
      group: 'Evidence',
      run: () => void startChecklistDialog(room).then(store.openDialog, showError),
    },
    { id: 'evidence-add', label: 'Add an evidence artifact…', group: 'Evidence', run: () => store.openDialog(addArtifactDialog(room.incident.id)) },
  ];
  for (const artifact of artifacts) {
    actions.push({
      id: `evidence-open:${artifact.id}`,
      label: `Open artifact "${artifactLabel(artifact)}" (${artifact.artifactType}, ${artifact.state})`,
      group: 'Evidence',
      run: () => store.setOpenArtifact(artifact.id),
    });
  }
  for (const format of ['manifest-json', 'manifest-csv', 'timesketch-jsonl', 'timesketch-csv'] as const) {
    actions.push({
      id: `evidence-export:${format}`,
      label: `Export evidence: ${exportLabels[format]}`,
      group: 'Evidence',
      run: () => void exportEvidence(room.incident.id, format).then(download, showError),
    });
  }
  return actions;
}
