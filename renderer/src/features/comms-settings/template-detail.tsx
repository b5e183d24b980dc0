// One update template: its audience and badges, its title and body as written (placeholders marked)
// beside a preview filled with example values. Edit, copy into a new template, or remove it (a
// built-in one is hidden).
import { useState } from 'react';
import { audienceLabels } from '../../../../shared/domain/comms';
import type { UpdateTemplateView } from '../../../../shared/domain/comms-api';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { Markdown } from '../runbooks/markdown';
import { duplicateTemplateDraft, editTemplateDraft, type TemplateDraft } from './template-draft';
import { PlaceholderText, renderExample, TemplateBadges } from './template-meta';

interface TemplateDetailProps {
  template: UpdateTemplateView;
  onEdit: (draft: TemplateDraft) => void;
  /** With the templates left in the library. */
  onRemoved: (remaining: UpdateTemplateView[]) => void;
}

export function TemplateDetail({ template, onEdit, onRemoved }: TemplateDetailProps) {
  const remove = useAction();
  const [isConfirming, setConfirming] = useState(false);
  const title = renderExample(template.title);
  const body = renderExample(template.body);

  const confirmRemove = async () => {
    const answer: { remaining?: UpdateTemplateView[] } = {};
    const isRemoved = await remove.run(async () => {
      answer.remaining = await client().call('comms.removeTemplate', { id: template.id });
    });
    if (isRemoved && answer.remaining) onRemoved(answer.remaining);
  };

  return (
    <article className="lib-detail" data-testid="template-detail" aria-label={template.name}>
      <header className="lib-detail-head">
        <div className="lib-title-row">
          <h2 className="lib-detail-title" data-testid="template-name">
            {template.name}
            <TemplateBadges template={template} />
          </h2>
          <div className="lib-actions">
            <button type="button" className="button" data-testid="edit-template" onClick={() => onEdit(editTemplateDraft(template))}>
              Edit
            </button>
            <button type="button" className="button" data-testid="duplicate-template" title="Start a new template from this one" onClick={() => onEdit(duplicateTemplateDraft(template))}>
              Duplicate
            </button>
            <button type="button" className="button lib-remove" data-testid="remove-template" onClick={() => setConfirming(true)}>
              {template.isBuiltIn ? 'Hide…' : 'Remove…'}
            </button>
          </div>
        </div>
        <p className="lib-facts">
          <span data-testid="template-audience">For {audienceLabels[template.audience].toLowerCase()}</span>
          <span>
            {template.isBuiltIn && !template.isCustomised
              ? 'Built in to Holdfast'
              : template.isCustomised
                ? `Built-in, customised${template.updatedBy ? ` by ${template.updatedBy}` : ''}`
                : template.updatedBy
                  ? `Saved by ${template.updatedBy}`
                  : 'Saved in the library'}
          </span>
          <span className="mono">{template.id}</span>
        </p>
      </header>

      {isConfirming && (
        <div className="banner lib-confirm" role="alertdialog" aria-label="Confirm removal">
          <span>
            {template.isBuiltIn ? (
              <>
                <strong>Hide the built-in template “{template.name}”</strong> on every replica? The composer no longer offers it.
              </>
            ) : (
              <>
                <strong>Remove “{template.name}”</strong> from the library on every replica?
              </>
            )}{' '}
            Updates already written from it keep their text.
          </span>
          <span className="lib-confirm-actions">
            <button type="button" className="button button-small" data-testid="remove-keep" autoFocus onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button type="button" className="button button-small button-danger" data-testid="remove-confirm" disabled={remove.isBusy} onClick={() => void confirmRemove()}>
              {template.isBuiltIn ? 'Hide' : 'Remove'}
            </button>
          </span>
        </div>
      )}
      {remove.error && (
        <p className="form-error" role="alert" data-testid="remove-error">
          {remove.error}
        </p>
      )}

      <div className="cs-template-columns">
        <section className="cs-template-source" aria-label="Template as written">
          <h3 className="cs-pane-head">As written</h3>
          <div className="cs-source-title mono" data-testid="template-title">
            <PlaceholderText text={template.title} audience={template.audience} />
          </div>
          <pre className="cs-source-body" data-testid="template-body">
            <PlaceholderText text={template.body} audience={template.audience} />
          </pre>
        </section>
        <section className="cs-template-preview" aria-label="Preview with example values" data-testid="template-preview">
          <h3 className="cs-pane-head">Preview with example values</h3>
          <div className="cs-preview-card">
            <p className="cs-preview-title">{title.text}</p>
            <Markdown text={body.text} />
          </div>
          {[...new Set([...title.unresolved, ...body.unresolved])].length > 0 && (
            <p className="muted small">Not filled by Holdfast: {[...new Set([...title.unresolved, ...body.unresolved])].map((n) => `{{${n}}}`).join(', ')}</p>
          )}
        </section>
      </div>
    </article>
  );
}
