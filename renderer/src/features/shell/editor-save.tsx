// How every editor saves: the engine call with its busy flag and the engine's message kept, the
// keys (Ctrl/Cmd+S saves, Escape cancels), and the bar at the foot: the message above it, then
// Cancel and Save, or the question before unsaved changes are thrown away in its place. Also the
// notice above a form when saving does more than its heading says.
import type { ReactNode } from 'react';
import { useAction } from '../../lib/use-action';
import { ConfirmDiscard, useEditorKeys } from './confirm-discard';

interface EditorSaveOptions<T> {
  isDirty: boolean;
  /** False while the form cannot be sent (the runbook editor's text has problems): saving does nothing. */
  canSave?: boolean;
  /** Sends the form to the engine; resolves with what it saved. */
  request: () => Promise<T>;
  onSaved: (saved: T) => void;
  onCancel: () => void;
}

export function useEditorSave<T>({ isDirty, canSave = true, request, onSaved, onCancel }: EditorSaveOptions<T>) {
  const save = useAction();
  const submit = async () => {
    if (!canSave || save.isBusy) return;
    const answer: { saved?: T } = {};
    const isSaved = await save.run(async () => {
      answer.saved = await request();
    });
    if (isSaved && answer.saved !== undefined) onSaved(answer.saved);
  };
  const keys = useEditorKeys({ isDirty, onSubmit: () => void submit(), onCancel });
  return { save, submit, discard: onCancel, ...keys };
}

export type EditorSave = ReturnType<typeof useEditorSave>;

interface EditorFootProps {
  editor: EditorSave;
  /** `X` names the parts for tests: X-save-error, X-cancel, X-save, X-keep, X-discard. */
  testIdPrefix: string;
  /** The bar's class, and the class of the engine's message above it. */
  className: string;
  errorClassName: string;
  saveLabel: string;
  saveTitle?: string;
  /** Save is disabled while busy, and also when this says so. */
  isSaveDisabled?: boolean;
  /** Before the buttons: a note on what saving does, or a field. */
  children: ReactNode;
}

export function EditorFoot({ editor, testIdPrefix, className, errorClassName, saveLabel, saveTitle, isSaveDisabled = false, children }: EditorFootProps) {
  const { save } = editor;
  return (
    <>
      {save.error && (
        <p className={`form-error ${errorClassName}`} role="alert" data-testid={`${testIdPrefix}-save-error`}>
          {save.error}
        </p>
      )}
      {editor.isConfirmingCancel ? (
        <ConfirmDiscard className={className} testIdPrefix={testIdPrefix} onKeep={editor.keepEditing} onDiscard={editor.discard} />
      ) : (
        <div className={className}>
          {children}
          <button type="button" className="button" data-testid={`${testIdPrefix}-cancel`} onClick={editor.cancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            data-testid={`${testIdPrefix}-save`}
            disabled={isSaveDisabled || save.isBusy}
            title={saveTitle}
            onClick={() => void editor.submit()}
          >
            {save.isBusy ? 'Saving…' : saveLabel}
          </button>
        </div>
      )}
    </>
  );
}

/** What saving does beyond what the editor's heading says (replacing a built-in, merging versions). */
export function EditorNotice({ notice, className, testId }: { notice: string | null; className: string; testId: string }) {
  if (!notice) return null;
  return (
    <div className={`banner ${className}`} role="note" data-testid={testId}>
      {notice}
    </div>
  );
}
