// The collection request's rules live once, in the shared schema: the collection form checks with it
// before sending, and the engine's dispatch refuses with it, naming the field and what to write.
import { describe, expect, it } from 'vitest';
import { recordCollectionRequest } from '@shared/domain/evidence';
import { describeIssues } from '@shared/rpc';

const collection = (collectorTimeZone: string) => ({
  artifactId: 'artifact-1',
  collector: { name: 'alice' },
  hostIds: ['orders-db-1'],
  acquisitionStart: 1_700_000_000_000,
  acquisitionEnd: 1_700_000_060_000,
  collectorTimeZone,
  tool: 'GNU tar 1.35',
  storageLocation: 'Evidence locker EV-2291',
  size: 3145728,
  sha256: 'ab'.repeat(32),
});

describe('recordCollectionRequest', () => {
  it('refuses a collector time zone that is not an IANA zone, and says what to write', () => {
    const parsed = recordCollectionRequest.safeParse(collection('Mars/Olympus_Mons'));
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe('collectorTimeZone: "Mars/Olympus_Mons" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)');
  });

  it('asks for a zone when none is given, once', () => {
    const parsed = recordCollectionRequest.safeParse(collection(''));
    expect(describeIssues(parsed.error!)).toBe("collectorTimeZone: give the collector's time zone (IANA name, e.g. Europe/Berlin)");
  });

  it('takes an IANA zone, trimmed', () => {
    expect(recordCollectionRequest.parse(collection(' Europe/Berlin ')).collectorTimeZone).toBe('Europe/Berlin');
    expect(recordCollectionRequest.parse(collection('UTC')).collectorTimeZone).toBe('UTC');
  });
});
