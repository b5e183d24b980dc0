// One fact of a record, as a term and its description.
import type { ReactNode } from 'react';

/** One fact of the record; a wide one takes the whole row (hashes, commands, times). */
export function Fact({ label, testId, isWide, isMono, children }: { label: string; testId: string; isWide?: boolean; isMono?: boolean; children: ReactNode }) {
  return (
    <>
      <dt className={isWide ? 'is-wide' : undefined}>{label}</dt>
      <dd className={[isWide ? 'is-wide' : '', isMono ? 'mono' : ''].filter(Boolean).join(' ') || undefined} data-testid={testId}>
        {children}
      </dd>
    </>
  );
}
