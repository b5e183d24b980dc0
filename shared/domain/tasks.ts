// Tasks of an incident: who does what by when. Small, mutable records (last writer wins per field).
import { z } from 'zod';
import type { EntityRecord } from '../entities/rows';
import { utcMs } from './common';

export const taskStatuses = ['open', 'doing', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

/** A task as its entity declares it (shared/entities/incident.ts). */
export type Task = EntityRecord<'task'>;

const title = z.string({ error: 'must be text' }).trim().min(1, { error: 'say what has to be done' }).max(500, { error: 'must be at most 500 characters' });
const owner = z.string({ error: 'must be a user name' }).trim().min(1).max(100, { error: 'must be at most 100 characters' }).nullable();
const due = utcMs.nullable();

export const createTaskRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    title,
    ownerId: owner.default(null),
    dueAt: due.default(null),
  })
  .strict();

export const updateTaskRequest = z
  .object({
    id: z.string({ error: 'must be a task id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    title: title.optional(),
    ownerId: owner.optional(),
    dueAt: due.optional(),
    status: z.enum(taskStatuses, { error: `must be one of ${taskStatuses.join(', ')}` }).optional(),
  })
  .strict()
  .refine((r) => r.title !== undefined || r.ownerId !== undefined || r.dueAt !== undefined || r.status !== undefined, {
    error: 'give at least one of title, ownerId, dueAt, status to change',
  });
