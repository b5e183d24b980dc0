// Settings for sync: the central server (URL and token), joining a war room on the network, and
// hosting one, after how this replica is trusted (./trust-panel). Errors are shown as the engine words them, since they say what to fix.
import { useState, type FormEvent } from 'react';
import { syncErrorWords } from '@shared/domain/sync-errors';
import type { PeerStatus } from '@shared/domain/sync-status';
import { localTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { connectServer, disconnectPeer, useSyncStatus } from './sync-queries';
import { TrustPanel } from './trust-panel';
import { WarRoomHost } from './war-room-host';
import { WarRoomJoin } from './war-room-join';

function PeerRow({ peer }: { peer: PeerStatus }) {
  return (
    <li className="peer" data-testid={`peer-${peer.kind}`}>
      <div>
        <strong>{peer.kind === 'central' ? 'Central server' : 'War room'}</strong> <code>{peer.url}</code> as <strong>{peer.userName}</strong>
      </div>
      <div className="muted small" data-testid="peer-state">
        {peer.state}
        {peer.lastSuccessAt ? ` · last sync ${localTime(peer.lastSuccessAt)}` : ''} · {peer.pending} to send
        {peer.refused > 0 ? ` · ${peer.refused} refused` : ''}
        {peer.lastError && (
          <span title={peer.lastError}> · {`${peer.kind === 'central' ? 'Central' : 'The war room hub'} ${syncErrorWords(peer.lastError).predicate}`}</span>
        )}
      </div>
      <button type="button" className="button button-small" onClick={() => void disconnectPeer(peer.id)}>
        Disconnect
      </button>
    </li>
  );
}

export function SyncSettings() {
  const sync = useSyncStatus();
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const server = useAction();

  const onConnect = async (event: FormEvent) => {
    event.preventDefault();
    if (await server.run(() => connectServer(serverUrl, token))) setToken('');
  };

  return (
    <>
      <TrustPanel />
      <section className="panel settings-panel" data-testid="sync-settings">
        <h2>Sync</h2>
        {sync.peers.length === 0 ? (
          <p className="muted">Not syncing: everything stays on this computer until you connect to a server or join a war room.</p>
        ) : (
          <ul className="peers">
            {sync.peers.map((peer) => (
              <PeerRow key={peer.id} peer={peer} />
            ))}
          </ul>
        )}
        <form className="inline-form" onSubmit={(event) => void onConnect(event)}>
          <h3>Central server</h3>
          <input
            aria-label="Server URL"
            data-testid="server-url"
            placeholder="https://holdfast.example.com"
            value={serverUrl}
            onChange={(e) => setServerUrl(e.target.value)}
          />
          <input
            aria-label="Token"
            data-testid="server-token"
            type="password"
            placeholder="hf_… from holdfast server user add"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <button type="submit" className="button" data-testid="server-connect" disabled={server.isBusy}>
            Connect
          </button>
          {server.error && (
            <p className="form-error" role="alert">
              {server.error}
            </p>
          )}
        </form>
        <WarRoomJoin />
      </section>
      <WarRoomHost />
    </>
  );
}
