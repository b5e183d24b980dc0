// War rooms hubs announce on this network (DNS-SD over multicast DNS): join one in one click with the
// code the host reads out. The laptop pins the certificate fingerprint the room announced, shown
// here to compare with the host's screen (or typed, optionally, and then checked); the join proof
// names that fingerprint, so a room posing as another's hub admits nobody. Where multicast cannot
// run, type the address below.
import { useState } from 'react';
import type { NearbyWarRoom } from '@shared/domain/outage-api';
import { readableCertFingerprint } from '@shared/hub-link';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { noteSync } from '../sync/sync-queries';
import './outage.css';

/** How often the list is read again while it is on screen. */
const refreshMs = 2000;

function NearbyRoom({ room }: { room: NearbyWarRoom }) {
  const [code, setCode] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const join = useAction();
  return (
    <li className="nearby-room" data-testid="nearby-room">
      <div>
        <strong>{room.title}</strong>
        <span className="muted small">
          {' '}
          · hosted by {room.hostedBy || 'someone'}
          {room.hostName ? ` on ${room.hostName}` : ''} · {room.url.replace('https://', '')}
        </span>
        <div className="fingerprint mono muted" title="Compare with the fingerprint on the host's screen">
          Fingerprint {readableCertFingerprint(room.fingerprint)}
        </div>
      </div>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void join.run(async () => {
            const typed = fingerprint.trim();
            noteSync(await client().call('hub.joinNearby', { id: room.id, code, ...(typed ? { fingerprint: typed } : {}) }));
            setCode('');
            setFingerprint('');
          });
        }}
      >
        <input aria-label={`Join code for ${room.title}`} placeholder="Join code" className="code-input" value={code} onChange={(e) => setCode(e.target.value)} />
        <input
          aria-label={`Fingerprint the host reads out for ${room.title} (optional)`}
          placeholder="Fingerprint (optional)"
          className="mono"
          value={fingerprint}
          onChange={(e) => setFingerprint(e.target.value)}
        />
        <button type="submit" className="button small" disabled={join.isBusy || code.trim() === ''} data-testid="nearby-join">
          Join
        </button>
      </form>
      {join.error && (
        <p className="form-error" role="alert">
          {join.error}
        </p>
      )}
    </li>
  );
}

export function NearbyWarRooms() {
  const status = useEngineQuery('hub.nearby', {}, { readEveryMs: refreshMs }).value;
  if (!status) return null;
  return (
    <section data-testid="nearby-war-rooms" aria-labelledby="nearby-title">
      <h3 id="nearby-title">War rooms near you</h3>
      {!status.isAvailable ? (
        <p className="muted small">{status.reason}</p>
      ) : status.rooms.length === 0 ? (
        <p className="muted small">No war room is announced on this network yet. Listening…</p>
      ) : (
        <ul className="nearby-rooms">
          {status.rooms.map((room) => (
            <NearbyRoom key={room.id} room={room} />
          ))}
        </ul>
      )}
    </section>
  );
}
