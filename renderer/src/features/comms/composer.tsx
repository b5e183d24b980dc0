// The composer of one draft update: the values an author fills in (headline, impact, status,
// actions, expected recovery), when the next update comes, the title and body with their
// {{placeholders}}, the channels it goes to and who should approve it; saved as typed (autosave, or
// Ctrl+S). Beside it, the update as it would go out with the lint findings marked, then approval
// and publishing.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { format } from 'date-fns';
import type { ChannelView, UpdateDraft } from '@shared/domain/comms-api';
import { audienceLabels, nextUpdateSuggestion, type CadenceStatus, type LintFinding } from '@shared/domain/comms';
import { fromLocalInput, localTime, utcTime } from '../../lib/time';
import { useOpenCommsRoom } from '../war-room/war-room-queries';
import { minutesText } from './cadence';
import { saveDraft } from './comms-actions';
import { hasEdits, useCommsView, withEdits, type DraftEdits } from './comms-view-store';
import { DraftDecision } from './draft-decision';
import { allFindings } from './draft-findings';
import { lintRuleLabels, updateStateLabels, valueFields, valueHints, valueLabels, type ValueField } from './labels';
import { UpdatePreview } from './update-preview';

const autosaveMs = 700;

/** The value of a minute-precision `datetime-local` input for a time. */
const toMinuteInput = (ms: number) => format(ms, "yyyy-MM-dd'T'HH:mm");

const usesPlaceholder = (text: string, name: string) => new RegExp(`\\{\\{\\{?\\s*${name.replace('.', '\\.')}\\s*\\}?\\}\\}`).test(text);

/** The value fields this draft asks for: those its text uses or that hold something. */
function shownFields(draft: UpdateDraft): ValueField[] {
  const text = `${draft.title}\n${draft.body}`;
  const shown = valueFields.filter((name) => usesPlaceholder(text, name) || (draft.values[name] ?? '').trim() !== '');
  return shown.length > 0 ? shown : ['impact', 'status', 'actions'];
}

