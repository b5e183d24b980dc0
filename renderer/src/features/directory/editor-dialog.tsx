// The frame every directory editor shares: a modal form with the engine's error shown as it is
// (it says what to fix), Save and Cancel, and for an existing record a remove that asks first.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../../lib/use-action';

export interface EditorDialogProps {
  title: string;
  testId: string;
  onSave: () => Promise<void>;
  onClose: () => void;
  /** Removes the record; given only for one that exists. */
  onRemove?: () => Promise<void>;
  /** The question asked before removing, e.g. "Remove Ana from the directory on every replica?". */
  removeQuestion?: string;
  children: ReactNode;
}

export function EditorDialog({ title, testId, onSave, onClose, onRemove, removeQuestion, children }: EditorDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { error, isBusy, run } = useAction();
  const [isConfirming, setConfirming] = useState(false);

  // Mounted only while editing: open as a modal at once, so focus and Escape behave.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!isBusy && (await run(onSave))) onClose();
  };
  const remove = async () => {
    if (onRemove && (await run(onRemove))) onClose();
  };

  return (
    <dialog ref={dialog} className="dialog" aria-label={title} data-testid={testId} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2>{title}</h2>
        {children}
        {error && (
          <p className="form-error" role="alert" data-testid="editor-error">
            {error}
          </p>
        )}
        {isConfirming ? (
          <div className="dialog-actions confirm-remove" role="alertdialog" aria-label="Confirm removal">
            <span className="confirm-question">{removeQuestion}</span>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button type="button" className="button button-danger" data-testid="editor-confirm-remove" disabled={isBusy} onClick={() => void remove()}>
              Remove
            </button>
          </div>
        ) : (
          <div className="dialog-actions">
            {onRemove && (
              <button type="button" className="button remove-button" data-testid="editor-remove" onClick={() => setConfirming(true)}>
                Remove…
              </button>
            )}
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" data-testid="editor-save" disabled={isBusy}>
              {isBusy ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}
