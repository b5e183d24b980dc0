// The runbook editor: the Markdown source in a monospace box, checked on every keystroke with the
// same parser the engine uses (each problem with its line, a click away; Save waits until there
// are none), and the parsed steps previewed beside it. When merging, the sibling versions can be
// read in the side pane with the lines the merge does not have yet highlighted.
import { useDeferredValue, useEffect, useId, useMemo, useRef, useState } from 'react';
import { isReviewOverdue, type RunbookDetail } from '@shared/domain/runbook';
import { parseRunbook } from '@shared/domain/runbook-format';
import { localTime } from '../../lib/time';
import { client } from '../../store/client-ref';
import { EditorFoot, EditorNotice, useEditorSave } from '../shell/editor-save';
import type { EditorDraft } from './editor-draft';
import { Markdown } from './markdown';
import { MetaChips, plural } from './runbook-meta';
import { StepCards } from './runbook-steps';
import { useRunbooksView } from './runbooks-view-store';
import { SourceWithChanges } from './sibling-compare';

interface RunbookEditorProps {
  draft: EditorDraft;
  onCancel: () => void;
  onSaved: (detail: RunbookDetail) => void;
}

/** "line 12: unknown step type…" → 12, and the message without its line. */
function splitError(error: string): { line: number | null; message: string } {
  const match = /^line (\d+): ([\s\S]*)$/.exec(error);
  return match ? { line: Number(match[1]), message: match[2] } : { line: null, message: error };
}

