// The library's update templates: what a stakeholder update says for each audience, with the
// placeholders the composer fills in. Grouped by audience on the left, the chosen one on the right;
// the editor takes the section while a template is written or changed.
import { useState } from 'react';
import { audienceLabels, type Audience } from '../../../../shared/domain/comms';
import type { UpdateTemplateView } from '../../../../shared/domain/comms-api';
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
  const templateId = useTemplatesView((s) => s.templateId);
  const draft = useTemplatesView((s) => s.draft);
  const { selectTemplate, openEditor, closeEditor } = useTemplatesView.getState();
  const { value, error, isLoading, show, reload } = useUpdateTemplates();
  const [isPicking, setPicking] = useState(false);
  const list = [...(value ?? [])].sort(byAudienceAndName);
  // None chosen yet, or the one chosen was removed (here or on another replica): the first opens.
  const selected = list.find((t) => t.id === templateId) ?? list[0] ?? null;

  const onSaved = (saved: UpdateTemplateView) => {
    show([...list.filter((t) => t.id !== saved.id), saved]);
    reload();
    selectTemplate(saved.id);
    closeEditor();
  };
  const startNew = (audience: Audience) => {
    setPicking(false);
    openEditor(newTemplateDraft(audience));
  };

  const builtIns = list.filter((t) => t.isBuiltIn && !t.isCustomised).length;
  const customised = list.filter((t) => t.isCustomised).length;

  return (
    <section className="lib-section" aria-labelledby="lib-templates-heading" data-testid="library-templates">
      <header className="lib-section-head">
        <div>
          <h2 id="lib-templates-heading">Update templates</h2>
          <p className="muted lib-section-subtitle" data-testid="templates-summary">
            What a stakeholder update says to each audience; the war room&apos;s composer fills in the placeholders.{' '}
            {value && (
              <>
                {list.length} {list.length === 1 ? 'template' : 'templates'}
                {builtIns > 0 && `, ${builtIns} built in`}
                {customised > 0 && `, ${customised} customised`}.
              </>
            )}
          </p>
        </div>
        {!draft &&
          (isPicking ? (
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
          ))}
      </header>

      {error && (
        <div className="banner banner-bad" role="alert" data-testid="templates-error">
          Could not read the update templates: {error}
        </div>
      )}
      {draft ? (
        <TemplateEditor takenIds={new Set(list.map((t) => t.id))} onCancel={closeEditor} onSaved={onSaved} />
      ) : isLoading ? (
        <p className="muted">Reading the library…</p>
      ) : list.length === 0 ? (
        !error && (
          <EmptyState title="No update templates">
            <p>
              Write one with <strong>New template</strong>: what responders, executives or customers read in each update, with placeholders the
              composer fills in.
            </p>
          </EmptyState>
        )
      ) : (
        <div className="lib-layout">
          <aside className="lib-list-pane" aria-label="Update templates">
            <TemplateList templates={list} selectedId={selected?.id ?? null} onSelect={selectTemplate} />
          </aside>
          <div className="lib-detail-pane">
            {selected && (
              <TemplateDetail
                key={selected.id}
                template={selected}
                onEdit={openEditor}
                onRemoved={(remaining) => {
                  show(remaining);
                  selectTemplate(null);
                }}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
