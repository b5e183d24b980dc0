// A date and time typed in a zone, with a "now" button and the UTC it stands for.
import { utcStamp } from '@shared/time';

export function TimeField(props: { label: string; testId: string; value: string; ms: number | null; onChange: (value: string) => void; onNow: () => void }) {
  const { label, testId, value, ms, onChange, onNow } = props;
  return (
    <label className="field field-time">
      <span>{label}</span>
      <span className="evidence-time-input">
        <input type="datetime-local" step={1} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} />
        <button type="button" className="link-button small" data-testid={`${testId}-now`} onClick={onNow}>
          now
        </button>
      </span>
      <span className="muted small mono" data-testid={`${testId}-utc`}>
        {ms === null ? 'not set' : `= ${utcStamp(ms)}`}
      </span>
    </label>
  );
}
