// The frame every directory editor shares: a modal form with Save and Cancel, every problem the
// schema found (or the engine's refusal, shown as it is: it says what to fix) beneath the fields,
// and for an existing record a remove that asks first.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { EditorForm } from './use-editor-form';

export interface EditorDialogProps {
  title: string;
  testId: string;
  /** The form (use-editor-form.ts): its submit, the save's state and the problems found. */
  editor: Pick<EditorForm, 'submit' | 'action' | 'summary'>;
  onClose: () => void;
  /** Removes the record; given only for one that exists. */
  onRemove?: () => Promise<void>;
  /** The question asked before removing, e.g. "Remove Ana from the directory on every replica?". */
  removeQuestion?: string;
  children: ReactNode;
}

export function EditorDialog({ title, testId, editor, onClose, onRemove, removeQuestion, children }: EditorDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { action, submit, summary } = editor;
  const [isConfirming, setConfirming] = useState(false);

  // Mounted only while editing: open as a modal at once, so focus and Escape behave.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const remove = async () => {
    if (onRemove && (await action.run(onRemove))) onClose();
  };

  return (
    <dialog ref={dialog} className="dialog directory-editor" aria-label={title} data-testid={testId} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2>{title}</h2>
        {children}
        {summary && (
          <p className="form-error" role="alert" data-testid="editor-error">
            {summary}
          </p>
        )}
        {isConfirming ? (
          <div className="dialog-actions confirm-remove" role="alertdialog" aria-label="Confirm removal">
            <span className="confirm-question">{removeQuestion}</span>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
            <button type="button" className="button button-danger" data-testid="editor-confirm-remove" disabled={action.isBusy} onClick={() => void remove()}>
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
            <button type="submit" className="button button-primary" data-testid="editor-save" disabled={action.isBusy}>
              {action.isBusy ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}
