// The question an editor asks before it throws away unsaved changes, in place of its save bar.
export function ConfirmDiscard({ className, testIdPrefix, onKeep, onDiscard }: { className: string; testIdPrefix: string; onKeep: () => void; onDiscard: () => void }) {
  return (
    <div className={`${className} confirm-discard`} role="alertdialog" aria-label="Discard changes?">
      <span className="confirm-question">Discard your changes? They are not saved anywhere.</span>
      <button type="button" className="button" data-testid={`${testIdPrefix}-keep`} autoFocus onClick={onKeep}>
        Keep editing
      </button>
      <button type="button" className="button button-danger" data-testid={`${testIdPrefix}-discard`} onClick={onDiscard}>
        Discard changes
      </button>
    </div>
  );
}
