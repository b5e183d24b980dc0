// A section of the directory's side rail (bridges, teams): its heading, an add button, and a hint
// while it is empty.
import type { ReactNode } from 'react';
import { useEditGate } from './directory-gate';

interface RailSectionProps {
  kind: 'bridge' | 'team';
  title: string;
  /** Shown instead of the cards while there are none. */
  emptyText: string | null;
  onAdd: () => void;
  children: ReactNode;
}

export function RailSection({ kind, title, emptyText, onAdd, children }: RailSectionProps) {
  const gate = useEditGate();
  return (
    <section aria-labelledby={`${kind}-rail-title`}>
      <div className="rail-head">
        <h2 id={`${kind}-rail-title`}>{title}</h2>
        <button type="button" className="button button-small" data-testid={`add-${kind}`} onClick={onAdd} {...gate}>
          Add {kind}
        </button>
      </div>
      {emptyText && <p className="muted small">{emptyText}</p>}
      {children}
    </section>
  );
}
