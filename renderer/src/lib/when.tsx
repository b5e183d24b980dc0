// A moment as every screen shows it: local time (with its date when not today) and UTC beside it,
// the full date and both zones in the tooltip. Times come from lib/time.ts.
import { fullWhen, localClock, localWhen, utcClock, utcWhen } from './time';

export function When({ ms, seconds = false, utc = 'inline' }: { ms: number; seconds?: boolean; utc?: 'inline' | 'title' }) {
  const local = seconds ? localClock(ms) : localWhen(ms);
  const inUtc = seconds ? utcClock(ms) : utcWhen(ms);
  return (
    <time className="when" dateTime={new Date(ms).toISOString()} title={fullWhen(ms)}>
      {local}
      {utc === 'inline' && <span className="when-utc"> ({inUtc})</span>}
    </time>
  );
}
