// A person's time of day where they are, with the UTC offset, flagged at night.
import { zoneClock } from './zone-clock';

export function LocalTime({ timeZone, now }: { timeZone: string; now: number }) {
  const clock = zoneClock(timeZone, now);
  if (!clock) {
    return (
      <span className="zone-clock muted" data-testid="person-local-time">
        {timeZone ? `time zone ${timeZone} unknown to this browser` : 'time zone not set'}
      </span>
    );
  }
  return (
    <span className="zone-clock" data-testid="person-local-time" title={timeZone}>
      <span className="zone-time">
        {clock.weekday} {clock.time}
      </span>{' '}
      <span className="muted">{clock.offset}</span>
      {clock.isNight && <span className="night-badge">night there</span>}
      <span className="zone-name">{timeZone}</span>
    </span>
  );
}
