// The foot of a settings panel's form: the engine's message when it refused the last save, then
// Save (a submit button), any other buttons, and whether what is shown is saved.
import type { ReactNode } from 'react';

interface SettingsSaveBarProps {
  /** `X` names the parts for tests: X-error, X-save, X-unsaved, X-saved. */
  testIdPrefix: string;
  saveLabel: string;
  error: string | null;
  isBusy: boolean;
  /** The form differs from what the engine holds. */
  isDirty: boolean;
  /** The last save went through, and nothing was changed since. */
  isSaved: boolean;
  /** Between Save and the status. */
  children?: ReactNode;
}

export function SettingsSaveBar({ testIdPrefix, saveLabel, error, isBusy, isDirty, isSaved, children }: SettingsSaveBarProps) {
  return (
    <>
      {error && (
        <p className="form-error cs-form-error" role="alert" data-testid={`${testIdPrefix}-error`}>
          {error}
        </p>
      )}
      <div className="cs-actions">
        <button type="submit" className="button button-primary" disabled={isBusy} data-testid={`${testIdPrefix}-save`}>
          {isBusy ? 'Saving…' : saveLabel}
        </button>
        {children}
        {isDirty ? (
          <span className="muted small" data-testid={`${testIdPrefix}-unsaved`}>
            Not saved yet.
          </span>
        ) : (
          isSaved && (
            <span className="cs-saved small" data-testid={`${testIdPrefix}-saved`}>
              Saved on every replica.
            </span>
          )
        )}
      </div>
    </>
  );
}
