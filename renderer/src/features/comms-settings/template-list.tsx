// The library's column of update templates, grouped by audience (responders, executives,
// customers), each with its badges. Each entry is a button; the arrow keys move through them.
import type { KeyboardEvent } from 'react';
import { audienceLabels, audiences } from '../../../../shared/domain/comms';
import type { UpdateTemplateView } from '../../../../shared/domain/comms-api';
import { TemplateBadges } from './template-meta';

function moveWithArrows(event: KeyboardEvent<HTMLDivElement>) {
  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.lib-item')];
  const at = items.findIndex((item) => item === document.activeElement);
  const next =
    event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
  if (next === null || at < 0 || next < 0 || next >= items.length) return;
  event.preventDefault();
  items[next].focus();
  items[next].click();
}

interface TemplateListProps {
  templates: UpdateTemplateView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function TemplateList({ templates, selectedId, onSelect }: TemplateListProps) {
  return (
    <div className="lib-list cs-template-list" data-testid="template-list" onKeyDown={moveWithArrows}>
      {audiences.map((audience) => {
        const group = templates.filter((t) => t.audience === audience);
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
                  <li key={template.id}>
                    <button
                      type="button"
                      className="lib-item"
                      data-testid="template-item"
                      data-template-id={template.id}
                      aria-current={template.id === selectedId ? 'true' : undefined}
                      onClick={() => onSelect(template.id)}
                    >
                      <span className="lib-item-title">
                        <span data-testid="template-item-name">{template.name}</span>
                        <TemplateBadges template={template} />
                      </span>
                      <span className="lib-item-meta cs-item-title mono" title={template.title}>
                        {template.title}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}
