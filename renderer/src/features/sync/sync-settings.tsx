// Settings for sync: the central server (URL and token), joining a war room on the network, and
// hosting one, after how this replica is trusted (./trust-panel). Errors are shown as the engine words them, since they say what to fix.
import { useState, type FormEvent } from 'react';
import type { PeerStatus } from '@shared/domain/sync-status';
import { localTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { TrustPanel } from './trust-panel';

function PeerRow({ peer }: { peer: PeerStatus }) {
  const disconnect = useStore((s) => s.disconnectPeer);
  return (
    <li className="peer" data-testid={`peer-${peer.kind}`}>
      <div>
        <strong>{peer.kind === 'central' ? 'Central server' : 'War room'}</strong> <code>{peer.url}</code> as <strong>{peer.userName}</strong>
      </div>
      <div className="muted small" data-testid="peer-state">
        {peer.state}
        {peer.lastSuccessAt ? ` · last sync ${localTime(peer.lastSuccessAt)}` : ''} · {peer.pending} to send
        {peer.refused > 0 ? ` · ${peer.refused} refused` : ''}
        {peer.lastError ? ` · ${peer.lastError}` : ''}
      </div>
      <button type="button" className="button button-small" onClick={() => void disconnect(peer.id)}>
        Disconnect
      </button>
    </li>
  );
}

export function SyncSettings() {
  const sync = useStore((s) => s.sync);
  const hub = useStore((s) => s.hub);
  const connectServer = useStore((s) => s.connectServer);
  const joinWarRoom = useStore((s) => s.joinWarRoom);
  const startHub = useStore((s) => s.startHub);
  const stopHub = useStore((s) => s.stopHub);
  const [serverUrl, setServerUrl] = useState('');
  const [token, setToken] = useState('');
  const [roomUrl, setRoomUrl] = useState('');
  const [code, setCode] = useState('');
  const [port, setPort] = useState('7440');
  const server = useAction();
  const room = useAction();
  const hosting = useAction();

  const onConnect = async (event: FormEvent) => {
    event.preventDefault();
    if (await server.run(() => connectServer(serverUrl, token))) setToken('');
  };
  const onJoin = async (event: FormEvent) => {
    event.preventDefault();
    if (await room.run(() => joinWarRoom(roomUrl, code))) setCode('');
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
        <form className="inline-form" onSubmit={(event) => void onJoin(event)}>
          <h3>Join a war room on this network</h3>
          <input aria-label="War room URL" placeholder="http://192.168.1.20:7440" value={roomUrl} onChange={(e) => setRoomUrl(e.target.value)} />
          <input aria-label="Join code" placeholder="123-456" value={code} onChange={(e) => setCode(e.target.value)} />
          <button type="submit" className="button" disabled={room.isBusy}>
            Join
          </button>
          {room.error && (
            <p className="form-error" role="alert">
              {room.error}
            </p>
          )}
        </form>
      </section>
      <section className="panel settings-panel">
        <h2>Host a war room on this network</h2>
        <p className="muted">When the central server is unreachable, laptops in the room sync through this one. Everything is relayed to the server when it is back.</p>
        {hub.isRunning ? (
          <div data-testid="hub-running">
            <p>
              Join code <strong className="join-code">{hub.joinCode}</strong> at{' '}
              {hub.urls.map((u) => (
                <code key={u}>{u} </code>
              ))}
            </p>
            <p className="muted small">{hub.clients.length > 0 ? `Joined: ${hub.clients.join(', ')}` : 'Nobody has joined yet.'}</p>
            <button type="button" className="button" onClick={() => void hosting.run(stopHub)}>
              Stop hosting
            </button>
          </div>
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
    </>
  );
}
