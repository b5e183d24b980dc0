// A conference bridge: dial-in numbers, PIN and meeting link, each one click to call or copy.
import type { Bridge } from '@shared/domain/directory';
import { CopyButton } from './copy-button';
import { useEditGate } from './directory-gate';
import { PhoneLink } from './phone-link';

export function BridgeCard({ bridge, onEdit }: { bridge: Bridge; onEdit: () => void }) {
  const gate = useEditGate();
  return (
    <article className="side-card bridge-card" data-testid="bridge-card" aria-label={bridge.name}>
      <header className="card-head">
        <h3 className="side-card-title">{bridge.name}</h3>
        <button type="button" className="button button-small" data-testid="bridge-edit" onClick={onEdit} {...gate}>
          Edit
        </button>
      </header>
      {bridge.dialIn.map((phone, index) => (
        <div className="copy-row" key={`${phone.number}-${index}`}>
          <PhoneLink phone={phone} fallbackLabel="dial-in" />
          <CopyButton value={phone.number} what={`dial-in number ${phone.number}`} />
        </div>
      ))}
      {bridge.pin && (
        <div className="copy-row">
          <span className="bridge-fact">
            <span className="phone-label">PIN</span>
            <span className="phone-number" data-testid="bridge-pin">
              {bridge.pin}
            </span>
          </span>
          <CopyButton value={bridge.pin} what="PIN" />
        </div>
      )}
      {bridge.meetingUrl && (
        <div className="copy-row">
          <a className="bridge-link" href={bridge.meetingUrl} target="_blank" rel="noreferrer" data-testid="bridge-link">
            {bridge.meetingUrl}
          </a>
          <CopyButton value={bridge.meetingUrl} what="meeting link" />
        </div>
      )}
      {bridge.notes && <p className="card-notes">{bridge.notes}</p>}
    </article>
  );
}
