// Recording the collection: who collected it, from which hosts and when (typed in the collector's
// zone or UTC), with which tool and command, where it is stored, and its hash (a file Holdfast
// hashes, or the hashes a tool declared). The fields are read into the engine's request and checked
// by its schema before anything is sent (collection-form.ts).
import { useCallback, useEffect, useRef, useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { Artifact, HashJob } from '@shared/domain/evidence';
import type { Request } from '@shared/contract';
import { formProblems, problemsLine } from '../../../lib/form-problems';
import { useAction } from '../../../lib/use-action';
import { rereadOpenEvidence } from '../war-room-queries';
import { client } from '../../../store/client-ref';
import { instantOfInput, isTimeZone, localTimeZone } from '@shared/time';
import { cancelHash, hashFile, parseByteCount, utcToZonedInput } from '../evidence-actions';
import { usePeople } from '../use-people';
import { collectionForm, collectionLabels, typedZone, type CollectionValues } from './collection-form';
import { Field } from './field';
import { HashProgress } from './hash-progress';
import { TimeField } from './time-field';
import { useOwnHashJob } from './use-own-hash-job';

const baseName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? '';

export function CollectForm({ artifact: a, me, onDone }: { artifact: Artifact; me: string; onDone: () => void }) {
  const people = usePeople();
  const { error, isBusy, run, clearError } = useAction();
  const { job, pollError, start: startJob, forget: forgetJob } = useOwnHashJob();
  // The resolver reads the job as it is when the form is sent.
  const jobNow = useRef<HashJob | undefined>(job);
  useEffect(() => {
    jobNow.current = job;
  }, [job]);
  const resolver = useCallback<Resolver<CollectionValues, unknown, Request<'evidence.recordCollection'>>>(
    (values, context, options) => zodResolver(collectionForm(a.id, jobNow.current))(values, context, options),
    [a.id],
  );
  const { register, handleSubmit, watch, setValue, getValues, formState } = useForm<CollectionValues, unknown, Request<'evidence.recordCollection'>>({
    resolver,
    reValidateMode: 'onSubmit',
    defaultValues: {
      name: me,
      role: '',
      contact: '',
      zone: localTimeZone(),
      timesIn: 'collector',
      hostIds: a.asset,
      start: '',
      end: '',
      tool: '',
      // Empty: the instruction is shown as a hint, never taken for the command as run.
      command: '',
      storage: '',
      fileName: '',
      hashMode: 'holdfast',
      path: '',
      withLegacy: false,
      declaredSize: '',
      sha256: '',
      md5: '',
      sha1: '',
      size: '',
    },
  });
  const [zone, timesIn, start, end, hashMode, path, declaredSize] = watch(['zone', 'timesIn', 'start', 'end', 'hashMode', 'path', 'declaredSize']);
  /** The file name as taken from the hashed path, while nobody has typed another. */
  const [pathFileName, setPathFileName] = useState<string | null>(null);
  const declaredBytes = declaredSize.trim() ? parseByteCount(declaredSize) : null;
  const hashedBytes = job?.state === 'done' ? job.bytesDone : null;
  const isSizeDifferent = hashedBytes !== null && declaredBytes !== null && declaredBytes !== hashedBytes;

  const { zone: inputZone, label: zoneLabel } = typedZone({ zone, timesIn });
  const isZoneValid = isTimeZone(zone.trim());
  const startMs = instantOfInput(start, inputZone);
  const endMs = instantOfInput(end, inputZone);

  const startHash = () =>
    void run(async () => {
      const hashed = getValues('path').trim();
      const started = await startJob(() => hashFile(a, hashed, 'collect', getValues('withLegacy')));
      const fileName = getValues('fileName');
      if (started && (!fileName.trim() || fileName === pathFileName)) {
        setValue('fileName', baseName(hashed));
        setPathFileName(baseName(hashed));
      }
    });
  const cancel = () => {
    if (job) void run(async () => void (await cancelHash(job.id)));
  };
  // Another path is another file: the hash and the name taken from the old one must not be recorded.
  const changePath = () => {
    if (job) forgetJob();
    if (pathFileName !== null && getValues('fileName') === pathFileName) {
      setValue('fileName', '');
      setPathFileName(null);
    }
  };

  const submit = handleSubmit((request) => {
    clearError();
    void run(async () => {
      await client().call('evidence.recordCollection', request);
      // Closed before the collected state arrives: the drawer closes a form whose artifact was
      // collected elsewhere, and says so; this one closes because it did the collecting.
      onDone();
      await rereadOpenEvidence();
    });
  });
  const problem = problemsLine(formProblems(formState.errors), collectionLabels) ?? error;

  const nowInput = () => utcToZonedInput(Date.now(), inputZone);

  return (
    <form className="evidence-form" onSubmit={(event) => void submit(event)} noValidate data-testid="collect-form" aria-label="Record the collection">
      <h3>Record the collection</h3>
      <fieldset className="evidence-fieldset">
        <legend>Collector</legend>
        <div className="field-row">
          <Field label="Name">
            <input data-testid="collect-name" list="collect-people" autoComplete="off" {...register('name')} />
          </Field>
          <Field label="Role">
            <input data-testid="collect-role" placeholder="Ops lead" {...register('role')} />
          </Field>
        </div>
        <div className="field-row">
          <Field label="Contact">
            <input data-testid="collect-contact" placeholder="+49 30 1234567, alice@example.com" {...register('contact')} />
          </Field>
          <Field label="Time zone (IANA)" hint={isZoneValid ? undefined : <span className="bad-text">not a known time zone</span>}>
            <input data-testid="collect-zone" {...register('zone')} />
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
          <input data-testid="collect-hosts" placeholder="orders-db-1, 10.0.4.17, i-0abc123" {...register('hostIds')} />
        </Field>
        <div className="evidence-times-in small" role="radiogroup" aria-label="Times below are typed in">
          <span className="muted">Times below are typed in:</span>
          <label>
            <input type="radio" value="collector" data-testid="collect-times-collector" {...register('timesIn')} /> the collector's time zone ({zone || '?'})
          </label>
          <label>
            <input type="radio" value="utc" data-testid="collect-times-utc" {...register('timesIn')} /> UTC
          </label>
        </div>
        <div className="field-row">
          <TimeField
            label={`Acquisition start (${zoneLabel})`}
            testId="collect-start"
            value={start}
            ms={startMs}
            onChange={(value) => setValue('start', value)}
            onNow={() => setValue('start', nowInput())}
          />
          <TimeField
            label={`Acquisition end (${zoneLabel})`}
            testId="collect-end"
            value={end}
            ms={endMs}
            onChange={(value) => setValue('end', value)}
            onNow={() => setValue('end', nowInput())}
          />
        </div>
        <div className="field-row">
          <Field label="Tool (name and version)">
            <input data-testid="collect-tool" placeholder="pg_dump 16.2, LiME 1.9.1, FTK Imager 4.7" {...register('tool')} />
          </Field>
          <Field label="File name">
            <input data-testid="collect-file-name" placeholder="orders-db-1.mem.lime" {...register('fileName')} />
          </Field>
        </div>
        <Field label="Command as run">
          <textarea
            data-testid="collect-command"
            rows={2}
            className="mono"
            placeholder={a.how ? `As typed; the checklist says: ${a.how}` : 'The command exactly as typed'}
            {...register('command')}
          />
        </Field>
        <Field label="Storage location">
          <input data-testid="collect-storage" placeholder="Evidence share \\forensics\INC-2291\, locker EV-2291" {...register('storage')} />
        </Field>
      </fieldset>

      <fieldset className="evidence-fieldset">
        <legend>Hash</legend>
        <div className="evidence-hash-modes" role="radiogroup" aria-label="Where the hash comes from">
          <label className={hashMode === 'holdfast' ? 'is-chosen' : ''}>
            <input type="radio" value="holdfast" data-testid="collect-mode-holdfast" {...register('hashMode')} />
            <span>
              <strong>Hash a file with Holdfast</strong>
              <span className="muted small"> — read on the machine the Holdfast engine runs on</span>
            </span>
          </label>
          <label className={hashMode === 'tool' ? 'is-chosen' : ''}>
            <input type="radio" value="tool" data-testid="collect-mode-tool" {...register('hashMode')} />
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
                  {...register('path', { onChange: changePath })}
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
              <input type="checkbox" data-testid="collect-legacy" {...register('withLegacy')} /> Also MD5 and SHA-1 (for older tools)
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
              <input data-testid="collect-declared-size" inputMode="numeric" className="mono" placeholder="3145728" {...register('declaredSize')} />
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
              <input data-testid="collect-tool-sha256" className="mono" {...register('sha256')} />
            </Field>
            <div className="field-row">
              <Field label="MD5 (optional)">
                <input data-testid="collect-tool-md5" className="mono" {...register('md5')} />
              </Field>
              <Field label="SHA-1 (optional)">
                <input data-testid="collect-tool-sha1" className="mono" {...register('sha1')} />
              </Field>
            </div>
            <Field label="Size in bytes">
              <input data-testid="collect-tool-size" inputMode="numeric" className="mono" {...register('size')} />
            </Field>
          </>
        )}
      </fieldset>
      {problem && (
        <p className="form-error" role="alert" data-testid="collect-error">
          {problem}
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
