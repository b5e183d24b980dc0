// Time as the record states it: UTC, to the second, the same on every replica and in every export.
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

export function utcStamp(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm:ss')} UTC`;
}
