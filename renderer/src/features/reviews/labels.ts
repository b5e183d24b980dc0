// Words the reviewer's screens use for review states, action item statuses and due dates.
import { format } from 'date-fns';
import type { ActionStatus, ReviewState } from '@shared/domain/review';

export const reviewStateLabels: Record<ReviewState | 'none', string> = {
  none: 'Not started',
  draft: 'Draft',
  'in-review': 'In review',
  published: 'Published',
};

export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  done: 'Done',
  'wont-do': "Won't do",
};

/** "Tue 3 Dec 14:00": a due time, local. */
export const dueText = (ms: number) => format(ms, 'EEE d MMM HH:mm');

/** "3 Dec 2025": a due day, local. */
export const dayText = (ms: number) => format(ms, 'd MMM yyyy');

/** The value of a `date` input for a time (local). */
export const toDateInput = (ms: number) => format(ms, 'yyyy-MM-dd');

/** A `date` input's day as the end of that day, local (a thing due "on the 3rd" is due until midnight), or null. */
export function fromDateInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const end = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 59, 0);
  return Number.isNaN(end.getTime()) ? null : end.getTime();
}
