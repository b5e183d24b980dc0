// Library view: what every incident draws on, kept on every replica so it reads offline. One
// section at a time (evidence checklists, stakeholder update templates and the service catalog),
// each with its own list, detail and editor.
import { ServicesSection } from '../catalog/services-section';
import { UpdateTemplatesSection } from '../comms-settings/update-templates-section';
import { PageHeader } from '../shell/page-header';
import { ChecklistsSection } from './checklists-section';
import { librarySections, useLibraryView } from './library-view-store';
import './library.css';

export function LibraryPage() {
  const section = useLibraryView((s) => s.section);
  const { selectSection } = useLibraryView.getState();

  return (
    <div className="library-page" data-testid="library-page">
      <PageHeader title="Library" subtitle="What every incident draws on, kept on every replica and readable offline." />
      {librarySections.length > 1 && (
        <div className="tabs" role="tablist" aria-label="Library sections">
          {librarySections.map((s) => (
            <button
              key={s.id}
              type="button"
              role="tab"
              className="tab"
              aria-selected={section === s.id}
              data-testid={`library-tab-${s.id}`}
              onClick={() => selectSection(s.id)}
            >
              {s.label}
            </button>
          ))}
        </div>
      )}
      {section === 'checklists' && <ChecklistsSection />}
      {section === 'templates' && <UpdateTemplatesSection />}
      {section === 'services' && <ServicesSection />}
    </div>
  );
}
