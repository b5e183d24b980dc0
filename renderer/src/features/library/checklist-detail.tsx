// One evidence checklist: what it is for, then its items in the order they are to be collected,
// most volatile first (RFC 3227), each with its type, the asset it comes from, what to collect and
// how, and whether it holds up recovery actions until it is collected or waived. Edit, copy into a
// new checklist, or remove it from the library (a built-in one is hidden).
import { useState } from 'react';
import type { ChecklistTemplate } from '../../../../shared/domain/evidence';
import { localTime, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
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
      <strong>Order of volatility (RFC 3227):</strong> collect what disappears first. Memory and process state are lost on a restart or a
      failover, so they come before disk; disk before logs kept elsewhere, which roll over on their own schedule; archives and backups
      last. 1 is the most volatile; the war room lists the incident&apos;s artifacts in this order.
    </p>
  );
}

export function ChecklistDetail({ template, onEdit, onRemoved }: ChecklistDetailProps) {
  const remove = useAction();
  const [isConfirming, setConfirming] = useState(false);
  const builtIn = isBuiltIn(template);
  const items = byVolatility(template.items);
  const required = template.items.filter((i) => i.isRequired).length;

  const confirmRemove = async () => {
    const answer: { remaining?: ChecklistTemplate[] } = {};
    const isRemoved = await remove.run(async () => {
      answer.remaining = await client().call('evidence.removeTemplate', { id: template.id });
    });
    if (isRemoved && answer.remaining) onRemoved(answer.remaining);
  };

  return (
    <article className="lib-detail" data-testid="checklist-detail" aria-label={template.name}>
      <header className="lib-detail-head">
        <div className="lib-title-row">
          <h2 className="lib-detail-title" data-testid="checklist-name">
            {template.name}
            {builtIn && <BuiltInBadge />}
          </h2>
          <div className="lib-actions">
            <button type="button" className="button" data-testid="edit-checklist" onClick={() => onEdit(editChecklistDraft(template))}>
              Edit
            </button>
            <button
              type="button"
              className="button"
              data-testid="duplicate-checklist"
              title="Start a new checklist from this one"
              onClick={() => onEdit(duplicateChecklistDraft(template))}
            >
              Duplicate
            </button>
            <button type="button" className="button lib-remove" data-testid="remove-checklist" onClick={() => setConfirming(true)}>
              {builtIn ? 'Hide…' : 'Remove…'}
            </button>
          </div>
        </div>
        <IncidentTypeChips types={template.incidentTypes} />
        <p className="lib-facts">
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
          <span className="mono">{template.id}</span>
        </p>
      </header>

      {isConfirming && (
        <div className="banner lib-confirm" role="alertdialog" aria-label="Confirm removal">
          <span>
            {builtIn ? (
              <>
                <strong>Hide the built-in checklist “{template.name}”</strong> on every replica? It is no longer offered in war rooms.
              </>
            ) : (
              <>
                <strong>Remove “{template.name}”</strong> from the library on every replica?
              </>
            )}{' '}
            Incidents that already started it keep their artifacts.
          </span>
          <span className="lib-confirm-actions">
            <button type="button" className="button button-small" data-testid="remove-keep" autoFocus onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button type="button" className="button button-small button-danger" data-testid="remove-confirm" disabled={remove.isBusy} onClick={() => void confirmRemove()}>
              {builtIn ? 'Hide' : 'Remove'}
            </button>
          </span>
        </div>
      )}
      {remove.error && (
        <p className="form-error" role="alert" data-testid="remove-error">
          {remove.error}
        </p>
      )}

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
    </article>
  );
}
