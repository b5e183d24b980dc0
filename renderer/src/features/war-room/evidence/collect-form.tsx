// Recording the collection: who collected it, from which hosts and when (typed in the collector's
// zone or UTC), with which tool and command, where it is stored, and its hash (a file Holdfast
// hashes, or the hashes a tool declared).
import { useState, type FormEvent } from 'react';
import type { Artifact } from '@shared/domain/evidence';
import { useAction } from '../../../lib/use-action';
import { rereadOpenEvidence } from '../war-room-queries';
import { client } from '../../../store/client-ref';
import { cancelHash, hashFile, isTimeZone, localTimeZone, parseByteCount, utcToZonedInput, zonedInputToUtc } from '../evidence-actions';
import { usePeople } from '../use-people';
import { Field } from './field';
import { HashProgress } from './hash-progress';
import { TimeField } from './time-field';
import { useOwnHashJob } from './use-own-hash-job';

const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? '';

export function CollectForm({ artifact: a, me, onDone }: { artifact: Artifact; me: string; onDone: () => void }) {
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
      await rereadOpenEvidence();
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
