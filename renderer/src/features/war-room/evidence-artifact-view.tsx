// One evidence artifact in a drawer over the war room's side column, like a runbook execution: what
// it is and where it comes from, what can be done in its state (start collecting, record the
// collection with a hash Holdfast computes or a tool declared, verify a copy, waive, fail), the
// collection record, and its append-only chain of custody with corrections linked to what they
// correct. Hashing runs in the engine on the machine it runs on; the drawer only shows the progress,
// and cancels a job of its own when its form or the drawer closes.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { DesktopApi } from '@shared/contract';
import type { Artifact, CustodyEvent, HashJob } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { desktopApi } from '../../api';
import { utcStamp } from '@shared/time';
import { When } from '../../lib/when';
import { printInFrame, removePrintFrame } from '../../lib/print-html';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import {
  addCustodyDialog,
  cancelHash,
  download,
  exportEvidence,
  failArtifactDialog,
  formatBytes,
  hashFile,
  hashPercent,
  isTimeZone,
  localTimeZone,
  parseByteCount,
  refreshHashJob,
  shortHash,
  startCollecting,
  utcToZonedInput,
  waiveDialog,
  zonedInputToUtc,
  zonedTime,
} from './evidence-actions';
import { StateBadge } from './evidence-panel';
import { usePeople } from './use-people';
import './evidence.css';
import './runbook-run.css';

