// The library's column of update templates, grouped by audience (responders, executives,
// customers), each with its badges. Each entry is a button; the arrow keys move through them.
import { audienceLabels, audiences } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { LibraryItem, moveWithArrows, type EntryColumnProps } from '../library-shared/library-list';
import { TemplateBadges } from './template-meta';

const moveThroughTemplates = moveWithArrows('.lib-item');

export function TemplateList({ entries, selectedId, onSelect }: EntryColumnProps<UpdateTemplateView>) {
  return (
    <div className="lib-list" data-testid="template-list" onKeyDown={moveThroughTemplates}>
      {audiences.map((audience) => {
        const group = entries.filter((t) => t.audience === audience);
        return (
          <section key={audience} className="cs-template-group" data-testid={`template-group-${audience}`} aria-label={audienceLabels[audience]}>
            <h3 className="cs-group-head">
              {audienceLabels[audience]} <span className="muted">{group.length}</span>
            </h3>
            {group.length === 0 ? (
              <p className="muted small cs-group-empty">No template: updates start blank.</p>
            ) : (
              <ul className="cs-group-items">
                {group.map((template) => (
                  <LibraryItem
                    key={template.id}
                    kind="template"
                    id={template.id}
                    name={template.name}
                    badge={<TemplateBadges template={template} />}
                    isCurrent={template.id === selectedId}
                    onSelect={onSelect}
                  >
                    <span className="lib-item-meta cs-item-title mono" title={template.title}>
                      {template.title}
                    </span>
                  </LibraryItem>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
