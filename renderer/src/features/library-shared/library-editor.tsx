// The editor that takes a library section while an entry is written or changed: its heading and
// keys, the form (scrolling on its own), and the save bar saying where the entry is saved; and the
// name field every entry has.
import type { ReactNode } from 'react';
import { EditorFoot, type EditorSave } from '../shell/editor-save';
import './library-shared.css';

interface LibraryEditorProps {
  /**
   * `checklist` names the parts for tests (checklist-editor, checklist-editor-heading,
   * checklist-save, checklist-cancel, …) and for people ("Save checklist").
   */
  kind: string;
  heading: string;
  /** The entry saving replaces; null saves a new one. */
  replacesId: string | null;
  editor: EditorSave;
  /** Added to the form's classes, to lay it out. */
  bodyClassName?: string;
  children: ReactNode;
}

export function LibraryEditor({ kind, heading, replacesId, editor, bodyClassName, children }: LibraryEditorProps) {
  return (
    <section className="lib-editor" data-testid={`${kind}-editor`} aria-label={heading} onKeyDown={editor.onKeyDown}>
      <header className="lib-editor-head">
        <h2 data-testid={`${kind}-editor-heading`}>{heading}</h2>
        <p className="muted small">
          <kbd>Ctrl</kbd> <kbd>S</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
      </header>

      <div className={bodyClassName ? `lib-editor-body ${bodyClassName}` : 'lib-editor-body'}>{children}</div>

      <EditorFoot editor={editor} testIdPrefix={kind} className="lib-editor-foot" errorClassName="lib-save-error" saveLabel={`Save ${kind}`}>
        <span className="lib-foot-note muted small">
          {replacesId === null ? (
            `Saved as a new ${kind} in the library, on every replica.`
          ) : (
            <>
              Saved in place of <span className="mono">{replacesId}</span>, on every replica.
            </>
          )}
        </span>
      </EditorFoot>
    </section>
  );
}

interface NameFieldProps {
  /** `checklist` names the parts for tests: checklist-name-input, checklist-name-problem. */
  kind: string;
  /** Added to the field's classes, to place it. */
  className: string;
  placeholder: string;
  /** A new entry's name takes the focus when the editor opens. */
  isNew: boolean;
  /** What the engine said about the name (or the id made from it) at the last save. */
  problem: string | undefined;
  value: string;
  onChange: (name: string) => void;
}

/** The entry's name, which a new entry's id is made from. */
export function NameField({ kind, className, placeholder, isNew, problem, value, onChange }: NameFieldProps) {
  return (
    <label className={`field ${className}`}>
      <span>Name</span>
      <input
        type="text"
        data-testid={`${kind}-name-input`}
        placeholder={placeholder}
        maxLength={200}
        autoComplete="off"
        autoFocus={isNew}
        aria-invalid={problem ? true : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <small className="lib-field-problem" data-testid={`${kind}-name-problem`}>
          {problem}
        </small>
      )}
    </label>
  );
}