export function EvidenceArtifactView({ me }: { me: string }) {
  const openArtifactId = useStore((s) => s.openArtifactId);
  const artifact = useStore((s) => s.evidence?.artifacts.find((a) => a.id === s.openArtifactId));
  const custody = useStore((s) => s.evidence?.custody);
  const setOpenArtifact = useStore((s) => s.setOpenArtifact);
  const events = useMemo(() => (custody ?? []).filter((e) => e.artifactId === openArtifactId), [custody, openArtifactId]);

  // Escape closes the drawer, unless it is closing a dialog opened over it.
  useEffect(() => {
    if (!openArtifactId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('dialog[open]')) setOpenArtifact(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openArtifactId, setOpenArtifact]);

  if (!openArtifactId || !artifact) return null;
  return <ArtifactDrawer key={artifact.id} artifact={artifact} events={events} me={me} onClose={() => setOpenArtifact(null)} />;
}

type Mode = 'idle' | 'collect' | 'verify';

function ArtifactDrawer({ artifact: a, events, me, onClose }: { artifact: Artifact; events: CustodyEvent[]; me: string; onClose: () => void }) {
  const openDialog = useStore((s) => s.openDialog);
  const { error, isBusy, run } = useAction();
  const [mode, setMode] = useState<Mode>('idle');
  /** Why an open form was closed without being asked to (the artifact changed elsewhere). */
  const [modeNotice, setModeNotice] = useState<string | null>(null);
  const canCollect = a.state === 'planned' || a.state === 'collecting' || a.state === 'failed';
  const canVerify = a.state === 'collected' || a.state === 'verified';
  const canSettle = a.state === 'planned' || a.state === 'collecting' || a.state === 'failed';
  const openMode = (next: Mode) => {
    setModeNotice(null);
    setMode(next);
  };

  // The artifact's state can change underneath an open form: another replica collects or waives
  // it, someone marks it failed. A form that no longer fits the state closes (cancelling its
  // hashing) rather than offering to record what can no longer be recorded. Collecting and
  // verifying close their own form before the new state arrives, so this is news from elsewhere.
  const fits = mode === 'idle' || (mode === 'collect' ? canCollect : canVerify);
  useEffect(() => {
    if (fits) return;
    setMode('idle');
    setModeNotice(`This artifact is now ${a.state}: it changed while the ${mode === 'collect' ? 'collection' : 'verification'} form was open, so the form was closed.`);
  }, [fits, a.state, mode]);

  const exportCustody = () =>
    void run(async () => {
      download(await exportEvidence(a.incidentId, 'custody-html', a.id));
    });

  // The custody form as PDF: the desktop shell prints it to a file (main's print-pdf); a browser
  // (`holdfast web`) gets its own print dialog, whose Save as PDF does the same.
  const host = useStore((s) => s.appInfo?.host);
  const desktop = host === 'desktop' ? desktopApi() : null;
  const [savedPdf, setSavedPdf] = useState<string | null>(null);
  useEffect(() => removePrintFrame, []);
  const saveCustodyPdf = (api: DesktopApi) =>
    void run(async () => {
      setSavedPdf(null);
      // Main exports the custody form from the engine itself; only the artifact is named here.
      const result = await api.printPdf({ incidentId: a.incidentId, artifactId: a.id });
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      setSavedPdf(result.value.path);
    });
  const printCustody = () =>
    void run(async () => {
      await printInFrame((await exportEvidence(a.incidentId, 'custody-html', a.id)).text, 'Custody form, for printing');
    });

  return (
    <aside
      className="run-drawer evidence-drawer"
      role="complementary"
      aria-labelledby="artifact-title"
      data-testid="artifact-drawer"
      data-artifact={a.id}
      data-state={a.state}
    >
      <header className="run-drawer-head">
        <div className="run-drawer-title-row">
          <span className="artifact-type" data-testid="artifact-type">
            {a.artifactType}
          </span>
          <h2 id="artifact-title" data-testid="artifact-title">
            {a.what}
          </h2>
          <StateBadge state={a.state} />
          <button type="button" className="icon-button run-close" aria-label="Close the artifact" title="Close (Esc)" data-testid="artifact-close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div className="muted small artifact-ident" data-testid="artifact-ident">
          {a.asset ? <strong className="artifact-asset">{a.asset}</strong> : 'no asset named'}
          {' · '}
          {a.isRequired ? <span className="artifact-required">required</span> : 'optional'}
          {' · '}volatility {a.volatility}
          {a.templateId && ` · from checklist ${a.templateId}`}
          {' · '}added by {a.createdBy} at <When ms={a.createdAt} />
        </div>
        {a.hashWarning && (
          <p className="artifact-warning artifact-warning-big" role="alert" data-testid="artifact-drawer-warning">
            ⚠ {a.hashWarning}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="artifact-error">
            {error}
          </p>
        )}
      </header>
      <div className="run-drawer-body evidence-drawer-body">
        {a.how && (
          <section className="artifact-section" aria-label="How to collect it">
            <h3>How to collect it</h3>
            <pre className="artifact-how mono" data-testid="artifact-how">
              {a.how}
            </pre>
          </section>
        )}

        <section className="artifact-section artifact-state-box" aria-label="State" data-testid="artifact-state-box">
          <StateExplanation artifact={a} />
          {mode === 'idle' && (
            <div className="run-step-actions artifact-actions">
              {a.state === 'planned' && (
                <button
                  type="button"
                  className="button button-small button-primary"
                  data-testid="artifact-start-collecting"
                  disabled={isBusy}
                  onClick={() => void run(async () => void (await startCollecting(a)))}
                >
                  Start collecting
                </button>
              )}
              {canCollect && (
                <button
                  type="button"
                  className={`button button-small${a.state === 'collecting' ? ' button-primary' : ''}`}
                  data-testid="artifact-collect"
                  onClick={() => openMode('collect')}
                >
                  Collect…
                </button>
              )}
              {canVerify && (
                <button
                  type="button"
                  className={`button button-small${a.state === 'collected' ? ' button-primary' : ''}`}
                  data-testid="artifact-verify"
                  onClick={() => openMode('verify')}
                >
                  {a.state === 'verified' ? 'Verify again…' : 'Verify…'}
                </button>
              )}
              {canSettle && (
                <button type="button" className="button button-small" data-testid="artifact-waive" onClick={() => openDialog(waiveDialog(a))}>
                  Waive…
                </button>
              )}
              {(a.state === 'planned' || a.state === 'collecting') && (
                <button type="button" className="button button-small" data-testid="artifact-fail" onClick={() => openDialog(failArtifactDialog(a))}>
                  Failed…
                </button>
              )}
            </div>
          )}
          {modeNotice && mode === 'idle' && (
            <p className="artifact-notice small" role="status" data-testid="artifact-mode-notice">
              {modeNotice}
            </p>
          )}
          {mode === 'collect' && fits && <CollectForm artifact={a} me={me} onDone={() => setMode('idle')} />}
          {mode === 'verify' && fits && <VerifyForm artifact={a} onDone={() => setMode('idle')} />}
        </section>

        {a.collector && <CollectionRecord artifact={a} />}

        <CustodyLog artifact={a} events={events} />
        <div className="evidence-buttons">
          <button type="button" className="button button-small" data-testid="custody-add" onClick={() => openDialog(addCustodyDialog(a, events))}>
            Add custody event…
          </button>
          <button type="button" className="button button-small" data-testid="custody-export" disabled={isBusy} onClick={exportCustody}>
            Custody form (HTML)
          </button>
          {desktop && (
            <button type="button" className="button button-small" data-testid="custody-pdf" disabled={isBusy} onClick={() => saveCustodyPdf(desktop)}>
              Save as PDF…
            </button>
          )}
          {host === 'web' && (
            <button type="button" className="button button-small" data-testid="custody-print" disabled={isBusy} onClick={printCustody}>
              Print…
            </button>
          )}
        </div>
        {savedPdf && (
          <p className="muted small" role="status" data-testid="custody-pdf-saved">
            Saved the custody form to <span className="mono">{savedPdf}</span>
          </p>
        )}
      </div>
    </aside>
  );
}

function StateExplanation({ artifact: a }: { artifact: Artifact }) {
  switch (a.state) {
    case 'planned':
      return <p className="small artifact-state-text">Not collected yet. Start collecting to tell the others you are on it.</p>;
    case 'collecting':
      return <p className="small artifact-state-text">Being collected. Record the collection with its hash when it is done.</p>;
    case 'collected':
      return <p className="small artifact-state-text">Collected. Verify a stored copy against the recorded hash.</p>;
    case 'verified':
      return <p className="small artifact-state-text">Collected, and a copy verified against the recorded hash.</p>;
    case 'waived':
      return (
        <p className="small artifact-state-text" data-testid="artifact-waived">
          Waived{a.approvedBy ? `, approved by ${a.approvedBy}` : ''}: {a.reason}
        </p>
      );
    case 'failed':
      return (
        <p className="small artifact-state-text artifact-failed" data-testid="artifact-failed">
          Collection failed: {a.reason}
        </p>
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Hashing jobs

/**
 * Follows one job: progress events land in the store; a read every second covers a missed one. A
 * job the engine no longer knows ends as failed (refreshHashJob), which stops the reading; any
 * other failed read is shown and tried again.
 */
function useHashJob(jobId: string | null): { job: HashJob | undefined; pollError: string | null } {
  const job = useStore((s) => (jobId ? s.hashJobs[jobId] : undefined));
  const [pollError, setPollError] = useState<{ jobId: string; message: string } | null>(null);
  const isRunning = job?.state === 'running';
  useEffect(() => {
    if (!jobId || !isRunning) return;
    let isFollowing = true;
    const read = () =>
      refreshHashJob(jobId).then(
        () => isFollowing && setPollError(null),
        (error: unknown) => isFollowing && setPollError({ jobId, message: error instanceof Error ? error.message : String(error) }),
      );
    const timer = setInterval(() => void read(), 1000);
    return () => {
      isFollowing = false;
      clearInterval(timer);
    };
  }, [jobId, isRunning]);
  return { job, pollError: isRunning && pollError?.jobId === jobId ? pollError.message : null };
}

/**
 * Cancels a job unless it is known to have ended (`lastState`, for when the store has already
 * dropped it with the drawer); a job the engine no longer knows needs nothing.
 */
function stopHashJob(jobId: string, lastState?: HashJob['state']): void {
  const state = useStore.getState().hashJobs[jobId]?.state ?? lastState;
  if (state !== undefined && state !== 'running') return;
  void cancelHash(jobId).catch(() => undefined);
}

/**
 * The hashing job a form started: followed while the form is open, cancelled when the form closes
 * (its Close button, the drawer's ✕ or Esc, another artifact or incident opened) or when `forget`
 * drops it (the path it hashed was changed). A job whose start is answered after that is
 * cancelled as soon as it is known, so no job keeps reading a file for a form that is gone.
 */
function useOwnHashJob() {
  const [jobId, setJobId] = useState<string | null>(null);
  const { job, pollError } = useHashJob(jobId);
  const current = useRef<string | null>(null);
  const currentState = useRef<HashJob['state'] | undefined>(undefined);
  /** Bumped by `forget`: a start answered after it belongs to a path no longer wanted. */
  const generation = useRef(0);
  const isOpen = useRef(false);
  useEffect(() => {
    currentState.current = job?.state;
  }, [job?.state]);
  useEffect(() => {
    isOpen.current = true;
    return () => {
      isOpen.current = false;
      if (current.current) stopHashJob(current.current, currentState.current);
    };
  }, []);

  /** Starts a job with `begin`; resolves to it, or to null when it was no longer wanted. */
  const start = async (begin: () => Promise<HashJob>): Promise<HashJob | null> => {
    const token = ++generation.current;
    const started = await begin();
    if (!isOpen.current || token !== generation.current) {
      stopHashJob(started.id);
      return null;
    }
    current.current = started.id;
    currentState.current = started.state;
    setJobId(started.id);
    return started;
  };
  const forget = () => {
    generation.current += 1;
    if (current.current) stopHashJob(current.current, currentState.current);
    current.current = null;
    currentState.current = undefined;
    setJobId(null);
  };
  return { jobId, job, pollError, start, forget };
}

function HashProgress({ job, pollError, onCancel }: { job: HashJob; pollError?: string | null; onCancel: () => void }) {
  const percent = hashPercent(job);
  return (
    <div className={`hash-progress hash-${job.state}`} data-testid="hash-progress" data-state={job.state}>
      <div className="hash-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Hashing progress">
        <span style={{ width: `${percent}%` }} />
      </div>
      <div className="hash-progress-row small">
        <span>
          <strong data-testid="hash-percent">{percent}%</strong>{' '}
          <span className="muted" data-testid="hash-bytes">
            {formatBytes(job.bytesDone)} of {formatBytes(job.bytesTotal)}
          </span>{' '}
          <span className={`hash-state-label hash-state-${job.state}`} data-testid="hash-state">
            {job.state === 'running' ? 'hashing…' : job.state}
          </span>
        </span>
        {job.state === 'running' && (
          <button type="button" className="button button-small" data-testid="hash-cancel" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {job.error && (
        <p className="form-error" role="alert" data-testid="hash-error">
          {job.error}
        </p>
      )}
      {pollError && (
        <p className="hash-poll-error small" role="status" data-testid="hash-poll-error">
          The progress could not be read: {pollError} Trying again…
        </p>
      )}
    </div>
  );
}

const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? '';

function Field({ label, hint, children }: { label: ReactNode; hint?: ReactNode; children: ReactNode }) {
  return (
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <span className="muted small">{hint}</span>}
    </label>
  );
}

// ---------------------------------------------------------------------------------------------
// Recording the collection

function CollectForm({ artifact: a, me, onDone }: { artifact: Artifact; me: string; onDone: () => void }) {
  const people = usePeople();
  const { error, isBusy, run } = useAction();
  const [name, setName] = useState(me);
  const [role, setRole] = useState('');
  const [contact, setContact] = useState('');
  const [zone, setZone] = useState(localTimeZone);
  const [timesIn, setTimesIn] = useState<'collector' | 'utc'>('collector');
  const [hostIds, setHostIds] = useState(a.asset);
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [tool, setTool] = useState('');
  // Empty: the instruction is shown as a hint, never taken for the command as run.
  const [command, setCommand] = useState('');
  const [storage, setStorage] = useState('');
  const [fileName, setFileName] = useState('');
  /** The file name as taken from the hashed path, while nobody has typed another. */
  const [pathFileName, setPathFileName] = useState<string | null>(null);
  const [hashMode, setHashMode] = useState<'holdfast' | 'tool'>('holdfast');
  const [path, setPath] = useState('');
  const [withLegacy, setWithLegacy] = useState(false);
  const { job, pollError, start: startJob, forget: forgetJob } = useOwnHashJob();
  /** The size the acquisition tool reported, to check the hashed file against (optional). */
  const [declaredSize, setDeclaredSize] = useState('');
  const [sha256, setSha256] = useState('');
  const [md5, setMd5] = useState('');
  const [sha1, setSha1] = useState('');
  const [size, setSize] = useState('');
  const declaredBytes = declaredSize.trim() ? parseByteCount(declaredSize) : null;
  const hashedBytes = job?.state === 'done' ? job.bytesDone : null;
  const isSizeDifferent = hashedBytes !== null && declaredBytes !== null && declaredBytes !== hashedBytes;

  const inputZone = timesIn === 'utc' ? 'UTC' : zone;
  const isZoneValid = isTimeZone(zone);
  const startMs = zonedInputToUtc(start, inputZone);
  const endMs = zonedInputToUtc(end, inputZone);
  const zoneLabel = timesIn === 'utc' ? 'UTC' : `the collector's time, ${isZoneValid ? zone : 'time zone not valid'}`;

  const startHash = () =>
    void run(async () => {
      const hashed = path.trim();
      const started = await startJob(() => hashFile(a, hashed, 'collect', withLegacy));
      if (started && (!fileName.trim() || fileName === pathFileName)) {
        setFileName(baseName(hashed));
        setPathFileName(baseName(hashed));
      }
    });
  const cancel = () => {
    if (job) void run(async () => void (await cancelHash(job.id)));
  };
  // Another path is another file: the hash and the name taken from the old one must not be recorded.
  const changePath = (next: string) => {
    setPath(next);
    if (job) forgetJob();
    if (pathFileName !== null && fileName === pathFileName) {
      setFileName('');
      setPathFileName(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      if (!isZoneValid) throw new Error(`Time zone: "${zone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).`);
      if (startMs === null) throw new Error(`Acquisition start: give a complete date and time (${zoneLabel}).`);
      if (endMs === null) throw new Error(`Acquisition end: give a complete date and time (${zoneLabel}).`);
      const common = {
        artifactId: a.id,
        collector: { name: name.trim(), role: role.trim(), contact: contact.trim() },
        hostIds: hostIds
          .split(/[\s,;]+/)
          .map((s) => s.trim())
          .filter(Boolean),
        acquisitionStart: startMs,
        acquisitionEnd: endMs,
        collectorTimeZone: zone.trim(),
        tool: tool.trim(),
        command: command.trim(),
        storageLocation: storage.trim(),
        fileName: fileName.trim(),
      };
      if (hashMode === 'holdfast') {
        if (!job) throw new Error('Hash the file first: give its path and press "Hash file".');
        if (job.state !== 'done')
          throw new Error(job.state === 'running' ? 'The file is still being hashed: wait for it to finish.' : `The hashing ${job.state}: hash the file again.`);
        if (declaredSize.trim() && declaredBytes === null) throw new Error('Declared size: give the size in bytes as a whole number (e.g. 3145728), or leave it empty.');
        // A declared size the file does not have is recorded with the engine's size-mismatch warning.
        await client().call('evidence.recordCollection', { ...common, size: declaredBytes ?? job.bytesDone, hashJobId: job.id });
      } else {
        const bytes = parseByteCount(size);
        if (bytes === null) throw new Error('Size: give the size of the file in bytes, as the tool reported it.');
        await client().call('evidence.recordCollection', {
          ...common,
          size: bytes,
          sha256: sha256.trim().toLowerCase(),
          ...(md5.trim() ? { md5: md5.trim().toLowerCase() } : {}),
          ...(sha1.trim() ? { sha1: sha1.trim().toLowerCase() } : {}),
        });
      }
      // Closed before the collected state arrives: the drawer closes a form whose artifact was
      // collected elsewhere, and says so; this one closes because it did the collecting.
      onDone();
      await useStore.getState().loadEvidence();
    });
  };

  const nowInput = () => utcToZonedInput(Date.now(), inputZone);

  return (
    <form className="evidence-form" onSubmit={submit} noValidate data-testid="collect-form" aria-label="Record the collection">
      <h3>Record the collection</h3>
      <fieldset className="evidence-fieldset">
        <legend>Collector</legend>
        <div className="field-row">
          <Field label="Name">
            <input data-testid="collect-name" list="collect-people" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Role">
            <input data-testid="collect-role" placeholder="Ops lead" value={role} onChange={(e) => setRole(e.target.value)} />
          </Field>
        </div>
        <div className="field-row">
          <Field label="Contact">
            <input data-testid="collect-contact" placeholder="+49 30 1234567, alice@example.com" value={contact} onChange={(e) => setContact(e.target.value)} />
          </Field>
          <Field label="Time zone (IANA)" hint={isZoneValid ? undefined : <span className="bad-text">not a known time zone</span>}>
            <input data-testid="collect-zone" value={zone} onChange={(e) => setZone(e.target.value)} />
          </Field>
        </div>
        <datalist id="collect-people">
          {people.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </fieldset>

      <fieldset className="evidence-fieldset">
        <legend>Acquisition</legend>
        <Field label="Host identifiers (hostname, IP, serial, instance id; comma separated)">
          <input data-testid="collect-hosts" placeholder="orders-db-1, 10.0.4.17, i-0abc123" value={hostIds} onChange={(e) => setHostIds(e.target.value)} />
        </Field>
        <div className="evidence-times-in small" role="radiogroup" aria-label="Times below are typed in">
          <span className="muted">Times below are typed in:</span>
          <label>
            <input type="radio" name="times-in" data-testid="collect-times-collector" checked={timesIn === 'collector'} onChange={() => setTimesIn('collector')} /> the
            collector's time zone ({zone || '?'})
          </label>
          <label>
            <input type="radio" name="times-in" data-testid="collect-times-utc" checked={timesIn === 'utc'} onChange={() => setTimesIn('utc')} /> UTC
          </label>
        </div>
        <div className="field-row">
          <TimeField
            label={`Acquisition start (${zoneLabel})`}
            testId="collect-start"
            value={start}
            ms={startMs}
            onChange={setStart}
            onNow={() => setStart(nowInput())}
          />
          <TimeField label={`Acquisition end (${zoneLabel})`} testId="collect-end" value={end} ms={endMs} onChange={setEnd} onNow={() => setEnd(nowInput())} />
        </div>
        <div className="field-row">
          <Field label="Tool (name and version)">
            <input data-testid="collect-tool" placeholder="pg_dump 16.2, LiME 1.9.1, FTK Imager 4.7" value={tool} onChange={(e) => setTool(e.target.value)} />
          </Field>
          <Field label="File name">
            <input data-testid="collect-file-name" placeholder="orders-db-1.mem.lime" value={fileName} onChange={(e) => setFileName(e.target.value)} />
          </Field>
        </div>
        <Field label="Command as run">
          <textarea
            data-testid="collect-command"
            rows={2}
            className="mono"
            placeholder={a.how ? `As typed; the checklist says: ${a.how}` : 'The command exactly as typed'}
            value={command}
            onChange={(e) => setCommand(e.target.value)}
          />
        </Field>
        <Field label="Storage location">
          <input
            data-testid="collect-storage"
            placeholder="Evidence share \\forensics\INC-2291\, locker EV-2291"
            value={storage}
            onChange={(e) => setStorage(e.target.value)}
          />
        </Field>
      </fieldset>

      <fieldset className="evidence-fieldset">
        <legend>Hash</legend>
        <div className="evidence-hash-modes" role="radiogroup" aria-label="Where the hash comes from">
          <label className={hashMode === 'holdfast' ? 'is-chosen' : ''}>
            <input type="radio" name="hash-mode" data-testid="collect-mode-holdfast" checked={hashMode === 'holdfast'} onChange={() => setHashMode('holdfast')} />
            <span>
              <strong>Hash a file with Holdfast</strong>
              <span className="muted small"> — read on the machine the Holdfast engine runs on</span>
            </span>
          </label>
          <label className={hashMode === 'tool' ? 'is-chosen' : ''}>
            <input type="radio" name="hash-mode" data-testid="collect-mode-tool" checked={hashMode === 'tool'} onChange={() => setHashMode('tool')} />
            <span>
              <strong>Hash declared by a tool</strong>
              <span className="muted small"> — copied from the tool's output</span>
            </span>
          </label>
        </div>
        {hashMode === 'holdfast' ? (
          <>
            <div className="evidence-path-row">
              <Field label="Path of the file (on the machine the engine runs on)">
                <input
                  data-testid="collect-path"
                  className="mono"
                  placeholder="/srv/evidence/INC-2291/orders-db-1.mem.lime"
                  value={path}
                  onChange={(e) => changePath(e.target.value)}
                />
              </Field>
              <button
                type="button"
                className="button button-small"
                data-testid="collect-hash"
                disabled={isBusy || !path.trim() || job?.state === 'running'}
                onClick={startHash}
              >
                {job ? 'Hash again' : 'Hash file'}
              </button>
            </div>
            <label className="field-check small">
              <input type="checkbox" data-testid="collect-legacy" checked={withLegacy} onChange={(e) => setWithLegacy(e.target.checked)} /> Also MD5 and SHA-1 (for older
              tools)
            </label>
            {job && <HashProgress job={job} pollError={pollError} onCancel={cancel} />}
            {job?.state === 'done' && (
              <dl className="facts evidence-hash-result small" data-testid="collect-result">
                <dt>Size</dt>
                <dd className="mono" data-testid="collect-size">
                  {job.bytesDone.toLocaleString('en-US')} bytes
                </dd>
                <dt>SHA-256</dt>
                <dd className="mono hash-full" data-testid="collect-sha256">
                  {job.sha256 ?? '—'}
                </dd>
                {job.md5 && (
                  <>
                    <dt>MD5</dt>
                    <dd className="mono hash-full" data-testid="collect-md5">
                      {job.md5}
                    </dd>
                  </>
                )}
                {job.sha1 && (
                  <>
                    <dt>SHA-1</dt>
                    <dd className="mono hash-full" data-testid="collect-sha1">
                      {job.sha1}
                    </dd>
                  </>
                )}
              </dl>
            )}
            <Field
              label="Declared size in bytes (optional)"
              hint={
                declaredSize.trim() && declaredBytes === null ? (
                  <span className="bad-text">not a whole number of bytes</span>
                ) : isSizeDifferent ? (
                  <span className="warn-text" data-testid="collect-size-differs">
                    differs from the hashed file ({hashedBytes?.toLocaleString('en-US')} bytes): recorded with a size-mismatch warning
                  </span>
                ) : (
                  'the size the acquisition tool reported, checked against the hashed file; empty records the hashed size'
                )
              }
            >
              <input
                data-testid="collect-declared-size"
                inputMode="numeric"
                className="mono"
                placeholder="3145728"
                value={declaredSize}
                onChange={(e) => setDeclaredSize(e.target.value)}
              />
            </Field>
            {job?.state === 'done' && job.bytesTotal === 0 && (
              <p className="artifact-warning small" role="alert" data-testid="collect-empty-warning">
                ⚠ The file is empty (0 bytes): its hash proves nothing about the evidence.
              </p>
            )}
          </>
        ) : (
          <>
            <Field label="SHA-256 (64 hex digits)">
              <input data-testid="collect-tool-sha256" className="mono" value={sha256} onChange={(e) => setSha256(e.target.value)} />
            </Field>
            <div className="field-row">
              <Field label="MD5 (optional)">
                <input data-testid="collect-tool-md5" className="mono" value={md5} onChange={(e) => setMd5(e.target.value)} />
              </Field>
              <Field label="SHA-1 (optional)">
                <input data-testid="collect-tool-sha1" className="mono" value={sha1} onChange={(e) => setSha1(e.target.value)} />
              </Field>
            </div>
            <Field label="Size in bytes">
              <input data-testid="collect-tool-size" inputMode="numeric" className="mono" value={size} onChange={(e) => setSize(e.target.value)} />
            </Field>
          </>
        )}
      </fieldset>
      {error && (
        <p className="form-error" role="alert" data-testid="collect-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-small" data-testid="collect-cancel" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="button button-small button-primary" data-testid="collect-submit" disabled={isBusy}>
          Record collection
        </button>
      </div>
    </form>
  );
}

function TimeField(props: { label: string; testId: string; value: string; ms: number | null; onChange: (value: string) => void; onNow: () => void }) {
  const { label, testId, value, ms, onChange, onNow } = props;
  return (
    <label className="field field-time">
      <span>{label}</span>
      <span className="evidence-time-input">
        <input type="datetime-local" step={1} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />
        <button type="button" className="link-button small" data-testid={`${testId}-now`} onClick={onNow}>
          now
        </button>
      </span>
      <span className="muted small mono" data-testid={`${testId}-utc`}>
        {ms === null ? 'not set' : `= ${utcStamp(ms)}`}
      </span>
    </label>
  );
}

// ---------------------------------------------------------------------------------------------
// Verifying a copy

function VerifyForm({ artifact: a, onDone }: { artifact: Artifact; onDone: () => void }) {
  const { error, isBusy, run } = useAction();
  const [path, setPath] = useState('');
  const { job, pollError, start: startJob, forget: forgetJob } = useOwnHashJob();
  // The result of this job: its hash against the recorded one. (The newest verification in the
  // chain of custody may be someone else's, synced in meanwhile.)
  const result: 'match' | 'mismatch' | null =
    job?.state === 'done' && job.sha256 && a.sha256 ? (job.sha256.toLowerCase() === a.sha256.toLowerCase() ? 'match' : 'mismatch') : null;

  // The engine records the verification itself when the job ends; the event tells the room, this
  // read makes sure the drawer shows it at once.
  const jobState = job?.state;
  useEffect(() => {
    if (jobState && jobState !== 'running') void useStore.getState().loadEvidence();
  }, [jobState]);

  const start = () =>
    void run(async () => {
      const verified = path.trim();
      await startJob(() => hashFile(a, verified, 'verify', false));
    });
  const cancel = () => {
    if (job) void run(async () => void (await cancelHash(job.id)));
  };
  // A result belongs to the file it was computed from.
  const changePath = (next: string) => {
    setPath(next);
    if (job) forgetJob();
  };

  return (
    <div className="evidence-form" data-testid="verify-form">
      <h3>Verify a copy</h3>
      <p className="small muted">
        Holdfast reads the file on the machine its engine runs on and compares its SHA-256 with the recorded one
        {a.sha256 && (
          <>
            {' '}
            (<span className="mono">{shortHash(a.sha256)}…</span>)
          </>
        )}
        . The result goes into the chain of custody.
      </p>
      <div className="evidence-path-row">
        <Field label="Path of the copy to verify">
          <input
            data-testid="verify-path"
            className="mono"
            placeholder="/mnt/evidence-locker/INC-2291/orders-db-1.mem.lime"
            value={path}
            onChange={(e) => changePath(e.target.value)}
          />
        </Field>
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="verify-start"
          disabled={isBusy || !path.trim() || job?.state === 'running'}
          onClick={start}
        >
          {job ? 'Verify again' : 'Verify'}
        </button>
      </div>
      {job && <HashProgress job={job} pollError={pollError} onCancel={cancel} />}
      {job && result && (
        <p className={`verify-result verify-${result}`} role="status" data-testid="verify-result" data-result={result}>
          {result === 'match' ? '✓ Match: the copy has the recorded SHA-256.' : `✗ Mismatch: the copy's SHA-256 is ${job.sha256}; it is not the evidence as collected.`}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="verify-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-small" data-testid="verify-close" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The record

/** One fact of the record; a wide one takes the whole row (hashes, commands, times). */
function Fact({ label, testId, isWide, isMono, children }: { label: string; testId: string; isWide?: boolean; isMono?: boolean; children: ReactNode }) {
  return (
    <>
      <dt className={isWide ? 'is-wide' : undefined}>{label}</dt>
      <dd className={[isWide ? 'is-wide' : '', isMono ? 'mono' : ''].filter(Boolean).join(' ') || undefined} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

function CollectionRecord({ artifact: a }: { artifact: Artifact }) {
  const c = a.collector;
  if (!c) return null;
  return (
    <section className="artifact-section" aria-labelledby="collection-heading" data-testid="collection-record">
      <h3 id="collection-heading">Collection</h3>
      <dl className="evidence-facts small">
        <Fact label="Collector" testId="record-collector">
          {c.name}
          {c.role && ` (${c.role})`}
          {c.contact && <span className="muted"> · {c.contact}</span>}
        </Fact>
        <Fact label="Hosts" testId="record-hosts">
          {a.hostIds.join(', ')}
        </Fact>
        {a.acquisitionStart !== null && a.acquisitionEnd !== null && (
          <Fact label="Acquired" testId="record-acquired" isWide>
            <span className="mono">
              {utcStamp(a.acquisitionStart)} → {utcStamp(a.acquisitionEnd).replace(/^\d{4}-\d{2}-\d{2} /, '')}
            </span>
            <br />
            <span className="muted mono">{zonedTime(a.acquisitionStart, a.collectorTimeZone)} (collector's clock)</span>
          </Fact>
        )}
        <Fact label="Tool" testId="record-tool">
          {a.tool}
        </Fact>
        <Fact label="File" testId="record-file" isMono>
          {a.fileName || '—'}
        </Fact>
        <Fact label="Size" testId="record-size" isMono>
          {a.size === null ? '—' : `${a.size.toLocaleString('en-US')} bytes (${formatBytes(a.size)})`}
        </Fact>
        <Fact label="Hashed by" testId="record-hash-source">
          {a.hashSource === 'holdfast' ? 'Holdfast, from the file' : a.hashSource === 'tool' ? `declared by ${a.tool || 'the tool'}` : '—'}
        </Fact>
        <Fact label="Stored at" testId="record-storage" isWide>
          {a.storageLocation}
        </Fact>
        {a.command && (
          <Fact label="Command" testId="record-command" isWide isMono>
            {a.command}
          </Fact>
        )}
        <Fact label="SHA-256" testId="artifact-sha256" isWide isMono>
          {a.sha256 ?? '—'}
        </Fact>
        {a.md5 && (
          <Fact label="MD5" testId="artifact-md5" isWide isMono>
            {a.md5}
          </Fact>
        )}
        {a.sha1 && (
          <Fact label="SHA-1" testId="artifact-sha1" isWide isMono>
            {a.sha1}
          </Fact>
        )}
      </dl>
    </section>
  );
}

function CustodyLog({ artifact: a, events }: { artifact: Artifact; events: CustodyEvent[] }) {
  const openDialog = useStore((s) => s.openDialog);
  const [flashed, setFlashed] = useState<string | null>(null);
  // An event id can appear twice (a record synced in twice): rows are keyed by place, a link goes
  // to the first row with the id, and only that row carries it as its element id.
  const numberOf = new Map<string, number>();
  events.forEach((e, index) => {
    if (!numberOf.has(e.id)) numberOf.set(e.id, index + 1);
  });
  const correctedBy = new Map<string, CustodyEvent[]>();
  for (const e of events) if (e.corrects) correctedBy.set(e.corrects, [...(correctedBy.get(e.corrects) ?? []), e]);
  const show = (id: string) => {
    document.getElementById(`custody-${id}`)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    setFlashed(id);
    setTimeout(() => setFlashed((current) => (current === id ? null : current)), 1600);
  };
  const link = (id: string) => (
    <button type="button" className="link-button" data-testid="custody-link" onClick={() => show(id)}>
      #{numberOf.get(id) ?? '?'}
    </button>
  );

  return (
    <section className="artifact-section" aria-labelledby="custody-heading" data-testid="custody-log">
      <h3 id="custody-heading">
        Chain of custody{' '}
        <span className="muted small">{events.length === 0 ? 'no events yet' : `${events.length} event${events.length === 1 ? '' : 's'}, oldest first`}</span>
      </h3>
      {events.length > 0 && (
        <div className="custody-scroll">
          <table className="custody-table small">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">By</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            {/* One body per event: its line, then where it went and why on the line below. */}
            {events.map((e, index) => {
              const corrections = correctedBy.get(e.id) ?? [];
              const hasDetail = Boolean(e.from || e.to || e.purpose || e.note);
              const isFirstWithId = numberOf.get(e.id) === index + 1;
              return (
                <tbody
                  key={`${index}:${e.hash}`}
                  id={isFirstWithId ? `custody-${e.id}` : undefined}
                  className={`custody-row custody-${e.action}${corrections.length > 0 ? ' is-corrected' : ''}${flashed === e.id ? ' is-flashed' : ''}`}
                  data-testid="custody-row"
                  data-action={e.action}
                  data-event={e.id}
                >
                  <tr className="custody-line">
                    <td className="mono muted custody-number" rowSpan={hasDetail ? 2 : 1}>
                      {index + 1}
                    </td>
                    <td className="mono custody-time" data-testid="custody-time">
                      {utcStamp(e.at).replace(' UTC', '')}
                    </td>
                    <td data-testid="custody-action">
                      <span className="custody-action-group">
                        <span className="custody-action">{e.action}</span>
                        {e.result && (
                          <span className={`verify-badge verify-${e.result}`} data-testid="custody-result">
                            {e.result}
                          </span>
                        )}
                      </span>
                      {e.corrects && <span className="muted"> of {link(e.corrects)}</span>}
                      {corrections.length > 0 && (
                        <span className="custody-corrected">
                          {' '}
                          corrected by {corrections.map((c, i) => [i > 0 ? ', ' : '', <span key={`${i}:${c.hash}`}>{link(c.id)}</span>])}
                        </span>
                      )}
                    </td>
                    <td className="custody-by" data-testid="custody-by">
                      {e.actorId}
                    </td>
                    <td
                      className="mono custody-hash"
                      title={`${e.sha256 ? `SHA-256 seen: ${e.sha256}\n` : ''}Record hash: ${e.hash}\nPrevious: ${e.prevHash}`}
                      data-testid="custody-hash"
                    >
                      {e.sha256 ? shortHash(e.sha256) : <span className="muted">—</span>}
                    </td>
                  </tr>
                  {hasDetail && (
                    <tr className="custody-detail">
                      <td colSpan={4}>
                        {(e.from || e.to) && (
                          <span className="custody-from-to" data-testid="custody-from-to">
                            {e.from || '—'} → {e.to || '—'}
                          </span>
                        )}
                        {e.purpose && (
                          <span className="custody-purpose" data-testid="custody-purpose">
                            {e.purpose}
                          </span>
                        )}
                        {e.note && (
                          <span className="custody-note muted" data-testid="custody-note">
                            {e.note}
                          </span>
                        )}
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        </div>
      )}
      {events.length > 0 && (
        <p className="muted small custody-footnote">
          Hover a hash for the full value and the record's place in the chain.{' '}
          <button
            type="button"
            className="link-button small"
            data-testid="custody-correct"
            onClick={() => openDialog(addCustodyDialog(a, events, events[events.length - 1]))}
          >
            Correct an event…
          </button>
        </p>
      )}
    </section>
  );
}
