// Joining a war room: paste the link the host shared (or scanned), or type what the host reads out:
// the address, the join code and the certificate's fingerprint. The fingerprint is how this laptop
// knows it reached the host's laptop before it sends the code.
import { useState, type FormEvent } from 'react';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { NearbyWarRooms } from '../outage/nearby-war-rooms';

export function WarRoomJoin() {
  const joinWarRoom = useStore((s) => s.joinWarRoom);
  const [link, setLink] = useState('');
  const [isTyped, setIsTyped] = useState(false);
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [fingerprint, setFingerprint] = useState('');
  const room = useAction();

  const onJoin = async (event: FormEvent) => {
    event.preventDefault();
    const url = /^https:\/\//.test(address.trim()) ? address.trim() : `https://${address.trim()}`;
    const request = isTyped ? { url, code, fingerprint } : { link };
    if (await room.run(() => joinWarRoom(request))) {
      setLink('');
      setCode('');
    }
  };

  return (
    <>
      <NearbyWarRooms />
      <form className="inline-form" onSubmit={(event) => void onJoin(event)} data-testid="war-room-join">
        <h3>Join a war room on this network</h3>
        {isTyped ? (
          <>
            <input aria-label="Address" placeholder="192.168.1.20:7440" value={address} onChange={(e) => setAddress(e.target.value)} />
            <input aria-label="Join code" placeholder="7KQ2-M9XD-…" value={code} onChange={(e) => setCode(e.target.value)} className="code-input" />
            <input
              aria-label="Certificate fingerprint"
              placeholder="SHA-256 fingerprint: 64 hex digits, as the host's screen shows"
              value={fingerprint}
              onChange={(e) => setFingerprint(e.target.value)}
              className="fingerprint-input"
            />
          </>
        ) : (
          <input aria-label="Join link" placeholder="https://192.168.1.20:7440/join#code=…&sha256=…" value={link} onChange={(e) => setLink(e.target.value)} />
        )}
        <button type="submit" className="button" disabled={room.isBusy}>
          Join
        </button>
        <button type="button" className="link-button small" onClick={() => setIsTyped(!isTyped)}>
          {isTyped ? 'Paste a link instead' : 'No link? Type what the host reads out'}
        </button>
        {room.error && (
          <p className="form-error" role="alert">
            {room.error}
          </p>
        )}
      </form>
    </>
  );
}
