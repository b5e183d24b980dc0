// What the collection form works on: every field as typed, read into `evidence.recordCollection`
// and checked by the engine's own request schema before it is sent. The form's own rules are only
// about reading what was typed: times in the zone they were typed in, sizes as whole bytes, and the
// hashing job having finished.
import { z } from 'zod';
import { collectorTimeZone, recordCollectionRequest, type HashJob } from '@shared/domain/evidence';
import type { Request } from '@shared/contract';
import { instantOfInput } from '@shared/time';
import { parseByteCount } from '../evidence-actions';

export const collectionValues = z.object({
  name: z.string(),
  role: z.string(),
  contact: z.string(),
  /** The collector's time zone (IANA). */
  zone: z.string(),
  /** Whether the times are typed in the collector's zone or in UTC. */
  timesIn: z.enum(['collector', 'utc']),
  /** Comma (or space) separated. */
  hostIds: z.string(),
  /** `datetime-local` values in the zone of `timesIn`. */
  start: z.string(),
  end: z.string(),
  tool: z.string(),
  command: z.string(),
  storage: z.string(),
  fileName: z.string(),
  /** Where the hash comes from: a file Holdfast hashes, or a tool's output. */
  hashMode: z.enum(['holdfast', 'tool']),
  path: z.string(),
  withLegacy: z.boolean(),
  /** The size the acquisition tool reported, checked against the hashed file (optional). */
  declaredSize: z.string(),
  sha256: z.string(),
  md5: z.string(),
  sha1: z.string(),
  /** The size the tool reported, when the hash is the tool's. */
  size: z.string(),
});
export type CollectionValues = z.infer<typeof collectionValues>;

/** The labels of the fields, by the request's paths (or the form's where the request has none); '' shows the message alone. */
export const collectionLabels: Record<string, string> = {
  'collector.name': 'Collector name',
  'collector.role': 'Role',
  'collector.contact': 'Contact',
  collectorTimeZone: 'Time zone',
  hostIds: 'Host identifiers',
  acquisitionStart: 'Acquisition start',
  acquisitionEnd: 'Acquisition end',
  tool: 'Tool',
  command: 'Command as run',
  storageLocation: 'Storage location',
  fileName: 'File name',
  declaredSize: 'Declared size',
  size: 'Size',
  sha256: 'SHA-256',
  md5: 'MD5',
  sha1: 'SHA-1',
  hashJobId: '',
};

/** The zone the times are typed in, and how the form names it. */
export function typedZone(values: Pick<CollectionValues, 'zone' | 'timesIn'>): { zone: string; label: string } {
  if (values.timesIn === 'utc') return { zone: 'UTC', label: 'UTC' };
  return { zone: values.zone.trim(), label: `the collector's time, ${collectorTimeZone.safeParse(values.zone).success ? values.zone.trim() : 'time zone not valid'}` };
}

const hostList = (typed: string) =>
  typed
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const lowerOrNothing = (typed: string) => (typed.trim() ? typed.trim().toLowerCase() : undefined);

/**
 * The form read into the request for `artifactId`, with the hash of `job` when Holdfast hashed the
 * file; then checked by the request schema, whose messages say what to fix.
 */
export function collectionForm(artifactId: string, job: HashJob | undefined) {
  return collectionValues
    .transform((form, ctx): Request<'evidence.recordCollection'> => {
      const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      // Times are read in the collector's zone: a zone that is not one is said first, in the schema's words.
      const zone = collectorTimeZone.safeParse(form.zone);
      if (!zone.success) for (const issue of zone.error.issues) problem('collectorTimeZone', issue.message);
      const typed = typedZone(form);
      const startMs = zone.success || form.timesIn === 'utc' ? instantOfInput(form.start, typed.zone) : null;
      const endMs = zone.success || form.timesIn === 'utc' ? instantOfInput(form.end, typed.zone) : null;
      if (zone.success || form.timesIn === 'utc') {
        if (startMs === null) problem('acquisitionStart', `give a complete date and time (${typed.label})`);
        if (endMs === null) problem('acquisitionEnd', `give a complete date and time (${typed.label})`);
      }
      const common = {
        artifactId,
        collector: { name: form.name, role: form.role, contact: form.contact },
        hostIds: hostList(form.hostIds),
        acquisitionStart: startMs ?? 0,
        acquisitionEnd: endMs ?? 0,
        collectorTimeZone: form.zone,
        tool: form.tool,
        command: form.command,
        storageLocation: form.storage,
        fileName: form.fileName,
      };
      if (form.hashMode === 'holdfast') {
        const declared = form.declaredSize.trim() ? parseByteCount(form.declaredSize) : null;
        if (!job) problem('hashJobId', 'Hash the file first: give its path and press "Hash file".');
        else if (job.state !== 'done')
          problem('hashJobId', job.state === 'running' ? 'The file is still being hashed: wait for it to finish.' : `The hashing ${job.state}: hash the file again.`);
        if (form.declaredSize.trim() && declared === null) problem('declaredSize', 'give the size in bytes as a whole number (e.g. 3145728), or leave it empty');
        // A declared size the file does not have is recorded with the engine's size-mismatch warning.
        return { ...common, size: declared ?? job?.bytesDone ?? 0, hashJobId: job?.id ?? '' };
      }
      const bytes = parseByteCount(form.size);
      if (bytes === null) problem('size', 'give the size of the file in bytes, as the tool reported it');
      return { ...common, size: bytes ?? 0, sha256: form.sha256.trim().toLowerCase(), md5: lowerOrNothing(form.md5), sha1: lowerOrNothing(form.sha1) };
    })
    .pipe(recordCollectionRequest);
}
