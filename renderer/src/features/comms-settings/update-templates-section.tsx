// The library's update templates: what a stakeholder update says for each audience, with the
// placeholders the composer fills in. Grouped by audience on the left, the chosen one on the right;
// the editor takes the section while a template is written or changed.
import { useState } from 'react';
import { audienceLabels, type Audience } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { LibrarySection, useLibraryEntries } from '../library-shared/library-section';
import { EmptyState } from '../shell/empty-state';
import { newTemplateDraft } from './template-draft';
import { TemplateDetail } from './template-detail';
import { TemplateEditor } from './template-editor';
import { TemplateList } from './template-list';
import { useTemplatesView } from './templates-view-store';
import { useUpdateTemplates } from './use-comms-data';
import './comms-settings.css';

const audienceOrder: Record<Audience, number> = { internal: 0, executives: 1, customers: 2 };
const byAudienceAndName = (a: UpdateTemplateView, b: UpdateTemplateView) => audienceOrder[a.audience] - audienceOrder[b.audience] || a.name.localeCompare(b.name);

export function UpdateTemplatesSection() {
  const templates = useUpdateTemplates();
  const { list, selected, draft, takenIds, select, openEditor, closeEditor, onSaved, onRemoved } = useLibraryEntries(useTemplatesView, templates, byAudienceAndName);
  const [isPicking, setPicking] = useState(false);

  const startNew = (audience: Audience) => {
    setPicking(false);
    openEditor(newTemplateDraft(audience));
  };

  const builtIns = list.filter((t) => t.isBuiltIn && !t.isCustomised).length;
  const customised = list.filter((t) => t.isCustomised).length;

  return (
    <LibrarySection
      name="templates"
      title="Update templates"
      summary={
        <>
          What a stakeholder update says to each audience; the war room&apos;s composer fills in the placeholders.{' '}
          {templates.value && (
            <>
              {list.length} {list.length === 1 ? 'template' : 'templates'}
              {builtIns > 0 && `, ${builtIns} built in`}
              {customised > 0 && `, ${customised} customised`}.
            </>
          )}
        </>
      }
      actions={
        isPicking ? (
          <div className="cs-new-picker" role="group" aria-label="New template for" data-testid="new-template-audiences">
            <span className="muted small">For</span>
            {(['internal', 'executives', 'customers'] as const).map((audience) => (
              <button key={audience} type="button" className="button button-small" data-testid={`new-template-${audience}`} onClick={() => startNew(audience)}>
                {audienceLabels[audience]}
              </button>
            ))}
            <button type="button" className="button button-small" data-testid="new-template-cancel" onClick={() => setPicking(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" className="button button-primary cs-new-button" data-testid="new-template" onClick={() => setPicking(true)}>
            New template…
          </button>
        )
      }
      read={templates}
      errorPrefix="Could not read the update templates"
      editor={draft && <TemplateEditor takenIds={takenIds} onCancel={closeEditor} onSaved={onSaved} />}
      empty={
        <EmptyState title="No update templates">
          <p>
            Write one with <strong>New template</strong>: what responders, executives or customers read in each update, with placeholders the composer fills in.
          </p>
        </EmptyState>
      }
      listLabel="Update templates"
      list={<TemplateList entries={list} selectedId={selected?.id ?? null} onSelect={select} />}
      detail={selected && <TemplateDetail key={selected.id} template={selected} onEdit={openEditor} onRemoved={onRemoved} />}
    />
  );
}
