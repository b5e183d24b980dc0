// Update clocks as the comms lead reads them: the engine's cadence (comms.room) recomputed on this
// clock from dueAt, so amber and red arrive on time between reads, and said in words ("next update
// due 14:35 (in 12 min)", "overdue by 4 min", "as needed").
import { format } from 'date-fns';
import { durationStyles, formatDuration } from '@shared/time';
import { audienceLabels, soonWindowMin, type CadenceLevel, type CadenceStatus } from '@shared/domain/comms';

const minuteMs = 60_000;

/** A cadence with level and minutes as of `now` (the same rules as the engine's cadenceStatus). */
export function liveCadence(status: CadenceStatus, now: number): CadenceStatus {
  if (status.dueAt === null) return { ...status, level: 'none', minutesLeft: null };
  const leftMs = status.dueAt - now;
  const level: CadenceLevel = leftMs < 0 ? 'overdue' : leftMs <= soonWindowMin(status.intervalMin) * minuteMs ? 'soon' : 'ok';
  return { ...status, level, minutesLeft: Math.ceil(leftMs / minuteMs) || 0 };
}

/** "12 min", "1 h", "1 h 05 min": a wait or a lateness in whole minutes. */
export const minutesText = (minutes: number): string => formatDuration(minutes * minuteMs, durationStyles.wait);

/** How late an overdue update is, in whole minutes, at least 1. */
export function overdueMinutes(status: CadenceStatus, now: number): number {
  return status.dueAt === null ? 0 : Math.max(1, Math.ceil((now - status.dueAt) / minuteMs));
}

/** The clock in one line: "Next update due 14:35 (in 12 min)", "Overdue by 4 min (was due 14:35)", "As needed". */
export function cadenceText(status: CadenceStatus, now: number): string {
  if (status.dueAt === null) return 'As needed: no update clock runs';
  const at = format(status.dueAt, 'HH:mm');
  if (status.level === 'overdue') return `Overdue by ${minutesText(overdueMinutes(status, now))} (was due ${at})`;
  const left = status.minutesLeft ?? 0;
  return left <= 0 ? `Next update due now (${at})` : `Next update due ${at} (in ${minutesText(left)})`;
}

const levelRank: Record<CadenceLevel, number> = { overdue: 0, soon: 1, ok: 2, none: 3 };

/** The clock that needs the comms lead first: the most overdue, else the soonest due; null when none runs. */
export function mostUrgent(statuses: CadenceStatus[]): CadenceStatus | null {
  const running = statuses.filter((s) => s.dueAt !== null);
  running.sort((a, b) => levelRank[a.level] - levelRank[b.level] || (a.dueAt ?? 0) - (b.dueAt ?? 0));
  return running[0] ?? null;
}

/** The header's short form: "Customers update overdue 12 min", "Customers update due in 4 min", "Executives update due 15:05". */
export function dueBadgeText(status: CadenceStatus, now: number): string {
  const who = audienceLabels[status.audience];
  if (status.level === 'overdue') return `${who} update overdue ${minutesText(overdueMinutes(status, now))}`;
  if (status.level === 'soon') return (status.minutesLeft ?? 0) <= 0 ? `${who} update due now` : `${who} update due in ${minutesText(status.minutesLeft ?? 0)}`;
  return `${who} update due ${status.dueAt === null ? '' : format(status.dueAt, 'HH:mm')}`;
}
