// Runbooks view. The versioned runbook library is not on this replica yet.
import { EmptyState } from '../shell/empty-state';
import { PageHeader } from '../shell/page-header';

export function RunbooksPage() {
  return (
    <>
      <PageHeader title="Runbooks" subtitle="Step-by-step procedures, available offline." />
      <EmptyState title="No runbooks on this replica">
        <p>Runbooks you import or write will be listed here and stay readable without a network.</p>
      </EmptyState>
    </>
  );
}
