// Action items as a table (one incident's in its review, or everyone's across incidents) with the
// status changed in place, overdue items flagged; and the form that adds one to an incident.
import { useState, type FormEvent } from 'react';
import {
  actionPriorities,
  actionStatuses,
  actionTypeLabels,
  actionTypes,
  type ActionItem,
  type ActionPriority,
  type ActionStatus,
  type ActionType,
} from '@shared/domain/review';
import { utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { FileInTracker } from '../integrations/file-in-tracker';
import { DataTable } from '../shell/data-table';
import { actionStatusLabels, dayText, fromDateInput } from './labels';

export function ActionItemsTable({ items, showIncident, onChanged }: { items: ActionItem[]; showIncident: boolean; onChanged: () => void }) {
  const { error, run } = useAction();
  const openIncident = useStore((s) => s.openIncident);
  const setStatus = (item: ActionItem, status: ActionStatus) =>
    void run(async () => {
      await client().call('actions.update', { id: item.id, status });
      onChanged();
    });

  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid="action-update-error">
          {error}
        </p>
      )}
      <DataTable className="action-table" testId="action-table" columns={[showIncident && 'Incident', 'Action', 'Owner', 'Due', 'Priority', 'Status']}>
        {items.map((item) => (
          <tr key={item.id} className={item.isOverdue ? 'is-overdue' : undefined} data-testid="action-row" data-overdue={item.isOverdue} data-status={item.status}>
            {showIncident && (
              <td>
                <button type="button" className="link-button action-incident" data-testid="action-incident" onClick={() => openIncident(item.incidentId, 'review')}>
                  {item.incidentTitle}
                </button>
              </td>
            )}
            <td>
              <div className="action-title" data-testid="action-title">
                {item.title}
              </div>
              <div className="muted small">
                {actionTypeLabels[item.type]}
                {item.note && ` · ${item.note}`}
              </div>
              <FileInTracker incidentId={item.incidentId} actionItemId={item.id} />
            </td>
            <td data-testid="action-owner">{item.ownerId ?? <span className="muted">nobody yet</span>}</td>
            <td data-testid="action-due">
              {item.dueAt === null ? <span className="muted">—</span> : <span title={utcTime(item.dueAt)}>{dayText(item.dueAt)}</span>}
              {item.isOverdue && (
                <span className="state-badge overdue-badge" data-testid="action-overdue">
                  Overdue
                </span>
              )}
            </td>
            <td>
              <span className={`priority priority-${item.priority.toLowerCase()}`}>{item.priority}</span>
            </td>
            <td>
              <select
                className="compact-control"
                aria-label={`Status of "${item.title}"`}
                data-testid="action-status"
                value={item.status}
                onChange={(e) => setStatus(item, e.target.value as ActionStatus)}
              >
                {actionStatuses.map((status) => (
                  <option key={status} value={status}>
                    {actionStatusLabels[status]}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** Adds an action item to an incident: what, who, by when, how urgent, and what it improves. */
export function AddActionForm({ incidentId, people, onAdded }: { incidentId: string; people: string[]; onAdded: () => void }) {
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [priority, setPriority] = useState<ActionPriority>('P2');
  const [type, setType] = useState<ActionType>('prevent');
  const { error, isBusy, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const dueAt = due ? fromDateInput(due) : null;
      if (due && dueAt === null) throw new Error('Due: give a complete date, or leave it empty.');
      await client().call('actions.add', { incidentId, title, ownerId: owner.trim() || null, dueAt, priority, type });
      setTitle('');
      setOwner('');
      setDue('');
      onAdded();
    });
  };

  return (
    <form className="action-add" onSubmit={submit} data-testid="action-add" noValidate>
      <label className="field action-add-title">
        <span>New action item</span>
        <input data-testid="action-add-title" placeholder="Alert on replica lag above 30 s" value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="field">
        <span>Owner</span>
        <input data-testid="action-add-owner" list="action-owners" autoComplete="off" placeholder="user name" value={owner} onChange={(e) => setOwner(e.target.value)} />
        <datalist id="action-owners">
          {people.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Due</span>
        <input type="date" data-testid="action-add-due" value={due} onChange={(e) => setDue(e.target.value)} />
      </label>
      <label className="field">
        <span>Priority</span>
        <select data-testid="action-add-priority" value={priority} onChange={(e) => setPriority(e.target.value as ActionPriority)}>
          {actionPriorities.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Type</span>
        <select data-testid="action-add-type" value={type} onChange={(e) => setType(e.target.value as ActionType)}>
          {actionTypes.map((t) => (
            <option key={t} value={t}>
              {actionTypeLabels[t]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button-primary" data-testid="action-add-submit" disabled={isBusy}>
        Add
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="action-add-error">
          {error}
        </p>
      )}
    </form>
  );
}
