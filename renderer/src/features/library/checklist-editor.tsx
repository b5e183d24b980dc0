// The checklist editor: a name, the incident types it is offered first for (the known ones as
// boxes to tick, others typed), and its items as rows to fill in, move and remove. A new row's key
// follows what it collects until typed by hand; its volatility follows its type until changed.
// Saving sends the form to the engine as it is: what the engine refuses comes back as its message,
// shown below the form and beside the field it names.
import { useState } from 'react';
import { artifactTypes, volatilityOf, type ArtifactType, type ChecklistTemplate } from '../../../../shared/domain/evidence';
import { incidentTypes } from '../../../../shared/domain/incident';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import {
  blankItem,
  fieldProblems,
  isChanged,
  saveRequest,
  sortedByVolatility,
  withDerivedKeys,
  withType,
  type FieldProblem,
  type ItemDraft,
} from './checklist-draft';
import { ConfirmDiscard, useEditorKeys } from '../shell/confirm-discard';
import { plural } from './checklist-meta';
import { useLibraryView } from './library-view-store';

interface ChecklistEditorProps {
  /** Ids in the library, so a new checklist is never saved over another one. */
  takenIds: ReadonlySet<string>;
  onCancel: () => void;
  onSaved: (template: ChecklistTemplate) => void;
}

/** Each volatility with the types it is the default of: 1 memory · 2 process, network · … */
const volatilityScale = [...new Set(Object.values(volatilityOf))]
  .sort((a, b) => a - b)
  .map((volatility) => ({ volatility, types: artifactTypes.filter((t) => volatilityOf[t] === volatility) }));

const problemOf = (problems: FieldProblem[], row: number | null, field: string) => problems.find((p) => p.row === row && p.field === field)?.message;