export function Composer({
  draft: saved,
  cadence,
  channels,
  people,
}: {
  draft: UpdateDraft;
  cadence: CadenceStatus | undefined;
  channels: ChannelView[];
  people: string[];
}) {
  const edits = useCommsView((s) => s.edits[saved.id]);
  const save = useCommsView((s) => s.saves[saved.id]);
  const edit = useCommsView((s) => s.edit);
  const draft = withEdits(saved, edits);
  const isDirty = hasEdits(edits);
  const form = useRef<HTMLDivElement>(null);
  const findings = allFindings(saved);
  const now = Date.now();

  // Autosave a moment after the last keystroke; and on leaving (another draft, the timeline).
  useEffect(() => {
    if (!isDirty) return;
    const timer = setTimeout(() => void saveDraft(saved.id).catch(() => undefined), autosaveMs);
    return () => clearTimeout(timer);
  }, [edits, isDirty, saved.id]);
  useEffect(() => () => void saveDraft(saved.id).catch(() => undefined), [saved.id]);

  const change = (patch: DraftEdits) => edit(saved.id, patch);
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void saveDraft(saved.id).catch(() => undefined);
    }
  };

  /** Takes the author to where a finding's words were written, selected, to fix them. */
  const fix = (finding: LintFinding) => {
    const placeholder = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(finding.excerpt)?.[1];
    const fields = [
      ...shownFields(draft).map((name) => ({ name: `value-${name}`, text: draft.values[name] ?? '' })),
      { name: 'title', text: draft.title },
      { name: 'body', text: draft.body },
    ];
    const target =
      placeholder && (valueFields as readonly string[]).includes(placeholder)
        ? { name: `value-${placeholder}`, at: -1 }
        : placeholder === 'nextUpdate'
          ? { name: 'next-update', at: -1 }
          : (fields.map((f) => ({ name: f.name, at: f.text.indexOf(finding.excerpt) })).find((f) => f.at >= 0) ?? { name: 'body', at: -1 });
    const element = form.current?.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-field="${target.name}"]`);
    if (!element) return;
    element.focus();
    if (target.at >= 0 && element.type !== 'datetime-local') element.setSelectionRange(target.at, target.at + finding.excerpt.length);
  };

  const suggestion = cadence ? nextUpdateSuggestion(cadence, now) : null;
  const audienceChannels = channels.filter((c) => c.audiences.includes(draft.audience));
  const statusText = save?.isSaving ? 'Saving…' : isDirty ? 'Unsaved changes' : save?.savedAt ? `Saved ${format(save.savedAt, 'HH:mm:ss')}` : 'Saved';

  return (
    <div className="composer" data-testid="composer" data-update={saved.id} data-state={saved.state} onKeyDown={onKeyDown}>
      <div className="composer-head">
        <span className={`state-badge update-state update-state-${saved.state}`} data-testid="draft-state">
          {updateStateLabels[saved.state]}
        </span>
        <span className="muted small">
          {audienceLabels[saved.audience]} update by <strong>{saved.author}</strong>, started {localTime(saved.createdAt)}
        </span>
        <span className={`save-status small${save?.error ? ' is-error' : isDirty ? ' is-dirty' : ''}`} data-testid="save-status" role="status">
          {statusText}
        </span>
        <button
          type="button"
          className="button button-small"
          data-testid="draft-save"
          disabled={!isDirty || save?.isSaving}
          onClick={() => void saveDraft(saved.id).catch(() => undefined)}
          title="Save now (Ctrl+S); drafts also save as you type"
        >
          Save
        </button>
      </div>
      {save?.error && (
        <p className="form-error" role="alert" data-testid="save-error">
          Not saved: {save.error}
        </p>
      )}
      <div className="composer-grid">
        <div className="composer-form" ref={form}>
          <fieldset className="composer-fieldset">
            <legend>What to say</legend>
            {shownFields(draft).map((name) => (
              <label key={name} className="field composer-field">
                <span>
                  {valueLabels[name]} <code className="placeholder-name">{`{{${name}}}`}</code>
                </span>
                {name === 'headline' ? (
                  <input
                    data-field={`value-${name}`}
                    data-testid={`value-${name}`}
                    value={draft.values[name] ?? ''}
                    placeholder={valueHints[name]}
                    onChange={(e) => change({ values: { [name]: e.target.value } })}
                  />
                ) : (
                  <textarea
                    rows={2}
                    data-field={`value-${name}`}
                    data-testid={`value-${name}`}
                    value={draft.values[name] ?? ''}
                    placeholder={valueHints[name]}
                    onChange={(e) => change({ values: { [name]: e.target.value } })}
                  />
                )}
              </label>
            ))}
            <div className="field composer-field">
              <label htmlFor={`next-update-${saved.id}`}>
                <span className="composer-label">
                  Next update at <code className="placeholder-name">{'{{nextUpdate}}'}</code>
                </span>
              </label>
              <div className="next-update-row">
                <input
                  id={`next-update-${saved.id}`}
                  type="datetime-local"
                  step={60}
                  data-field="next-update"
                  data-testid="next-update"
                  value={draft.nextUpdateAt === null ? '' : toMinuteInput(draft.nextUpdateAt)}
                  onChange={(e) => change({ nextUpdateAt: fromLocalInput(e.target.value) })}
                />
                {suggestion !== null && suggestion !== draft.nextUpdateAt && (
                  <button
                    type="button"
                    className="button button-small"
                    data-testid="next-update-suggest"
                    onClick={() => change({ nextUpdateAt: suggestion })}
                    title={`One ${cadence?.intervalMin}-minute interval from now`}
                  >
                    {format(suggestion, 'HH:mm')}
                  </button>
                )}
                {draft.nextUpdateAt !== null && (
                  <button type="button" className="link-button small" data-testid="next-update-clear" onClick={() => change({ nextUpdateAt: null })}>
                    clear
                  </button>
                )}
              </div>
              <span className="muted small" data-testid="next-update-utc">
                {draft.nextUpdateAt === null
                  ? 'Not set: readers are told when the next update comes.'
                  : `${utcTime(draft.nextUpdateAt)}${draft.nextUpdateAt > now ? ` · in ${minutesText(Math.ceil((draft.nextUpdateAt - now) / 60_000))}` : ' · in the past'}`}
              </span>
            </div>
          </fieldset>
          <fieldset className="composer-fieldset">
            <legend>Text</legend>
            <label className="field composer-field">
              <span>Title</span>
              <input data-field="title" data-testid="draft-title" value={draft.title} onChange={(e) => change({ title: e.target.value })} />
            </label>
            <label className="field composer-field">
              <span>Body (Markdown; the {'{{placeholders}}'} are filled from the values above)</span>
              <textarea
                className="mono composer-body"
                rows={9}
                data-field="body"
                data-testid="draft-body"
                value={draft.body}
                onChange={(e) => change({ body: e.target.value })}
              />
            </label>
          </fieldset>
          <fieldset className="composer-fieldset" data-testid="draft-channels">
            <legend>Send to</legend>
            {audienceChannels.length === 0 ? (
              <p className="muted small">
                No delivery channel is set up for {audienceLabels[draft.audience].toLowerCase()}. Publishing records the update on the timeline; copy it out from the
                history.
              </p>
            ) : (
              <div className="channel-checks">
                {audienceChannels.map((channel) => (
                  <label key={channel.id} className="field-check channel-check" data-testid="channel-check" data-channel={channel.id}>
                    <input
                      type="checkbox"
                      disabled={!channel.isEnabled}
                      checked={draft.channelIds.includes(channel.id)}
                      onChange={(e) => change({ channelIds: e.target.checked ? [...draft.channelIds, channel.id] : draft.channelIds.filter((id) => id !== channel.id) })}
                    />
                    <span>{channel.name}</span>
                    <span className="muted small">
                      {channel.kind}
                      {!channel.isEnabled && ' · switched off'}
                    </span>
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          {saved.needsApproval && (
            <label className="field composer-field">
              <span>Approver (optional: anyone who may approve can)</span>
              <input
                data-testid="draft-approver"
                list={`approvers-${saved.id}`}
                value={draft.approver ?? ''}
                placeholder="incident commander, deputy or a named approver"
                onChange={(e) => change({ approver: e.target.value.trim() === '' ? null : e.target.value.trim() })}
              />
              <datalist id={`approvers-${saved.id}`}>
                {people
                  .filter((p) => p !== saved.author)
                  .map((p) => (
                    <option key={p} value={p} />
                  ))}
              </datalist>
            </label>
          )}
        </div>
        <div className="composer-side">
          <section className={`composer-preview${isDirty || save?.isSaving ? ' is-stale' : ''}`} aria-label="Preview">
            <h3 className="composer-subhead">As it goes out {isDirty && <span className="muted small">· updates when saved</span>}</h3>
            <UpdatePreview title={saved.rendered.title} body={saved.rendered.body} findings={findings} />
          </section>
          <Findings findings={findings} onFix={fix} />
          <DraftDecision draft={saved} approver={draft.approver} findings={findings} isDirty={isDirty} />
        </div>
      </div>
    </div>
  );
}

function Findings({ findings, onFix }: { findings: LintFinding[]; onFix: (finding: LintFinding) => void }) {
  const [flashed, setFlashed] = useState<number | null>(null);
  const show = (index: number) => {
    const mark = document.querySelector<HTMLElement>(`.update-preview [data-finding="${index}"]`);
    mark?.scrollIntoView({ block: 'nearest' });
    setFlashed(index);
  };
  useEffect(() => {
    document.querySelectorAll('.update-preview .is-flashed').forEach((m) => m.classList.remove('is-flashed'));
    if (flashed === null) return;
    document.querySelectorAll(`.update-preview [data-finding="${flashed}"]`).forEach((m) => m.classList.add('is-flashed'));
    const timer = setTimeout(() => setFlashed(null), 1600);
    return () => clearTimeout(timer);
  }, [flashed]);

  return (
    <section className="findings" aria-label="What the update should not say" data-testid="findings" data-count={findings.length}>
      <h3 className="composer-subhead">
        {findings.length === 0 ? (
          <span className="findings-clear">✓ Nothing to fix: no guesses, blame, names, internal hosts or jargon found</span>
        ) : (
          <>
            {findings.length} thing{findings.length === 1 ? '' : 's'} to check before publishing
          </>
        )}
      </h3>
      {findings.length > 0 && (
        <ul className="finding-list">
          {findings.map((finding, index) => (
            <li key={`${finding.start}-${finding.rule}`} className={`finding lint-${finding.rule}`} data-testid="finding" data-rule={finding.rule}>
              <div className="finding-head">
                <span className="state-badge finding-rule">{lintRuleLabels[finding.rule]}</span>
                <button
                  type="button"
                  className="link-button finding-excerpt mono"
                  onMouseEnter={() => show(index)}
                  onFocus={() => show(index)}
                  onClick={() => show(index)}
                  data-testid="finding-excerpt"
                >
                  {finding.excerpt}
                </button>
                <button type="button" className="button button-small finding-fix" data-testid="finding-fix" onClick={() => onFix(finding)}>
                  Fix
                </button>
              </div>
              <p className="finding-message small" data-testid="finding-message">
                {finding.message}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The composer's audience clock, as the current cadence for this draft's audience. */
export function useAudienceCadence(audience: UpdateDraft['audience']): CadenceStatus | undefined {
  return useOpenCommsRoom().value?.cadence.find((c) => c.audience === audience);
}
