// The checklist editor: a name, the incident types it is offered first for (the known ones as
// boxes to tick, others typed), and its items as rows to fill in, move and remove. A new row's key
// follows what it collects until typed by hand; its volatility follows its type until changed.
// Saving sends the form to the engine as it is: what the engine refuses comes back as its message,
// shown below the form and beside the field it names.
import { useState, type ReactNode } from 'react';
import { artifactTypes, volatilityOf, type ArtifactType, type ChecklistTemplate } from '@shared/domain/evidence';
import { incidentTypes } from '@shared/domain/incident';
import { client } from '../../store/client-ref';
import { LibraryEditor, NameField } from '../library-shared/library-editor';
import { EditorNotice, useEditorSave } from '../shell/editor-save';
import {
  blankItem,
  fieldProblems,
  isChanged,
  saveRequest,
  sortedByVolatility,
  withDerivedKeys,
  withType,
  type ChecklistDraft,
  type FieldProblem,
  type ItemDraft,
} from './checklist-draft';
import { plural } from './checklist-meta';
import { useChecklistsView } from './library-view-store';

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
  // The form lives in the section's store, so it survives a switch to another view and back.
  const draft = useChecklistsView((s) => s.draft);
  const initial = useChecklistsView((s) => s.initialDraft);
  const { updateDraft } = useChecklistsView.getState();
  const [addedRowId, setAddedRowId] = useState<string | null>(null);
  const editor = useEditorSave({
    isDirty: draft !== null && initial !== null && isChanged(draft, initial),
    canSave: draft !== null,
    request: () => client().call('evidence.saveTemplate', saveRequest(draft as ChecklistDraft, takenIds)),
    onSaved,
    onCancel,
  });
  if (!draft) return null;

  const { save } = editor;
  const problems = fieldProblems(save.error);

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

  const nameProblem = problemOf(problems, null, 'name') ?? problemOf(problems, null, 'id');
  const typesProblem = problemOf(problems, null, 'incidentTypes');
  const itemsProblem = problemOf(problems, null, 'items');
  const required = draft.items.filter((i) => i.isRequired).length;

  return (
    <LibraryEditor kind="checklist" heading={draft.heading} replacesId={draft.templateId} editor={editor}>
      <EditorNotice notice={draft.notice} className="lib-notice" testId="checklist-editor-notice" />
      <div className="lib-editor-meta">
        <NameField
          kind="checklist"
          className="lib-name-field"
          placeholder="Kubernetes node failure"
          isNew={draft.templateId === null}
          problem={nameProblem}
          value={draft.name}
          onChange={(name) => updateDraft((d) => ({ ...d, name }))}
        />
        <fieldset className="field lib-types-field">
          <legend>Offered first for incidents of type</legend>
          <div className="lib-type-boxes">
            {incidentTypes.map((type) => (
              <label key={type} className="field-check lib-type-box">
                <input
                  type="checkbox"
                  data-testid={`checklist-type-${type}`}
                  checked={draft.types.includes(type)}
                  onChange={(e) => updateDraft((d) => ({ ...d, types: e.target.checked ? [...d.types, type] : d.types.filter((t) => t !== type) }))}
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
          Items{' '}
          <span className="muted small">
            {plural(draft.items.length, 'item')}, {required} required
          </span>
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
    </LibraryEditor>
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
      <TextCell
        field="asset"
        label="Asset"
        placeholder="affected node"
        maxLength={200}
        invalid={invalid('asset')}
        value={item.asset}
        onChange={(asset) => onChange((i) => ({ ...i, asset }))}
      />
      <TextCell
        field="what"
        label="What to collect"
        placeholder="Full memory image"
        maxLength={500}
        invalid={invalid('what')}
        value={item.what}
        onChange={(what) => onChange((i) => ({ ...i, what }))}
      />
      <div className="lib-row-tools">
        <button
          type="button"
          className="icon-button"
          data-testid="item-up"
          aria-label={`Move item ${number} up`}
          title="Move up"
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
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
        <button
          type="button"
          className="icon-button lib-row-remove"
          data-testid="item-remove"
          aria-label={`Remove item ${number}`}
          title="Remove this item"
          onClick={onRemove}
        >
          ✕
        </button>
      </div>
      <TextCell
        field="key"
        label={<>Key{item.isKeyAuto && <span className="lib-auto"> · from what</span>}</>}
        isMono
        placeholder="memory-image"
        maxLength={80}
        invalid={invalid('key')}
        value={item.key}
        onChange={(key) => onChange((i) => ({ ...i, key, isKeyAuto: false }))}
      />
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

interface TextCellProps {
  /** The item's field: names the cell's place in the row and its input (item-asset-input). */
  field: 'asset' | 'what' | 'key';
  label: ReactNode;
  /** An identifier rather than prose: mono, no spelling marks. */
  isMono?: boolean;
  placeholder: string;
  maxLength: number;
  invalid: true | undefined;
  value: string;
  onChange: (value: string) => void;
}

function TextCell({ field, label, isMono = false, placeholder, maxLength, invalid, value, onChange }: TextCellProps) {
  return (
    <label className={`lib-cell lib-cell-${field}`}>
      <span>{label}</span>
      <input
        type="text"
        className={isMono ? 'mono' : undefined}
        data-testid={`item-${field}-input`}
        placeholder={placeholder}
        maxLength={maxLength}
        autoComplete="off"
        spellCheck={isMono ? false : undefined}
        aria-invalid={invalid}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
