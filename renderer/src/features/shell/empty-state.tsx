// A calm placeholder for a view with nothing in it yet, saying what would appear and how.
import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      <div className="empty-state-body">{children}</div>
    </div>
  );
}