export function ChecklistEditor({ takenIds, onCancel, onSaved }: ChecklistEditorProps) {
  // The form lives in the page's store, so it survives a switch to another view and back.
  const draft = useLibraryView((s) => s.draft);
  const initial = useLibraryView((s) => s.initialDraft);
  const { updateDraft } = useLibraryView.getState();
  const save = useAction();
  const [addedRowId, setAddedRowId] = useState<string | null>(null);
  if (!draft) return null;

  const problems = fieldProblems(save.error);
  const isDirty = initial !== null && isChanged(draft, initial);

  const setItems = (change: (items: ItemDraft[]) => ItemDraft[]) => updateDraft((d) => ({ ...d, items: withDerivedKeys(change(d.items)) }));
  const setItem = (rowId: string, change: (item: ItemDraft) => ItemDraft) => setItems((items) => items.map((i) => (i.rowId === rowId ? change(i) : i)));
  /** Rows moved, added or removed: the row numbers an engine error named no longer hold. */
  const reshape = (change: (items: ItemDraft[]) => ItemDraft[]) => {
    save.clearError();
    setItems(change);
  };
  const move = (index: number, by: number) =>
    reshape((items) => {
      const next = [...items];
      const [row] = next.splice(index, 1);
      next.splice(index + by, 0, row);
      return next;
    });

  const submit = async () => {
    if (save.isBusy) return;
    const answer: { saved?: ChecklistTemplate } = {};
    const isSaved = await save.run(async () => {
      answer.saved = await client().call('evidence.saveTemplate', saveRequest(draft, takenIds));
    });
    if (isSaved && answer.saved) onSaved(answer.saved);
  };
  const { isConfirmingCancel, keepEditing, cancel, onKeyDown } = useEditorKeys({ isDirty, onSubmit: () => void submit(), onCancel });

  const nameProblem = problemOf(problems, null, 'name') ?? problemOf(problems, null, 'id');
  const typesProblem = problemOf(problems, null, 'incidentTypes');
  const itemsProblem = problemOf(problems, null, 'items');
  const required = draft.items.filter((i) => i.isRequired).length;

  return (
    <section className="lib-editor" data-testid="checklist-editor" aria-label={draft.heading} onKeyDown={onKeyDown}>
      <header className="lib-editor-head">
        <h2 data-testid="checklist-editor-heading">{draft.heading}</h2>
        <p className="muted small">
          <kbd>Ctrl</kbd> <kbd>S</kbd> saves, <kbd>Esc</kbd> cancels.
        </p>
      </header>

      <div className="lib-editor-body">
        {draft.notice && (
          <div className="banner lib-notice" role="note" data-testid="checklist-editor-notice">
            {draft.notice}
          </div>
        )}
        <div className="lib-editor-meta">
          <label className="field lib-name-field">
            <span>Name</span>
            <input
              type="text"
              data-testid="checklist-name-input"
              placeholder="Kubernetes node failure"
              maxLength={200}
              autoComplete="off"
              autoFocus={draft.templateId === null}
              aria-invalid={nameProblem ? true : undefined}
              value={draft.name}
              onChange={(e) => updateDraft((d) => ({ ...d, name: e.target.value }))}
            />
            {nameProblem && <small className="lib-field-problem">{nameProblem}</small>}
          </label>
          <fieldset className="field lib-types-field">
            <legend>Offered first for incidents of type</legend>
            <div className="lib-type-boxes">
              {incidentTypes.map((type) => (
                <label key={type} className="field-check lib-type-box">
                  <input
                    type="checkbox"
                    data-testid={`checklist-type-${type}`}
                    checked={draft.types.includes(type)}
                    onChange={(e) =>
                      updateDraft((d) => ({ ...d, types: e.target.checked ? [...d.types, type] : d.types.filter((t) => t !== type) }))
                    }
                  />
                  {type}
                </label>
              ))}
              <label className="lib-other-types-label">
                <span>More types</span>
                <input
                  type="text"
                  className="lib-other-types"
                  data-testid="checklist-other-types"
                  placeholder="kubernetes, payments (comma-separated)"
                  maxLength={400}
                  autoComplete="off"
                  aria-invalid={typesProblem ? true : undefined}
                  value={draft.otherTypes}
                  onChange={(e) => updateDraft((d) => ({ ...d, otherTypes: e.target.value }))}
                />
              </label>
            </div>
            {typesProblem ? (
              <small className="lib-field-problem">{typesProblem}</small>
            ) : (
              draft.types.length === 0 && draft.otherTypes.trim() === '' && <small className="muted small">None given: offered for every incident.</small>
            )}
          </fieldset>
        </div>

        <div className="lib-items-head">
          <h3>
            Items <span className="muted small">{plural(draft.items.length, 'item')}, {required} required</span>
          </h3>
          <button
            type="button"
            className="button button-small"
            data-testid="sort-items"
            title="Put the rows in the order they will be collected: most volatile first"
            onClick={() => reshape(sortedByVolatility)}
          >
            Sort by volatility
          </button>
        </div>
        <p className="lib-volatility-hint muted small" data-testid="volatility-hint">
          Collected most volatile first (RFC 3227). Defaults by type:{' '}
          {volatilityScale.map(({ volatility, types }, index) => (
            <span key={volatility}>
              {index > 0 && ' · '}
              <strong>{volatility}</strong> {types.join(', ')}
            </span>
          ))}
        </p>
        {itemsProblem && (
          <p className="lib-field-problem" data-testid="items-problem">
            {itemsProblem}
          </p>
        )}
        <ol className="lib-edit-rows" data-testid="item-rows">
          {draft.items.map((item, index) => (
            <ItemRow
              key={item.rowId}
              item={item}
              index={index}
              count={draft.items.length}
              problems={problems.filter((p) => p.row === index)}
              isFocused={item.rowId === addedRowId}
              onChange={(change) => setItem(item.rowId, change)}
              onMove={(by) => move(index, by)}
              onRemove={() => reshape((items) => items.filter((i) => i.rowId !== item.rowId))}
            />
          ))}
        </ol>
        <button
          type="button"
          className="button lib-add-row"
          data-testid="add-item"
          onClick={() => {
            const row = blankItem();
            setAddedRowId(row.rowId);
            reshape((items) => [...items, row]);
          }}
        >
          Add item
        </button>
      </div>

      {save.error && (
        <p className="form-error lib-save-error" role="alert" data-testid="checklist-save-error">
          {save.error}
        </p>
      )}
      {isConfirmingCancel ? (
        <ConfirmDiscard className="lib-editor-foot" testIdPrefix="checklist" onKeep={keepEditing} onDiscard={onCancel} />
      ) : (
        <div className="lib-editor-foot">
          <span className="lib-foot-note muted small">
            {draft.templateId === null ? 'Saved as a new checklist in the library, on every replica.' : <>Saved in place of <span className="mono">{draft.templateId}</span>, on every replica.</>}
          </span>
          <button type="button" className="button" data-testid="checklist-cancel" onClick={cancel}>
            Cancel
          </button>
          <button type="button" className="button button-primary" data-testid="checklist-save" disabled={save.isBusy} onClick={() => void submit()}>
            {save.isBusy ? 'Saving…' : 'Save checklist'}
          </button>
        </div>
      )}
    </section>
  );
}

