// One evidence checklist: what it is for, then its items in the order they are to be collected,
// most volatile first (RFC 3227), each with its type, the asset it comes from, what to collect and
// how, and whether it holds up recovery actions until it is collected or waived. Edit, copy into a
// new checklist, or remove it from the library (a built-in one is hidden).
import type { ChecklistTemplate } from '@shared/domain/evidence';
import { localTime, utcTime } from '../../lib/time';
import { client } from '../../store/client-ref';
import { LibraryDetail } from '../library-shared/library-detail';
import { InlineMarkdown } from '../runbooks/inline-markdown';
import { duplicateChecklistDraft, editChecklistDraft, isBuiltIn, type ChecklistDraft } from './checklist-draft';
import { ArtifactTypeBadge, BuiltInBadge, IncidentTypeChips, plural, VolatilityBadge } from './checklist-meta';

interface ChecklistDetailProps {
  template: ChecklistTemplate;
  onEdit: (draft: ChecklistDraft) => void;
  /** With the checklists left in the library. */
  onRemoved: (remaining: ChecklistTemplate[]) => void;
}

/**
 * `how` as inline Markdown (the samples put commands in backticks), with a `<` outside backticks
 * kept as typed: `crictl inspect <id>` must not lose its placeholder as if it were HTML.
 */
export const howMarkdown = (how: string) =>
  how
    .split(/(`+[^`]*`+)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/</g, '\\<')))
    .join('');

/** Most volatile first; items with the same volatility keep the order they were written in. */
export function byVolatility<T extends { volatility: number }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.volatility - b.item.volatility || a.index - b.index)
    .map(({ item }) => item);
}

export function VolatilityNote() {
  return (
    <p className="lib-volatility-note" data-testid="volatility-note">
      <strong>Order of volatility (RFC 3227):</strong> collect what disappears first. Memory and process state are lost on a restart or a failover, so they come before
      disk; disk before logs kept elsewhere, which roll over on their own schedule; archives and backups last. 1 is the most volatile; the war room lists the
      incident&apos;s artifacts in this order.
    </p>
  );
}

export function ChecklistDetail({ template, onEdit, onRemoved }: ChecklistDetailProps) {
  const builtIn = isBuiltIn(template);
  const items = byVolatility(template.items);
  const required = template.items.filter((i) => i.isRequired).length;

  return (
    <LibraryDetail
      kind="checklist"
      id={template.id}
      name={template.name}
      badge={builtIn && <BuiltInBadge />}
      isBuiltIn={builtIn}
      onEdit={() => onEdit(editChecklistDraft(template))}
      onDuplicate={() => onEdit(duplicateChecklistDraft(template))}
      labels={<IncidentTypeChips types={template.incidentTypes} />}
      facts={
        <>
          <span data-testid="checklist-counts">
            {plural(template.items.length, 'item')}, {required} required before recovery actions
          </span>
          <span>
            {builtIn ? (
              'Built in to Holdfast'
            ) : (
              <time dateTime={new Date(template.updatedAt).toISOString()} title={utcTime(template.updatedAt)}>
                Saved {localTime(template.updatedAt)}
                {template.updatedBy && ` by ${template.updatedBy}`}
              </time>
            )}
          </span>
        </>
      }
      hiddenMeans="It is no longer offered in war rooms."
      keptMeans="Incidents that already started it keep their artifacts."
      remove={() => client().call('evidence.removeTemplate', { id: template.id })}
      onRemoved={onRemoved}
    >
      <VolatilityNote />
      <ol className="lib-items" data-testid="checklist-items" aria-label="Items, most volatile first">
        {items.map((item) => (
          <li key={item.key} className="lib-item-card" data-testid="checklist-entry" data-key={item.key}>
            <VolatilityBadge volatility={item.volatility} />
            <div className="lib-entry-body">
              <div className="lib-entry-head">
                <ArtifactTypeBadge type={item.artifactType} />
                <span className="lib-entry-what" data-testid="item-what">
                  {item.what}
                </span>
                <span className={item.isRequired ? 'lib-required' : 'lib-optional'} data-testid="item-required">
                  {item.isRequired ? 'required' : 'optional'}
                </span>
              </div>
              <div className="lib-entry-facts">
                {item.asset && (
                  <span data-testid="item-asset">
                    <span className="muted">from</span> {item.asset}
                  </span>
                )}
                <span className="mono muted small" title="Key of the item in this checklist">
                  {item.key}
                </span>
              </div>
              {item.how && (
                <p className="lib-entry-how" data-testid="item-how">
                  <InlineMarkdown text={howMarkdown(item.how)} />
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </LibraryDetail>
  );
}
