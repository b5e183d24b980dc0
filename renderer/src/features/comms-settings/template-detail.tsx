// One update template: its audience and badges, its title and body as written (placeholders marked)
// beside a preview filled with example values. Edit, copy into a new template, or remove it (a
// built-in one is hidden).
import { audienceLabels } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { client } from '../../store/client-ref';
import { LibraryDetail } from '../library-shared/library-detail';
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
  const title = renderExample(template.title);
  const body = renderExample(template.body);

  return (
    <LibraryDetail
      kind="template"
      id={template.id}
      name={template.name}
      badge={<TemplateBadges template={template} />}
      isBuiltIn={template.isBuiltIn}
      onEdit={() => onEdit(editTemplateDraft(template))}
      onDuplicate={() => onEdit(duplicateTemplateDraft(template))}
      facts={
        <>
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
        </>
      }
      hiddenMeans="The composer no longer offers it."
      keptMeans="Updates already written from it keep their text."
      remove={() => client().call('comms.removeTemplate', { id: template.id })}
      onRemoved={onRemoved}
    >
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
    </LibraryDetail>
  );
}
