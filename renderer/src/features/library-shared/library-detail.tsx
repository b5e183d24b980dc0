// The open entry of a library section (a checklist, an update template): its name with its badge,
// Edit, Duplicate and Remove beside it, its facts below, then what the entry holds. Removing asks
// first; a built-in entry is hidden rather than removed, on every replica.
import { useState, type ReactNode } from 'react';
import { useAction } from '../../lib/use-action';
import { ConfirmRemoval } from './confirm-removal';
import './library-shared.css';

interface LibraryDetailProps<T> {
  /**
   * `checklist` names the parts for tests (checklist-detail, checklist-name, edit-checklist,
   * duplicate-checklist, remove-checklist) and for people ("Hide the built-in checklist").
   */
  kind: string;
  id: string;
  name: string;
  /** Beside the name (built-in, customised). */
  badge?: ReactNode;
  /** Built in to Holdfast: removing hides it. */
  isBuiltIn: boolean;
  onEdit: () => void;
  onDuplicate: () => void;
  /** Between the title and the facts (incident types). */
  labels?: ReactNode;
  /** What is known about it, each in a span; its id follows. */
  facts: ReactNode;
  /** What hiding a built-in one changes, e.g. "It is no longer offered in war rooms." */
  hiddenMeans: string;
  /** What is kept of what was made from it, e.g. "Incidents that already started it keep their artifacts." */
  keptMeans: string;
  /** Removes it in the engine, which answers with the entries left. */
  remove: () => Promise<T[]>;
  onRemoved: (remaining: T[]) => void;
  children: ReactNode;
}

export function LibraryDetail<T>({
  kind,
  id,
  name,
  badge,
  isBuiltIn,
  onEdit,
  onDuplicate,
  labels,
  facts,
  hiddenMeans,
  keptMeans,
  remove,
  onRemoved,
  children,
}: LibraryDetailProps<T>) {
  const removal = useAction();
  const [isConfirming, setConfirming] = useState(false);

  const confirmRemove = async () => {
    const answer: { remaining?: T[] } = {};
    const isRemoved = await removal.run(async () => {
      answer.remaining = await remove();
    });
    if (isRemoved && answer.remaining) onRemoved(answer.remaining);
  };

  return (
    <article className="lib-detail" data-testid={`${kind}-detail`} aria-label={name}>
      <header className="lib-detail-head">
        <div className="lib-title-row">
          <h2 className="lib-detail-title" data-testid={`${kind}-name`}>
            {name}
            {badge}
          </h2>
          <div className="lib-actions">
            <button type="button" className="button" data-testid={`edit-${kind}`} onClick={onEdit}>
              Edit
            </button>
            <button type="button" className="button" data-testid={`duplicate-${kind}`} title={`Start a new ${kind} from this one`} onClick={onDuplicate}>
              Duplicate
            </button>
            <button type="button" className="button lib-remove" data-testid={`remove-${kind}`} onClick={() => setConfirming(true)}>
              {isBuiltIn ? 'Hide…' : 'Remove…'}
            </button>
          </div>
        </div>
        {labels}
        <p className="lib-facts">
          {facts}
          <span className="mono">{id}</span>
        </p>
      </header>

      {isConfirming && (
        <ConfirmRemoval confirmLabel={isBuiltIn ? 'Hide' : 'Remove'} isBusy={removal.isBusy} onKeep={() => setConfirming(false)} onConfirm={() => void confirmRemove()}>
          {isBuiltIn ? (
            <>
              <strong>{`Hide the built-in ${kind} “${name}”`}</strong> on every replica? {hiddenMeans}
            </>
          ) : (
            <>
              <strong>Remove “{name}”</strong> from the library on every replica?
            </>
          )}{' '}
          {keptMeans}
        </ConfirmRemoval>
      )}
      {removal.error && (
        <p className="form-error" role="alert" data-testid="remove-error">
          {removal.error}
        </p>
      )}

      {children}
    </article>
  );
}
