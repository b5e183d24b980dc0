// The sidebar's way to the break-glass kit, there whether or not outage mode is on.
import { useState } from 'react';
import { KitDialog } from './kit-dialog';

export function BreakGlassButton({ isCollapsed }: { isCollapsed: boolean }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="nav-item break-glass-nav"
        data-testid="nav-break-glass"
        title={isCollapsed ? 'Break-glass kit' : undefined}
        onClick={() => setOpen(true)}
      >
        {isCollapsed ? (
          <span className="nav-initial">
            <span aria-hidden="true">K</span>
            <span className="visually-hidden">Break-glass kit</span>
          </span>
        ) : (
          'Break-glass kit'
        )}
      </button>
      {isOpen && <KitDialog onClose={() => setOpen(false)} />}
    </>
  );
}