/** Selects a line of the text and scrolls it into view, a third of the way down the box. */
function goToLine(textarea: HTMLTextAreaElement, line: number) {
  const lines = textarea.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((offset, text) => offset + text.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  textarea.focus();
  textarea.setSelectionRange(start, end);
  // Lines wrap, so where a line sits is measured: the text before it, in a hidden twin of the box.
  const twin = textarea.cloneNode() as HTMLTextAreaElement;
  twin.removeAttribute('id');
  twin.removeAttribute('data-testid');
  twin.style.cssText = `position:absolute;visibility:hidden;left:-9999px;top:0;height:0;min-height:0;width:${textarea.offsetWidth}px`;
  twin.value = textarea.value.slice(0, start);
  document.body.appendChild(twin);
  const top = twin.scrollHeight;
  twin.remove();
  textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
}

function caretOf(textarea: HTMLTextAreaElement) {
  const before = textarea.value.slice(0, textarea.selectionStart);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

export function RunbookEditor({ draft, onCancel, onSaved }: RunbookEditorProps) {
  // The text lives in the page's store, so it survives a switch to another view and back.
  const source = useRunbooksView((s) => s.source);
  const note = useRunbooksView((s) => s.note);
  const { setSource, setNote } = useRunbooksView.getState();
  const [pane, setPane] = useState<string>('preview');
  const [caret, setCaret] = useState({ line: 1, column: 1 });
  const textarea = useRef<HTMLTextAreaElement>(null);
  const errorsId = useId();

  const parsed = useMemo(() => parseRunbook(source), [source]);
  // While the text has problems the preview says what they are: never an older text (a pasted
  // runbook with a mistake would otherwise show the template it replaced).
  const deferred = useDeferredValue(parsed.ok ? parsed.runbook : null);
  const preview = parsed.ok ? (deferred ?? parsed.runbook) : null;
  const errors = parsed.ok ? [] : parsed.errors.map(splitError);
  const isDirty = source !== draft.source || note !== draft.note;

  useEffect(() => {
    const box = textarea.current;
    if (!box) return;
    box.focus();
    box.setSelectionRange(0, 0);
    box.scrollTop = 0;
  }, []);

  const editor = useEditorSave({
    isDirty,
    canSave: parsed.ok,
    request: () =>
      client().call('runbooks.save', {
        ...(draft.runbookId === null ? {} : { runbookId: draft.runbookId }),
        source,
        parents: draft.parents,
        note: note.trim(),
      }),
    onSaved,
    onCancel,
  });

  const sibling = draft.siblings.find((s) => s.version.id === pane);
  const shownPane = sibling ? pane : 'preview';

  return (
    <section className="rb-editor" data-testid="runbook-editor" aria-label={draft.heading} onKeyDown={editor.onKeyDown}>
      <header className="rb-editor-head">
        <h2 data-testid="editor-heading">{draft.heading}</h2>
        <p className="muted small">
          Markdown with front matter; steps start with [check], [command], [decision] or [recovery]. <kbd>Ctrl</kbd> <kbd>S</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
      </header>
      <EditorNotice notice={draft.notice} className="rb-banner rb-banner-siblings" testId="editor-notice" />

      <div className="rb-editor-body">
        <div className="rb-editor-source">
          <textarea
            ref={textarea}
            className="rb-source-input"
            data-testid="editor-source"
            aria-label="Runbook text (Markdown with front matter)"
            aria-invalid={errors.length > 0}
            aria-describedby={errorsId}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            value={source}
            onChange={(e) => {
              setSource(e.target.value);
              setCaret(caretOf(e.target));
            }}
            onSelect={(e) => setCaret(caretOf(e.currentTarget))}
          />
          <div className="rb-editor-status" id={errorsId} aria-live="polite">
            <span className="mono small muted">
              Line {caret.line}, column {caret.column}
            </span>
            {errors.length === 0 ? (
              <span className="rb-editor-ok" data-testid="editor-valid">
                No problems · {plural(parsed.ok ? parsed.runbook.steps.length : 0, 'step')}
              </span>
            ) : (
              <span className="rb-editor-bad">{plural(errors.length, 'problem')} to fix before saving</span>
            )}
          </div>
          {errors.length > 0 && (
            <ul className="rb-editor-errors" data-testid="editor-errors">
              {errors.map((error, index) => (
                <li key={index} data-testid="editor-error-item">
                  {error.line !== null && (
                    <button
                      type="button"
                      className="link-button mono"
                      data-testid="editor-error-line"
                      title={`Go to line ${error.line}`}
                      onClick={() => {
                        if (!textarea.current) return;
                        goToLine(textarea.current, error.line as number);
                        setCaret(caretOf(textarea.current));
                      }}
                    >
                      line {error.line}
                    </button>
                  )}
                  <span>{error.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div className="rb-editor-side">
          {draft.siblings.length > 0 && (
            <div className="tabs" role="tablist" aria-label="Beside the editor">
              <button type="button" role="tab" className="tab" aria-selected={shownPane === 'preview'} data-testid="pane-preview" onClick={() => setPane('preview')}>
                Preview
              </button>
              {draft.siblings.map((s) => (
                <button
                  key={s.version.id}
                  type="button"
                  role="tab"
                  className="tab"
                  aria-selected={shownPane === s.version.id}
                  data-testid="pane-sibling"
                  onClick={() => setPane(s.version.id)}
                >
                  v{s.version.number} · {s.version.authorId}
                </button>
              ))}
            </div>
          )}
          {sibling ? (
            <div className="rb-editor-pane" data-testid="editor-sibling">
              <p className="muted small">
                v{sibling.version.number}, saved by {sibling.version.authorId} {localTime(sibling.version.createdAt)}
                {sibling.version.note && ` (“${sibling.version.note}”)`}. Highlighted lines are not in your text.
              </p>
              <SourceWithChanges source={sibling.version.source} others={[source]} testId="editor-sibling-source" />
            </div>
          ) : (
            <div className="rb-editor-pane rb-preview" data-testid="editor-preview" role="region" tabIndex={0} aria-label="Preview">
              {preview === null ? (
                <div data-testid="preview-problems">
                  <p className="muted">The preview appears once the text has no problems. To fix:</p>
                  <ul className="rb-editor-errors">
                    {errors.map((error, index) => (
                      <li key={index}>
                        {error.line !== null && <span className="mono">line {error.line}: </span>}
                        {error.message}
                      </li>
                    ))}
                  </ul>
                </div>
              ) : (
                <>
                  <h2 className="rb-detail-title" data-testid="preview-title">
                    {preview.meta.title}
                  </h2>
                  <MetaChips meta={preview.meta} />
                  <p className="lib-facts">
                    {preview.meta.owner && <span>Owner: {preview.meta.owner}</span>}
                    {preview.meta.reviewBy && (
                      <span className={isReviewOverdue(preview.meta.reviewBy, Date.now()) ? 'rb-flag rb-flag-review' : undefined}>
                        Review by {preview.meta.reviewBy}
                        {isReviewOverdue(preview.meta.reviewBy, Date.now()) && ' (passed)'}
                      </span>
                    )}
                  </p>
                  {preview.intro && (
                    <div className="rb-intro">
                      <Markdown text={preview.intro} />
                    </div>
                  )}
                  <StepCards steps={preview.steps} scope="preview" />
                </>
              )}
            </div>
          )}
        </div>
      </div>

      <EditorFoot
        editor={editor}
        testIdPrefix="editor"
        className="rb-editor-foot"
        errorClassName="rb-editor-save-error"
        saveLabel={draft.siblings.length > 0 ? 'Save merge' : 'Save'}
        saveTitle={errors.length > 0 ? `Fix the ${plural(errors.length, 'problem')} first` : 'Save a new version (Ctrl S)'}
        isSaveDisabled={errors.length > 0}
      >
        <label className="rb-editor-note">
          <span className="rb-sr-only">What changed (optional)</span>
          <input
            type="text"
            data-testid="editor-note"
            placeholder="What changed (optional), e.g. “step 5: use the new failover command”"
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
      </EditorFoot>
    </section>
  );
}
