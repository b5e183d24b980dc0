// The question an editor asks before it throws away unsaved changes, in place of its save bar, and
// the keys every editor answers to: Ctrl/Cmd+S or +Enter saves, Escape cancels (asking first when
// something changed) or takes the question back.
import { useState, type KeyboardEvent } from 'react';

export function useEditorKeys({ isDirty, onSubmit, onCancel }: { isDirty: boolean; onSubmit: () => void; onCancel: () => void }) {
  const [isConfirmingCancel, setConfirmingCancel] = useState(false);
  const cancel = () => (isDirty ? setConfirmingCancel(true) : onCancel());
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && (event.key === 's' || event.key === 'Enter')) {
      event.preventDefault();
      onSubmit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (isConfirmingCancel) setConfirmingCancel(false);
      else cancel();
    }
  };
  return { isConfirmingCancel, keepEditing: () => setConfirmingCancel(false), cancel, onKeyDown };
}

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
