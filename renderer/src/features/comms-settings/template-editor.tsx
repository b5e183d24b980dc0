// The update template editor: name, audience, title and body (Markdown: bold, italics, links and
// `- ` bullets) with `{{placeholders}}`, and the placeholder reference beside it. Saving sends the
// form to the engine as it is: what the engine refuses comes back as its message, shown beside the
// field it names and below the form.
import { useRef, useState } from 'react';
import { audienceLabels, audiences, maxUpdateBodyChars, maxUpdateTitleChars, type Audience } from '../../../../shared/domain/comms';
import type { UpdateTemplateView } from '../../../../shared/domain/comms-api';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { ConfirmDiscard, useEditorKeys } from '../shell/confirm-discard';
import { fieldProblems, problemAt } from './field-problems';
import { PlaceholderReference } from './placeholder-reference';
import { isTemplateChanged, saveTemplateRequest } from './template-draft';
import { useTemplatesView } from './templates-view-store';

interface TemplateEditorProps {
  takenIds: ReadonlySet<string>;
  onCancel: () => void;
  onSaved: (template: UpdateTemplateView) => void;
}

type Target = 'title' | 'body';

export function TemplateEditor({ takenIds, onCancel, onSaved }: TemplateEditorProps) {
  const draft = useTemplatesView((s) => s.draft);
  const initial = useTemplatesView((s) => s.initialDraft);
  const { updateDraft } = useTemplatesView.getState();
  const save = useAction();
  const [target, setTarget] = useState<Target>('body');
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  /** Where the cursor was in each field when it was last in use. */
  const selections = useRef<Record<Target, [number, number] | null>>({ title: null, body: null });

  const isDirty = draft !== null && initial !== null && isTemplateChanged(draft, initial);
  const submit = async () => {
    if (save.isBusy || !draft) return;
    const answer: { saved?: UpdateTemplateView } = {};
    const isSaved = await save.run(async () => {
      answer.saved = await client().call('comms.saveTemplate', saveTemplateRequest(draft, takenIds));
    });
    if (isSaved && answer.saved) onSaved(answer.saved);
  };
  const { isConfirmingCancel, keepEditing, cancel, onKeyDown } = useEditorKeys({ isDirty, onSubmit: () => void submit(), onCancel });
  if (!draft) return null;

  const problems = fieldProblems(save.error, ['id', 'audience', 'name', 'title', 'body']);
  const nameProblem = problemAt(problems, 'name') ?? problemAt(problems, 'id');
  const titleProblem = problemAt(problems, 'title');
  const bodyProblem = problemAt(problems, 'body');
  const audienceProblem = problemAt(problems, 'audience');

  const remember = (field: Target, element: HTMLInputElement | HTMLTextAreaElement) => {
    selections.current[field] = [element.selectionStart ?? element.value.length, element.selectionEnd ?? element.value.length];
    setTarget(field);
  };

  const insert = (name: string) => {
    const token = `{{${name}}}`;
    const value = draft[target];
    const [start, end] = selections.current[target] ?? [value.length, value.length];
    const next = value.slice(0, start) + token + value.slice(end);
    const cursor = start + token.length;
    selections.current[target] = [cursor, cursor];
    updateDraft((d) => ({ ...d, [target]: next }));
    const element = target === 'title' ? titleRef.current : bodyRef.current;
    requestAnimationFrame(() => {
      if (!element) return;
      element.focus();
      element.setSelectionRange(cursor, cursor);
    });
  };

  return (
    <section className="lib-editor" data-testid="template-editor" aria-label={draft.heading} onKeyDown={onKeyDown}>
      <header className="lib-editor-head">
        <h2 data-testid="template-editor-heading">{draft.heading}</h2>
        <p className="muted small">
          <kbd>Ctrl</kbd> <kbd>S</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
      </header>

      <div className="lib-editor-body cs-template-editor-body">
        <div className="cs-template-form">
          {draft.notice && (
            <div className="banner lib-notice" role="note" data-testid="template-editor-notice">
              {draft.notice}
            </div>
          )}
          <div className="cs-form-row">
            <label className="field cs-grow">
              <span>Name</span>
              <input
                type="text"
                data-testid="template-name-input"
                placeholder="Executive briefing: payments"
                maxLength={200}
                autoComplete="off"
                autoFocus={draft.templateId === null}
                aria-invalid={nameProblem ? true : undefined}
                value={draft.name}
                onChange={(e) => updateDraft((d) => ({ ...d, name: e.target.value }))}
              />
              {nameProblem && <small className="lib-field-problem" data-testid="template-name-problem">{nameProblem}</small>}
            </label>
            <label className="field cs-audience-field">
              <span>Audience</span>
              <select
                data-testid="template-audience-input"
                disabled={draft.isAudienceFixed}
                title={draft.isAudienceFixed ? 'A built-in template keeps its audience: duplicate it to write one for another audience' : undefined}
                aria-invalid={audienceProblem ? true : undefined}
                value={draft.audience}
                onChange={(e) => updateDraft((d) => ({ ...d, audience: e.target.value as Audience }))}
              >
                {audiences.map((a) => (
                  <option key={a} value={a}>
                    {audienceLabels[a]}
                  </option>
                ))}
              </select>
              {audienceProblem && <small className="lib-field-problem">{audienceProblem}</small>}
            </label>
          </div>
          <label className="field">
            <span>Title</span>
            <input
              ref={titleRef}
              type="text"
              className="mono"
              data-testid="template-title-input"
              placeholder="{{incident.severity}}: {{incident.title}}"
              maxLength={maxUpdateTitleChars}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={titleProblem ? true : undefined}
              value={draft.title}
              onFocus={(e) => remember('title', e.currentTarget)}
              onSelect={(e) => remember('title', e.currentTarget)}
              onChange={(e) => {
                remember('title', e.currentTarget);
                updateDraft((d) => ({ ...d, title: e.target.value }));
              }}
            />
            {titleProblem && <small className="lib-field-problem" data-testid="template-title-problem">{titleProblem}</small>}
          </label>
          <label className="field cs-body-field">
            <span>
              Body <span className="cs-label-note">Markdown: **bold**, _italics_, [links](https://…) and “- ” bullets</span>
            </span>
            <textarea
              ref={bodyRef}
              className="mono"
              data-testid="template-body-input"
              rows={16}
              maxLength={maxUpdateBodyChars}
              spellCheck
              aria-invalid={bodyProblem ? true : undefined}
              value={draft.body}
              onFocus={(e) => remember('body', e.currentTarget)}
              onSelect={(e) => remember('body', e.currentTarget)}
              onChange={(e) => {
                remember('body', e.currentTarget);
                updateDraft((d) => ({ ...d, body: e.target.value }));
              }}
            />
            {bodyProblem && <small className="lib-field-problem" data-testid="template-body-problem">{bodyProblem}</small>}
          </label>
        </div>
        <PlaceholderReference audience={draft.audience} target={target} onInsert={insert} />
      </div>

      {save.error && (
        <p className="form-error lib-save-error" role="alert" data-testid="template-save-error">
          {save.error}
        </p>
      )}
      {isConfirmingCancel ? (
        <ConfirmDiscard className="lib-editor-foot" testIdPrefix="template" onKeep={keepEditing} onDiscard={onCancel} />
      ) : (
        <div className="lib-editor-foot">
          <span className="lib-foot-note muted small">
            {draft.templateId === null ? (
              'Saved as a new template in the library, on every replica.'
            ) : (
              <>
                Saved in place of <span className="mono">{draft.templateId}</span>, on every replica.
              </>
            )}
          </span>
          <button type="button" className="button" data-testid="template-cancel" onClick={cancel}>
            Cancel
          </button>
          <button type="button" className="button button-primary" data-testid="template-save" disabled={save.isBusy} onClick={() => void submit()}>
            {save.isBusy ? 'Saving…' : 'Save template'}
          </button>
        </div>
      )}
    </section>
  );
}
