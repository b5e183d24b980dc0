// The incident's tasks: who does what by when, overdue ones flagged, one click to start or finish.
import type { Task, TaskStatus } from '@shared/domain/tasks';
import { localWhen, utcTime, utcWhen } from '../../lib/time';
import { client } from '../../store/client-ref';
import { useStore } from '../../store';
import type { Action } from './actions';
import { rereadRoom } from './war-room-queries';

const nextStatus: Partial<Record<TaskStatus, TaskStatus>> = { open: 'doing', doing: 'done' };

export function TasksPanel({ tasks, actions, now }: { tasks: Task[]; actions: Action[]; now: number }) {
  const open = tasks.filter((t) => t.status === 'open' || t.status === 'doing');
  const finished = tasks.length - open.length;
  const update = (task: Task, status: TaskStatus) =>
    void client()
      .call('tasks.update', { id: task.id, status })
      .then(() => rereadRoom(task.incidentId))
      .catch(useStore.getState().showRoomError);

  return (
    <section className="panel side-panel" aria-labelledby="tasks-heading" data-testid="tasks-panel">
      <h2 id="tasks-heading">
        Tasks{' '}
        <span className="muted small">
          {open.length} open{finished > 0 ? ` · ${finished} finished` : ''}
        </span>
      </h2>
      <ul className="tasks">
        {open.map((task) => {
          const isOverdue = task.dueAt !== null && task.dueAt < now;
          const next = nextStatus[task.status];
          return (
            <li key={task.id} className={`task task-${task.status}${isOverdue ? ' is-overdue' : ''}`} data-testid="task">
              <div className="task-title">{task.title}</div>
              <div className="muted small">
                {task.ownerId ?? 'no owner'}
                {task.dueAt !== null && (
                  <span title={utcTime(task.dueAt)}>
                    {' '}
                    · due {localWhen(task.dueAt)} ({utcWhen(task.dueAt)}){isOverdue && <strong className="overdue"> overdue</strong>}
                  </span>
                )}
                {' · '}
                {task.status}
              </div>
              {actions.some((a) => a.id === `task-edit:${task.id}`) && (
                <div className="task-actions">
                  {next && (
                    <button
                      type="button"
                      className="button button-small"
                      data-testid={`task-${next}`}
                      aria-label={`${next === 'doing' ? 'Start' : 'Done'}: ${task.title}`}
                      onClick={() => update(task, next)}
                    >
                      {next === 'doing' ? 'Start' : 'Done'}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small"
                    data-testid="task-edit"
                    aria-label={`Edit: ${task.title}`}
                    onClick={() => actions.find((a) => a.id === `task-edit:${task.id}`)?.run()}
                  >
                    Edit
                  </button>
                  <button type="button" className="button button-small" aria-label={`Cancel: ${task.title}`} onClick={() => update(task, 'cancelled')}>
                    Cancel
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {actions.some((a) => a.id === 'add-task') && (
        <button type="button" className="button button-small" data-testid="add-task" onClick={() => actions.find((a) => a.id === 'add-task')?.run()}>
          + Task
        </button>
      )}
    </section>
  );
}
