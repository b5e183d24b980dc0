// Library view: templates, services and checklists shared by every incident.
import { EmptyState } from '../shell/empty-state';
import { PageHeader } from '../shell/page-header';

export function LibraryPage() {
  return (
    <>
      <PageHeader title="Library" subtitle="Update templates, services and evidence checklists." />
      <EmptyState title="The library is empty">
        <p>Communication templates, the service catalog and forensic checklists will be kept here.</p>
      </EmptyState>
    </>
  );
}