interface ItemRowProps {
  item: ItemDraft;
  index: number;
  count: number;
  /** What the engine said about this row's fields at the last save. */
  problems: FieldProblem[];
  isFocused: boolean;
  onChange: (change: (item: ItemDraft) => ItemDraft) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}

function ItemRow({ item, index, count, problems, isFocused, onChange, onMove, onRemove }: ItemRowProps) {
  const problem = (field: string) => problems.find((p) => p.field === field)?.message;
  const invalid = (field: string) => (problem(field) ? true : undefined);
  const number = index + 1;

  return (
    <li className={problems.length > 0 ? 'lib-edit-row has-problem' : 'lib-edit-row'} data-testid="item-row" aria-label={`Item ${number}`}>
      <span className="lib-row-number" aria-hidden="true">
        {number}
      </span>
      <label className="lib-cell lib-cell-type">
        <span>Type</span>
        <select
          data-testid="item-type-input"
          autoFocus={isFocused}
          aria-invalid={invalid('artifactType')}
          value={item.artifactType}
          onChange={(e) => onChange((i) => withType(i, e.target.value as ArtifactType))}
        >
          {artifactTypes.map((type) => (
            <option key={type} value={type}>
              {type} ({volatilityOf[type]})
            </option>
          ))}
        </select>
      </label>
      <label className="lib-cell lib-cell-volatility">
        <span>Volatility</span>
        <input
          type="number"
          min={1}
          max={9}
          step={1}
          data-testid="item-volatility-input"
          title={`1 = most volatile; ${item.artifactType} is ${volatilityOf[item.artifactType]} unless said otherwise`}
          placeholder={String(volatilityOf[item.artifactType])}
          aria-invalid={invalid('volatility')}
          value={item.volatility}
          onChange={(e) => onChange((i) => ({ ...i, volatility: e.target.value }))}
        />
      </label>
      <label className="lib-cell lib-cell-asset">
        <span>Asset</span>
        <input
          type="text"
          data-testid="item-asset-input"
          placeholder="affected node"
          maxLength={200}
          autoComplete="off"
          aria-invalid={invalid('asset')}
          value={item.asset}
          onChange={(e) => onChange((i) => ({ ...i, asset: e.target.value }))}
        />
      </label>
      <label className="lib-cell lib-cell-what">
        <span>What to collect</span>
        <input
          type="text"
          data-testid="item-what-input"
          placeholder="Full memory image"
          maxLength={500}
          autoComplete="off"
          aria-invalid={invalid('what')}
          value={item.what}
          onChange={(e) => onChange((i) => ({ ...i, what: e.target.value }))}
        />
      </label>
      <div className="lib-row-tools">
        <button type="button" className="icon-button" data-testid="item-up" aria-label={`Move item ${number} up`} title="Move up" disabled={index === 0} onClick={() => onMove(-1)}>
          ↑
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="item-down"
          aria-label={`Move item ${number} down`}
          title="Move down"
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button type="button" className="icon-button lib-row-remove" data-testid="item-remove" aria-label={`Remove item ${number}`} title="Remove this item" onClick={onRemove}>
          ✕
        </button>
      </div>
      <label className="lib-cell lib-cell-key">
        <span>
          Key{item.isKeyAuto && <span className="lib-auto"> · from what</span>}
        </span>
        <input
          type="text"
          className="mono"
          data-testid="item-key-input"
          placeholder="memory-image"
          maxLength={80}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid('key')}
          value={item.key}
          onChange={(e) => onChange((i) => ({ ...i, key: e.target.value, isKeyAuto: false }))}
        />
      </label>
      <label className="lib-cell lib-cell-how">
        <span>How (tool, command)</span>
        <textarea
          rows={Math.min(6, item.how.split('\n').length + (item.how.length > 90 ? 1 : 0))}
          data-testid="item-how-input"
          placeholder="`avml /mnt/evidence/node.lime` to external storage"
          maxLength={2000}
          aria-invalid={invalid('how')}
          value={item.how}
          onChange={(e) => onChange((i) => ({ ...i, how: e.target.value }))}
        />
      </label>
      <label className="field-check lib-cell-required">
        <input type="checkbox" data-testid="item-required-input" checked={item.isRequired} onChange={(e) => onChange((i) => ({ ...i, isRequired: e.target.checked }))} />
        Required
      </label>
      {problems.length > 0 && (
        <ul className="lib-row-problems" data-testid="item-problems">
          {problems.map((p) => (
            <li key={p.field}>
              <span className="mono">{p.field}</span>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
