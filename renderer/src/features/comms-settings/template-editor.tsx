// The update template editor: name, audience, title and body (Markdown: bold, italics, links and
// `- ` bullets) with `{{placeholders}}`, and the placeholder reference beside it. Saving sends the
// form to the engine as it is: what the engine refuses comes back as its message, shown beside the
// field it names and below the form.
import { useRef, useState, type ChangeEvent, type FocusEvent, type SyntheticEvent } from 'react';
import { audienceLabels, audiences, maxUpdateBodyChars, maxUpdateTitleChars, type Audience } from '@shared/domain/comms';
import type { UpdateTemplateView } from '@shared/domain/comms-api';
import { client } from '../../store/client-ref';
import { LibraryEditor, NameField } from '../library-shared/library-editor';
import { EditorNotice, useEditorSave } from '../shell/editor-save';
import { fieldProblems, problemAt } from './field-problems';
import { PlaceholderReference } from './placeholder-reference';
import { isTemplateChanged, saveTemplateRequest, type TemplateDraft } from './template-draft';
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
  const [target, setTarget] = useState<Target>('body');
  const titleRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  /** Where the cursor was in each field when it was last in use. */
  const selections = useRef<Record<Target, [number, number] | null>>({ title: null, body: null });

  const editor = useEditorSave({
    isDirty: draft !== null && initial !== null && isTemplateChanged(draft, initial),
    canSave: draft !== null,
    request: () => client().call('comms.saveTemplate', saveTemplateRequest(draft as TemplateDraft, takenIds)),
    onSaved,
    onCancel,
  });
  if (!draft) return null;

  const problems = fieldProblems(editor.save.error, ['id', 'audience', 'name', 'title', 'body']);
  const nameProblem = problemAt(problems, 'name') ?? problemAt(problems, 'id');
  const titleProblem = problemAt(problems, 'title');
  const bodyProblem = problemAt(problems, 'body');
  const audienceProblem = problemAt(problems, 'audience');

  const remember = (field: Target, element: HTMLInputElement | HTMLTextAreaElement) => {
    selections.current[field] = [element.selectionStart ?? element.value.length, element.selectionEnd ?? element.value.length];
    setTarget(field);
  };
  /** A field placeholders go into: its value, and where its cursor was when last in use. */
  const placeholderTarget = (field: Target) => ({
    value: draft[field],
    onFocus: (e: FocusEvent<HTMLInputElement | HTMLTextAreaElement>) => remember(field, e.currentTarget),
    onSelect: (e: SyntheticEvent<HTMLInputElement | HTMLTextAreaElement>) => remember(field, e.currentTarget),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      remember(field, e.currentTarget);
      const value = e.target.value;
      updateDraft((d) => ({ ...d, [field]: value }));
    },
  });

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
    <LibraryEditor kind="template" heading={draft.heading} replacesId={draft.templateId} editor={editor} bodyClassName="cs-template-editor-body">
      <div className="cs-template-form">
        <EditorNotice notice={draft.notice} className="lib-notice" testId="template-editor-notice" />
        <div className="cs-form-row">
          <NameField
            kind="template"
            className="cs-grow"
            placeholder="Executive briefing: payments"
            isNew={draft.templateId === null}
            problem={nameProblem}
            value={draft.name}
            onChange={(name) => updateDraft((d) => ({ ...d, name }))}
          />
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
            {...placeholderTarget('title')}
          />
          {titleProblem && (
            <small className="lib-field-problem" data-testid="template-title-problem">
              {titleProblem}
            </small>
          )}
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
            {...placeholderTarget('body')}
          />
          {bodyProblem && (
            <small className="lib-field-problem" data-testid="template-body-problem">
              {bodyProblem}
            </small>
          )}
        </label>
      </div>
      <PlaceholderReference audience={draft.audience} target={target} onInsert={insert} />
    </LibraryEditor>
  );
}
