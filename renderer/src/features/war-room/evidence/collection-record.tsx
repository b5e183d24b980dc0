// The collection record: collector, hosts, acquisition times, tool, file, size, storage, hashes.
import type { Artifact } from '@shared/domain/evidence';
import { utcStamp } from '@shared/time';
import { formatBytes, zonedTime } from '../evidence-actions';
import { Fact } from './fact';

export function CollectionRecord({ artifact: a }: { artifact: Artifact }) {
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
