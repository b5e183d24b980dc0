// The question asked before something is removed on every replica, in a banner where the Remove
// button was pressed: what goes and what stays, then Keep (focused) or Remove.
import type { ReactNode } from 'react';
import './library-shared.css';

interface ConfirmRemovalProps {
  /** Added to the banner's classes, to place it. */
  className?: string;
  /** `X` names the buttons for tests: X-keep and X-confirm. */
  testIdPrefix?: string;
  confirmLabel?: string;
  isBusy: boolean;
  onKeep: () => void;
  onConfirm: () => void;
  /** The question. */
  children: ReactNode;
}

export function ConfirmRemoval({ className, testIdPrefix = 'remove', confirmLabel = 'Remove', isBusy, onKeep, onConfirm, children }: ConfirmRemovalProps) {
  return (
    <div className={className ? `banner lib-confirm ${className}` : 'banner lib-confirm'} role="alertdialog" aria-label="Confirm removal">
      <span>{children}</span>
      <span className="lib-confirm-actions">
        <button type="button" className="button button-small" data-testid={`${testIdPrefix}-keep`} autoFocus onClick={onKeep}>
          Keep
        </button>
        <button type="button" className="button button-small button-danger" data-testid={`${testIdPrefix}-confirm`} disabled={isBusy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </span>
    </div>
  );
}
