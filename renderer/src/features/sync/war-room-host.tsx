// Hosting a war room: its join link as a QR code and as text, the same in a form people can read
// out (address, code, certificate fingerprint), who joined, and a new code on demand. The code is
// also replaced after repeated wrong guesses: the panel reads the hub again every few seconds.
import { useState } from 'react';
import type { HubStatus } from '@shared/domain/sync-status';
import { readableCertFingerprint } from '@shared/hub-link';
import { localTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useCopy } from '../shell/use-copy';
import { QrCode } from './qr-code';
import { rotateHubCode, startHub, stopHub, useHubStatus } from './sync-queries';
import './war-room.css';

const refreshMs = 3000;

function HubRunning({ hub }: { hub: HubStatus }) {
  const action = useAction();
  const links = hub.links ?? [];
  // Another laptop reaches this one at a LAN address; loopback is listed last.
  const [chosen, setChosen] = useState(0);
  const index = chosen < links.length ? chosen : 0;
  const link = links[index] ?? '';
  const address = link ? new URL(link).host : '';
  const copy = useCopy(link);
  const members = hub.members ?? [];

  return (
    <div data-testid="hub-running" className="hub-running">
      <div className="hub-invite">
        {link && <QrCode text={link} label="Join link as a QR code" />}
        <div className="hub-invite-text">
          {links.length > 1 && (
            <label className="small">
              Address other laptops reach{' '}
              <select value={index} onChange={(e) => setChosen(Number(e.target.value))} aria-label="Address">
                {links.map((l, i) => (
                  <option key={l} value={i}>
                    {new URL(l).host}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="small muted">Scan the code, or send the link. It carries the join code and the fingerprint of this laptop&apos;s certificate.</p>
          <div className="hub-link">
            <code data-testid="hub-link">{link}</code>
            <button type="button" className="button button-small" onClick={copy.copy}>
              {copy.state === 'copied' ? 'Copied' : copy.state === 'failed' ? 'Copy refused: select the link' : 'Copy link'}
            </button>
          </div>
          <dl className="hub-readout" aria-label="To read out">
            <dt>Address</dt>
            <dd>
              <code>{address}</code>
            </dd>
            <dt>Join code</dt>
            <dd>
              <strong className="join-code" data-testid="join-code">
                {hub.joinCode}
              </strong>
            </dd>
            <dt>Certificate fingerprint (SHA-256)</dt>
            <dd>
              <code className="fingerprint">{hub.fingerprint ? readableCertFingerprint(hub.fingerprint) : 'none'}</code>
            </dd>
          </dl>
          <p className="small muted" data-testid="code-state">
            {hub.wrongGuesses ?? 0} wrong {hub.wrongGuesses === 1 ? 'guess' : 'guesses'} at this code (it is replaced after 10).
            {hub.rotatedBecause && hub.codeSince ? ` Code replaced at ${localTime(hub.codeSince)}: ${hub.rotatedBecause}.` : ''}
          </p>
        </div>
      </div>
      <h3>Joined</h3>
      {members.length === 0 ? (
        <p className="muted small" data-testid="hub-members">
          Nobody has joined yet.
        </p>
      ) : (
        <table className="hub-members" data-testid="hub-members">
          <thead>
            <tr>
              <th>Who</th>
              <th>Role</th>
              <th>Device</th>
              <th>Joined</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.deviceId}>
                <td>{m.name}</td>
                <td>{m.role}</td>
                <td>
                  <code>{m.deviceId}</code>
                </td>
                <td>{localTime(m.joinedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="hub-actions">
        <button type="button" className="button" onClick={() => void action.run(rotateHubCode)} disabled={action.isBusy}>
          New code
        </button>
        <button type="button" className="button" onClick={() => void action.run(stopHub)} disabled={action.isBusy}>
          Stop hosting
        </button>
      </div>
      {action.error && (
        <p className="form-error" role="alert">
          {action.error}
        </p>
      )}
    </div>
  );
}

export function WarRoomHost() {
  const hub = useHubStatus(refreshMs);
  const [port, setPort] = useState('7440');
  const hosting = useAction();
  return (
    <section className="panel settings-panel">
      <h2>Host a war room on this network</h2>
      <p className="muted">
        When the central server is unreachable, laptops in the room sync through this one, over TLS with a certificate made for this war room. Everything is relayed to
        the server when it is back.
      </p>
      {hub.isRunning ? (
        <HubRunning hub={hub} />
      ) : (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void hosting.run(() => startHub(Number(port)));
          }}
        >
          <input aria-label="Port" value={port} onChange={(e) => setPort(e.target.value)} className="port-input" />
          <button type="submit" className="button" disabled={hosting.isBusy}>
            Host war room
          </button>
        </form>
      )}
      {hosting.error && (
        <p className="form-error" role="alert">
          {hosting.error}
        </p>
      )}
    </section>
  );
}
